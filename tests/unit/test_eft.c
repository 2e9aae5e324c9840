/* test_eft.c — error-free transformations (base/eft.h): exact against fmal,
 * which glibc computes exactly (in software on x87). */
#include <float.h>
#include <math.h>

#include "base/eft.h"
#include "testutil.h"

/* A random long double of magnitude about 10^-18 … 10^18, either sign. */
static long double draw(unsigned long long *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    long double m = (long double)(*s >> 1) * 0x1p-63L - 0.5L;
    return ldexpl(m, (int)(*s % 121) - 60);
}

START_TEST(product_error_is_exact)
{
    unsigned long long s = 88172645463325252ULL;
    for (int i = 0; i < 200000; i++) {
        const long double a = draw(&s), b = draw(&s), p = a * b;
        ck_assert_msg(fms_eft_prod_err(a, b, p) == fmal(a, b, -p), "%La * %La", a, b);
    }
    /* The constants split_log multiplies by, at the largest log it takes (10^18). */
    const long double big = 1e18L, l10e = 4.3429448190325182764547941e-01L;
    ck_assert(fms_eft_prod_err(big, l10e, big * l10e) == fmal(big, l10e, -(big * l10e)));
}
END_TEST

START_TEST(sum_error_is_exact)
{
    unsigned long long s = 1234567ULL;
    for (int i = 0; i < 200000; i++) {
        const long double a = draw(&s), b = draw(&s), t = a + b;
        const long double e = fms_eft_sum_err(a, b, t);
        /* e is what t lost: below half an ulp of t, and equal to Dekker's
         * Fast2Sum, exact when the larger operand comes first. */
        ck_assert(fabsl(e) <= ldexpl(fabsl(t), -LDBL_MANT_DIG));
        ck_assert(t + e == t);
        const long double fast = fabsl(a) >= fabsl(b) ? b - (t - a) : a - (t - b);
        ck_assert_msg(e == fast, "%La + %La", a, b);
    }
}
END_TEST

START_TEST(fma_within_its_bound)
{
    unsigned long long s = 42ULL;
    const long double u = LDBL_EPSILON / 2;
    for (int i = 0; i < 200000; i++) {
        const long double a = draw(&s), b = draw(&s), c = draw(&s);
        const long double r = fms_eft_fma(a, b, c), exact = fmal(a, b, c);
        /* Both are within u·|r| + 2u²(|ab| + |c|) of a·b + c; fmal to half that. */
        ck_assert_msg(fabsl(r - exact) <= 2 * u * fabsl(exact) + 4 * u * u * (fabsl(a * b) + fabsl(c)),
                      "%La %La %La", a, b, c);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eft");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, product_error_is_exact);
    tcase_add_test(tc, sum_error_is_exact);
    tcase_add_test(tc, fma_within_its_bound);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

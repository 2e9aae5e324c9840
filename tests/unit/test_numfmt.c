/* test_numfmt.c — reading and writing numbers (numfmt.h). */
#include <math.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

START_TEST(parse_accepts_decimals)
{
    double v;
    ck_assert_int_eq(fms_numfmt_parse("0.5", &v), FMS_OK);
    ck_assert_double_eq(v, 0.5);
    ck_assert_int_eq(fms_numfmt_parse("  -.5 ", &v), FMS_OK);
    ck_assert_double_eq(v, -0.5);
    ck_assert_int_eq(fms_numfmt_parse("2.385e-3", &v), FMS_OK);
    ck_assert_close(v, 2.385e-3, TOL(1), 0);
    ck_assert_int_eq(fms_numfmt_parse("+7", &v), FMS_OK);
    ck_assert_double_eq(v, 7.0);
    ck_assert_int_eq(fms_numfmt_parse("1e-400", &v), FMS_OK); /* tiny, not wrong */
}
END_TEST

START_TEST(parse_rejects_the_rest)
{
    static const char *const bad[] = { "", " ", "half", "0x1p3", "inf", "nan", "1e", "1.2.3", "1 2", "--1", ".", "e5",
                                       "1e+", "0.5,", NULL };
    double v = 42.0;
    for (int i = 0; bad[i]; i++)
        ck_assert_msg(fms_numfmt_parse(bad[i], &v) == FMS_EINVAL, "'%s' was accepted", bad[i]);
    ck_assert_double_eq(v, 42.0);
    ck_assert_int_eq(fms_numfmt_parse("1e999", &v), FMS_ERANGE);
    ck_assert_int_eq(fms_numfmt_parse(NULL, &v), FMS_EINVAL);
}
END_TEST

START_TEST(one_minus_keeps_digits)
{
    long double r;
    ck_assert_int_eq(fms_numfmt_parse_one_minus("0.999999999", &r), FMS_OK);
    ck_assert_close((double)(r / 1e-9L), 1.0, TOL(1), 0);
    ck_assert_int_eq(fms_numfmt_parse_one_minus("9.99999999e-1", &r), FMS_OK);
    ck_assert_close((double)(r / 1e-9L), 1.0, TOL(1), 0);
    ck_assert_int_eq(fms_numfmt_parse_one_minus("0.9", &r), FMS_OK);
    ck_assert_close((double)(r / 0.1L), 1.0, TOL(1), 0);
    ck_assert_int_eq(fms_numfmt_parse_one_minus("0.25", &r), FMS_OK);
    ck_assert_close((double)r, 0.75, 0, 0);
    ck_assert_int_eq(fms_numfmt_parse_one_minus("0.6180339887", &r), FMS_OK);
    ck_assert_close((double)r, 0.3819660113, TOL(2), 0);
    ck_assert_int_eq(fms_numfmt_parse_one_minus("abc", &r), FMS_EINVAL);
}
END_TEST

START_TEST(key_format)
{
    char b[FMS_NUM_MAX];
    fms_numfmt_key(9.5000000000000018, 15, b);
    ck_assert_str_eq(b, "9.5");
    fms_numfmt_key(-0.0, 15, b);
    ck_assert_str_eq(b, "0");
    fms_numfmt_key(2.8625185805493936e-20, 15, b);
    ck_assert_str_eq(b, "2.86251858054939e-20");
    fms_numfmt_key(NAN, 15, b);
    ck_assert_str_eq(b, "nan");
    fms_numfmt_key(-INFINITY, 15, b);
    ck_assert_str_eq(b, "-inf");
    fms_numfmt_key_e10(3.1, -500, 15, b);
    ck_assert_str_eq(b, "3.1e-500");
    fms_numfmt_key_e10(2.385, 2, 15, b);
    ck_assert_str_eq(b, "238.5");
}
END_TEST

START_TEST(text_format)
{
    char b[FMS_NUM_MAX];
    fms_numfmt_text(-10.0, 6, b);
    ck_assert_str_eq(b, "\xE2\x88\x92" "10");
    fms_numfmt_text(0.0, 6, b);
    ck_assert_str_eq(b, "0");
    fms_numfmt_text(2.8625185805493936e-20, 6, b);
    ck_assert_str_eq(b, "2.86252\xC2\xB7" "10^-20");
    fms_numfmt_text(-2.385e-7, 3, b);
    ck_assert_str_eq(b, "\xE2\x88\x92" "2.39\xC2\xB7" "10^-7");
    fms_numfmt_text(1e6, 6, b);
    ck_assert_str_eq(b, "10^6");
    fms_numfmt_text(9.9999999e-5, 3, b); /* rounding carries into the next power */
    ck_assert_str_eq(b, "0.0001");
    fms_numfmt_text(0.000123, 6, b);
    ck_assert_str_eq(b, "0.000123");
}
END_TEST

START_TEST(text_exp_never_bare_zero)
{
    char b[FMS_NUM_MAX];
    ck_assert_int_eq(fms_numfmt_text_exp(-45.0, 3, b), FMS_OK);
    ck_assert_str_eq(b, "2.86\xC2\xB7" "10^-20");
    ck_assert_int_eq(fms_numfmt_text_exp(45.0, 3, b), FMS_OK);
    ck_assert_str_eq(b, "3.49\xC2\xB7" "10^19");
    /* exp(−2000) underflows a double; it is still a number, not 0. */
    ck_assert_int_eq(fms_numfmt_text_exp(-2000.0, 3, b), FMS_OK);
    ck_assert_str_eq(b, "2.58\xC2\xB7" "10^-869");
    ck_assert_int_eq(fms_numfmt_text_exp(-1e17, 3, b), FMS_OK);
    ck_assert(strncmp(b, "e^", 2) == 0);
    ck_assert_int_eq(fms_numfmt_text_exp(NAN, 3, b), FMS_EDOM);
    ck_assert_int_eq(fms_numfmt_text_exp(INFINITY, 3, b), FMS_EDOM);
}
END_TEST

START_TEST(split_e10)
{
    double m;
    long long e;
    ck_assert_int_eq(fms_numfmt_exp10_split(-45.0, &m, &e), FMS_OK);
    ck_assert_int_eq(e, -20);
    ck_assert_close(m, 2.8625185805493936, TOL_ROUTE, 0);
    ck_assert_int_eq(fms_numfmt_exp10_split(-2000.0, &m, &e), FMS_OK);
    ck_assert_int_eq(e, -869);
    ck_assert(m >= 1.0 && m < 10.0);
    ck_assert_int_eq(fms_numfmt_exp10_split(0.0, &m, &e), FMS_OK);
    ck_assert_int_eq(e, 0);
    ck_assert_close(m, 1.0, TOL(2), 0);
    ck_assert_int_eq(fms_numfmt_exp10_split(-2e15, &m, &e), FMS_ERANGE);
    ck_assert_int_eq(fms_numfmt_exp10_split(NAN, &m, &e), FMS_EDOM);
}
END_TEST

START_TEST(key_e10_renormalises)
{
    /* 10^-400 split as 9.999999999999996·10^-401 rounds to 10 at 15 digits: it is 1e-400, not 10e-401. */
    char b[FMS_NUM_MAX];
    fms_numfmt_key_e10(9.999999999999996, -401, 15, b);
    ck_assert_str_eq(b, "1e-400");
    fms_numfmt_key_e10(-9.999999999999996, -401, 15, b);
    ck_assert_str_eq(b, "-1e-400");
    fms_numfmt_key_e10(9.96, -1000, 2, b);
    ck_assert_str_eq(b, "1e-999");
    ck_assert_int_eq(fms_numfmt_text_exp(-400.0 * 2.302585092994045684, 6, b), FMS_OK);
    ck_assert_str_eq(b, "10^-400");
}
END_TEST

/* Asserts |got − want| ≤ rel·|want| for mantissas in [1, 10). */
static void assert_mant(const fms_sci *x, long double want, long long e10, double rel)
{
    ck_assert_msg(x->e10 == e10, "power %lld, expected %lld", x->e10, e10);
    ck_assert_msg(fabsl(x->mant - want) <= rel * fabsl(want), "mantissa %.21Lg, expected %.21Lg", x->mant, want);
    ck_assert_msg(fabsl(x->mant - want) <= x->rel_err * fabsl(want) + 1e-19L * fabsl(want),
                  "mantissa %.21Lg outside its own bound %g", x->mant, x->rel_err);
}

START_TEST(sci_from_log_keeps_digits_far_out)
{
    /* References from 40-digit mpmath.  A direct split of ℓ/ln 10 in long double
     * would lose |ℓ|·2^-64 ≈ 5e-12 at ℓ = −1e8; the pair split keeps 2^-60. */
    fms_sci x = fms_numfmt_sci_from_log(-2000.0L, 0.0, 1);
    assert_mant(&x, 2.57653587296114965219L, -869, 1e-18);
    x = fms_numfmt_sci_from_log(-1e8L, 0.0, -1);
    assert_mant(&x, -6.451709692821766008844L, -43429449, 1e-18);
    x = fms_numfmt_sci_from_log(199800.405L, 0.0, 1); /* the long double 199800.40500000000000113687 */
    assert_mant(&x, 1.634457133324630413653L, 86772, 1e-17);
    ck_assert(x.rel_err < 1e-17);
    x = fms_numfmt_sci_from_log(-45.0L, 1e-10, 1); /* the log's error becomes the relative error */
    ck_assert(x.rel_err > 0.9e-10 && x.rel_err < 1.1e-10);
    x = fms_numfmt_sci_from_log(-1e19L, 0.0, 1);
    ck_assert(isnan(x.mant));
    double m;
    long long e;
    ck_assert_int_eq(fms_numfmt_exp10_split_l(-1e8L, &m, &e), FMS_OK);
    ck_assert_int_eq(e, -43429449);
    ck_assert_close(m, 6.451709692821766, TOL(1), 0);
    ck_assert_int_eq(fms_numfmt_exp10_split_l(2e15L, &m, &e), FMS_ERANGE);
    ck_assert_int_eq(fms_numfmt_exp10_split_l(NAN, &m, &e), FMS_EDOM);
}
END_TEST

START_TEST(sci_from_ld_and_back)
{
    fms_sci x = fms_numfmt_sci_from_ld(2.385e-3L, 0.0);
    ck_assert_int_eq(x.e10, -3);
    ck_assert(fabsl(x.mant - 2.385L) < 1e-17L);
    ck_assert(x.rel_err > 0 && x.rel_err < 1e-18);
    ck_assert_double_eq(fms_numfmt_sci_to_double(&x), 2.385e-3);
    x = fms_numfmt_sci_from_ld(-1e-4000L, 1e-12);
    ck_assert_int_eq(x.e10, -4000);
    ck_assert(fabsl(x.mant + 1.0L) < 1e-15L);
    ck_assert_double_eq(fms_numfmt_sci_to_double(&x), -0.0);
    x = fms_numfmt_sci_from_ld(0.0L, 0.0);
    ck_assert(x.mant == 0.0L && x.rel_err == 0.0);
    fms_sci big = { 1.5L, 400, 0.0 };
    ck_assert(isinf(fms_numfmt_sci_to_double(&big)));
}
END_TEST

/* The key's digits are rounded without printf where the fraction decides
 * (numfmt.c's round_sig_fast); they must be printf's: %.*Lg of the exact
 * mantissa, on random values and on values next to a tie at every length. */
START_TEST(key_digits_are_printfs)
{
    unsigned long long s = 0x9e3779b97f4a7c15ULL;
    char got[FMS_NUM_MAX], want[64];
    for (int i = 0; i < 200000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        const int d = 1 + (int)(s % 18);
        long double m = 1.0L + (long double)(s >> 11) * 0x1p-53L * 9.0L;
        if (i % 2) { /* next to a tie: (k + 1/2)·10^(1−d), one ulp either way or on it */
            long double scale = powl(10.0L, (long double)(d - 1));
            long double k = floorl(m * scale);
            m = (k + 0.5L) / scale;
            m = (s >> 40) % 3 == 0 ? m : nextafterl(m, (s >> 40) % 3 == 1 ? 0.0L : 20.0L);
        }
        if (!(m >= 1.0L && m < 10.0L))
            continue;
        const fms_sci x = { (s >> 20) & 1 ? -m : m, 0, 0.0 };
        fms_numfmt_key_sci(&x, d, got);
        snprintf(want, sizeof want, "%.*Lg", d, x.mant);
        ck_assert_msg(strcmp(got, want) == 0, "%.21Lg to %d digits: %s, printf %s", x.mant, d, got, want);
    }
}
END_TEST

START_TEST(sci_prints_only_right_digits)
{
    char b[FMS_NUM_MAX];
    /* Issue 9 (13): a share known to 1e-10 prints 10 digits, not 15. */
    fms_sci w = { 1.16306626077853L, -1029605, 1e-10 };
    ck_assert_int_eq(fms_numfmt_sci_digits(&w, 15), 10);
    fms_numfmt_key_sci(&w, 15, b);
    ck_assert_str_eq(b, "1.163066261e-1029605");
    fms_numfmt_text_sci(&w, 6, b);
    ck_assert_str_eq(b, "1.16307\xC2\xB7" "10^-1029605");
    /* Issue 9 (11): an underflowing velocity is a number, with its sign. */
    fms_sci v = { -3.6L, -78173003, 1e-3 };
    fms_numfmt_key_sci(&v, 15, b);
    ck_assert_str_eq(b, "-3.6e-78173003");
    fms_numfmt_text_sci(&v, 6, b);
    ck_assert_str_eq(b, "\xE2\x88\x92" "3.6\xC2\xB7" "10^-78173003");
    /* Exact values print all the digits asked for, trailing zeros dropped, in %g layout. */
    fms_sci half = { 5.0L, -1, 0.0 };
    fms_numfmt_key_sci(&half, 15, b);
    ck_assert_str_eq(b, "0.5");
    fms_numfmt_text_sci(&half, 6, b);
    ck_assert_str_eq(b, "0.5");
    fms_sci n = { 1.2345L, 2, 0.0 };
    fms_numfmt_key_sci(&n, 15, b);
    ck_assert_str_eq(b, "123.45");
    n.rel_err = 1e-4; /* 1.23438 .. 1.23462: three digits */
    ck_assert_int_eq(fms_numfmt_sci_digits(&n, 15), 3);
    fms_numfmt_key_sci(&n, 15, b);
    ck_assert_str_eq(b, "123");
    n.e10 = 5;
    fms_numfmt_key_sci(&n, 15, b);
    ck_assert_str_eq(b, "1.23e+05");
    fms_numfmt_text_sci(&n, 6, b);
    ck_assert_str_eq(b, "1.23\xC2\xB7" "10^5");
    fms_sci small = { -2.5L, -5, 0.0 };
    fms_numfmt_key_sci(&small, 15, b);
    ck_assert_str_eq(b, "-2.5e-05");
    small.e10 = -3;
    fms_numfmt_key_sci(&small, 15, b);
    ck_assert_str_eq(b, "-0.0025");
    /* A mantissa that rounds up to 10 carries into the power of ten. */
    fms_sci carry = { 9.99999999999999999L, -401, 0.0 };
    fms_numfmt_key_sci(&carry, 15, b);
    ck_assert_str_eq(b, "1e-400");
    fms_numfmt_text_sci(&carry, 6, b);
    ck_assert_str_eq(b, "10^-400");
    fms_sci three = { 3.0L, -7, 0.0 };
    fms_numfmt_text_sci(&three, 6, b);
    ck_assert_str_eq(b, "3\xC2\xB7" "10^-7");
    /* Zero, exact or within its bound, is "0"; an unknown mantissa is "nan". */
    fms_sci z = { 0.0L, -19, INFINITY };
    ck_assert_int_eq(fms_numfmt_sci_digits(&z, 15), 0);
    fms_numfmt_key_sci(&z, 15, b);
    ck_assert_str_eq(b, "0");
    fms_numfmt_text_sci(&z, 6, b);
    ck_assert_str_eq(b, "0");
    fms_sci u = { NAN, 0, INFINITY };
    fms_numfmt_key_sci(&u, 15, b);
    ck_assert_str_eq(b, "nan");
    /* A bound that fixes no digit still prints one (numfmt.h documents it). */
    fms_sci rough = { 1.5L, 0, 0.2 };
    ck_assert_int_eq(fms_numfmt_sci_digits(&rough, 15), 0);
    fms_numfmt_key_sci(&rough, 15, b);
    ck_assert_str_eq(b, "2");
}
END_TEST

START_TEST(decimal_products)
{
    /* 0.45 = 0.9·0.5 in decimal, though not in binary. */
    ck_assert(fms_numfmt_is_product(0.45L, 0.9L, 0.5L));
    ck_assert(fms_numfmt_is_product(-0.45L, 0.9L, -0.5L));
    ck_assert(!fms_numfmt_is_product(0.45L, -0.9L, 0.5L));
    ck_assert(!fms_numfmt_is_product(0.45L, 0.9L, 0.50000001L));
    ck_assert(fms_numfmt_is_product(0.0L, 0.0L, 5.0L));
    ck_assert(!fms_numfmt_is_product(1e-30L, 0.0L, 5.0L));
    ck_assert(fms_numfmt_is_product(1.233837L, 0.618L, 1.9965L));
    ck_assert(fms_numfmt_is_product(123456789012345678.0L, 123456789012345678.0L, 1.0L));
    ck_assert(fms_numfmt_is_product(2.385e-300L, 2.385e-150L, 1e-150L));
}
END_TEST

START_TEST(close_helper_special_values)
{
    ck_assert(fms_close(0.0, 0.0, 0, 0));
    ck_assert(!fms_close(1e-300, 0.0, 0.5, 0));
    ck_assert(fms_close(NAN, NAN, 0, 0));
    ck_assert(!fms_close(NAN, 1.0, 1, 1));
    ck_assert(fms_close(INFINITY, INFINITY, 0, 0));
    ck_assert(!fms_close(INFINITY, -INFINITY, 1, 1));
    ck_assert(!fms_close(1e308, INFINITY, 1, 1));
    ck_assert(fms_close(2.385, 2.385 * (1 + 1e-12), 1e-11, 0));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("numfmt");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, parse_accepts_decimals);
    tcase_add_test(tc, parse_rejects_the_rest);
    tcase_add_test(tc, one_minus_keeps_digits);
    tcase_add_test(tc, key_format);
    tcase_add_test(tc, text_format);
    tcase_add_test(tc, text_exp_never_bare_zero);
    tcase_add_test(tc, split_e10);
    tcase_add_test(tc, key_e10_renormalises);
    tcase_add_test(tc, sci_from_log_keeps_digits_far_out);
    tcase_add_test(tc, sci_from_ld_and_back);
    tcase_add_test(tc, key_digits_are_printfs);
    tcase_add_test(tc, sci_prints_only_right_digits);
    tcase_add_test(tc, decimal_products);
    tcase_add_test(tc, close_helper_special_values);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_stream.c — reproducible random streams (stream.h). */
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "fmsolve.h"
#include "testutil.h"

/* Values of the documented formula (SplitMix64's finaliser, applied to the
 * seed and then to its mix with the stream, folded to 32 bits), computed
 * independently in Python with integers of unlimited size. */
START_TEST(seed_matches_the_formula)
{
    static const struct {
        uint64_t seed, stream;
        unsigned long want;
    } cases[] = {
        { 0, 0, 3927941952UL },
        { 1, 0, 712559126UL },
        { 0, 1, 3223734438UL },
        { 42, 7, 88066156UL },
        { UINT64_MAX, UINT64_MAX, 78474504UL },
        { UINT64_C(1) << 63, 12345, 4070997171UL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(fms_stream_seed(cases[i].seed, cases[i].stream) == cases[i].want, "case %zu: %lu", i,
                      fms_stream_seed(cases[i].seed, cases[i].stream));
}
END_TEST

/* Never 0 (MT19937's default seed), always 32 bits, and neighbouring seeds
 * and streams give different generators. */
START_TEST(seeds_are_nonzero_and_spread)
{
    for (uint64_t s = 0; s < 64; s++)
        for (uint64_t c = 0; c < 64; c++) {
            unsigned long v = fms_stream_seed(s, c);
            ck_assert(v != 0 && v <= 0xffffffffUL);
            if (c > 0)
                ck_assert(v != fms_stream_seed(s, c - 1));
            if (s > 0)
                ck_assert(v != fms_stream_seed(s - 1, c));
        }
}
END_TEST

START_TEST(rng_is_seeded_by_stream)
{
    gsl_rng *a = NULL, *b = NULL, *c = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_stream_rng(2024, 3, &a, &err), FMS_OK);
    ck_assert_int_eq(fms_stream_rng(2024, 3, &b, &err), FMS_OK);
    ck_assert_int_eq(fms_stream_rng(2024, 4, &c, &err), FMS_OK);
    ck_assert_str_eq(gsl_rng_name(a), "mt19937");
    gsl_rng *ref = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(ref, fms_stream_seed(2024, 3));
    int same_as_c = 1;
    for (int i = 0; i < 100; i++) {
        unsigned long x = gsl_rng_get(a), y = gsl_rng_get(b), z = gsl_rng_get(c), r = gsl_rng_get(ref);
        ck_assert_uint_eq(x, y);
        ck_assert_uint_eq(x, r);
        same_as_c &= x == z;
    }
    ck_assert(!same_as_c);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
    gsl_rng_free(ref);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_matches_the_formula);
    tcase_add_test(tc, seeds_are_nonzero_and_spread);
    tcase_add_test(tc, rng_is_seeded_by_stream);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

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
    tcase_add_test(tc, close_helper_special_values);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

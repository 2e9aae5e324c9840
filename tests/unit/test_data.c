/* test_data.c — data sets (data.h). */
#include <math.h>

#include "fmsolve.h"
#include "testutil.h"

START_TEST(normalises_weights)
{
    static const char *const labels[] = { "L", "M", "R" };
    static const double x[] = { -1.25, 0.375, 2.385 }, w[] = { 2, 5, 3 };
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, 3, labels, x, w, NULL), FMS_OK);
    ck_assert_close(d->prob[0], 0.2, TOL(2), 0);
    ck_assert_close(d->prob[1], 0.5, TOL(2), 0);
    ck_assert_close(d->log_prob[2], log(0.3), TOL(4), 0);
    ck_assert_close(fms_data_mean(d), 0.2 * -1.25 + 0.5 * 0.375 + 0.3 * 2.385, TOL(8), 0);
    ck_assert_close(fms_data_spread(d), 2.385 + 1.25, TOL(2), 0);
    ck_assert_int_eq(fms_data_find(d, "M"), 1);
    ck_assert_int_eq(fms_data_find(d, "Q"), -1);
    fms_data_free(d);
}
END_TEST

START_TEST(create_errors)
{
    fms_data *d = NULL;
    fms_error err;
    static const char *const two[] = { "A", "A" };
    static const char *const bad_label[] = { "1A" };
    static const double x2[] = { 0.5, -0.5 }, w2[] = { 1, 1 };
    fms_error_clear(&err);
    ck_assert_int_eq(fms_data_create(&d, 2, two, x2, w2, &err), FMS_EINVAL);
    ck_assert_ptr_null(d);
    ck_assert_str_eq(err.msg, "label 'A' is used twice");
    ck_assert_int_eq(fms_data_create(&d, 1, bad_label, x2, w2, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_data_create(&d, 0, two, x2, w2, NULL), FMS_EINVAL);
    static const char *const ab[] = { "A", "B" };
    static const double wneg[] = { 1, -1 }, wzero[] = { 1, 0 }, xnan[] = { NAN, 0 };
    ck_assert_int_eq(fms_data_create(&d, 2, ab, x2, wneg, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_data_create(&d, 2, ab, x2, wzero, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_data_create(&d, 2, ab, xnan, w2, NULL), FMS_EINVAL);
}
END_TEST

START_TEST(parse_spec)
{
    fms_data *d = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_data_parse("A=0.5:0.5, B = -0.5 : 0.5", &d, &err), FMS_OK);
    ck_assert_uint_eq(d->n, 2);
    ck_assert_double_eq(d->x[1], -0.5);
    ck_assert_close(d->prob[0], 0.5, 0, 0);
    fms_data_free(d);
    ck_assert_int_eq(fms_data_parse("p=2.385", &d, NULL), FMS_OK); /* weight defaults to 1 */
    ck_assert_double_eq(d->prob[0], 1.0);
    fms_data_free(d);
    static const char *const bad[] = { "", "A", "A=", "A=x", "A=1:", "A=1:y", "=1", "A=1,,B=2", "A=1:0", "A=1,A=2",
                                       NULL };
    for (int i = 0; bad[i]; i++) {
        fms_error_clear(&err);
        ck_assert_msg(fms_data_parse(bad[i], &d, &err) != FMS_OK, "'%s' was accepted", bad[i]);
        ck_assert_ptr_null(d);
        ck_assert(err.msg[0] != '\0');
    }
}
END_TEST

START_TEST(labels)
{
    ck_assert(fms_data_label_valid("A"));
    ck_assert(fms_data_label_valid("x_1"));
    ck_assert(!fms_data_label_valid(""));
    ck_assert(!fms_data_label_valid("1x"));
    ck_assert(!fms_data_label_valid("a-b"));
    ck_assert(!fms_data_label_valid("a b"));
    ck_assert(!fms_data_label_valid("abcdefghijklmnopqrstuvwxyz0123456789"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("data");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, normalises_weights);
    tcase_add_test(tc, create_errors);
    tcase_add_test(tc, parse_spec);
    tcase_add_test(tc, labels);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

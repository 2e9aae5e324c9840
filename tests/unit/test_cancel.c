/* test_cancel.c — the cancel flag and the long runs that poll it (base/cancel.h). */
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

START_TEST(flag)
{
    fms_cancel_clear();
    ck_assert_int_eq(fms_cancel_requested(), 0);
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_cancel_poll(&err), FMS_OK);
    fms_cancel_request();
    ck_assert_int_eq(fms_cancel_requested(), 1);
    ck_assert_int_eq(fms_cancel_poll(&err), FMS_EINTR);
    ck_assert_str_eq(err.msg, "interrupted");
    ck_assert_int_eq(fms_cancel_poll(NULL), FMS_EINTR);
    fms_cancel_clear();
    ck_assert_int_eq(fms_cancel_poll(NULL), FMS_OK);
}
END_TEST

/* A run asked for far more than a test can wait for stops at once. */
START_TEST(runs_stop)
{
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    fms_cancel_request();
    fms_error err;

    fms_error_clear(&err);
    fms_sample_opts so;
    fms_sampler_opts_init(&so);
    so.particles = FMS_SAMPLER_MAX_PARTICLES;
    so.spec.steps = FMS_SAMPLER_MAX_STEPS;
    fms_sample_result *sr = NULL;
    ck_assert_int_eq(fms_sampler_run(set->data, &so, &sr, &err), FMS_EINTR);
    ck_assert_ptr_null(sr);

    fms_error_clear(&err);
    fms_simulate_opts mo = { FMS_SIMULATE_MAX_SAMPLES, 1, 0.02, NULL, NULL };
    fms_simulate_result *mr = NULL;
    ck_assert_int_eq(fms_simulate_run(set->data, 0.9, 0.5, &mo, &mr, &err), FMS_EINTR);

    fms_error_clear(&err);
    fms_train_opts to = { FMS_TRAIN_MAX_STEPS, 1, 0, 0, NULL, NULL };
    fms_train_model *m = NULL;
    ck_assert_int_eq(fms_train_fit(set->data, &to, &m, &err), FMS_EINTR);
    ck_assert_str_eq(err.msg, "interrupted");

    fms_cancel_clear();
    fms_exset_free(set);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cancel");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, flag);
    tcase_add_test(tc, runs_stop);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

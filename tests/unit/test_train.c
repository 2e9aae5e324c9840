/* test_train.c — u_θ fitted by L6 (train.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static void check_set(const char *ini, long long steps, int seed_sheet)
{
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    if (ini)
        ck_assert_msg(fms_exset_load_string("test", ini, strlen(ini), &set, &err) == FMS_OK, "%s", err.msg);
    else
        ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    fms_train_opts o = { steps, 2385, 0, 0, NULL, NULL };
    fms_train_model *m = NULL;
    ck_assert_msg(fms_train_fit(set->data, &o, &m, &err) == FMS_OK, "%s", err.msg);
    ck_assert_uint_eq((size_t)(m->used + m->dropped), (size_t)steps);
    ck_assert(m->nloss >= 2);
    /* The held-out loss falls from the first checkpoint to the last. */
    ck_assert(m->loss[m->nloss - 1] < m->loss[0]);
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *ex = &set->ex[i];
        if (ex->kind != FMS_EX_POINT)
            continue;
        fms_posterior p;
        ck_assert_int_eq(fms_engine_eval(set->data, ex->t, ex->x_t, NULL, &p, NULL), FMS_OK);
        double u;
        ck_assert_int_eq(fms_train_eval(m, ex->t, ex->x_t, &u, NULL), FMS_OK);
        double tol = seed_sheet ? TOL_FIT : 2 * TOL_FIT * fmax(1.0, fabs(p.velocity));
        ck_assert_msg(fabs(u - p.velocity) < tol, "%s: learned %g, exact %g", ex->id, u, p.velocity);
    }
    fms_train_free(m);
    fms_exset_free(set);
}

START_TEST(seed_sheet_within_tolerance)
{
    check_set(NULL, 300000, 1);
}
END_TEST

START_TEST(variant_sheet_within_tolerance)
{
    static const char ini[] =
        "[data]\nP = 2.385, 1\nQ = -1.25, 2\nR = 0.125, 5\n"
        "[1]\nt = 0.3\nx_t = 0.731\nparts = limit\n"
        "[2]\nt = 0.75\nx_t = -0.9\nparts = limit\n"
        "[3]\nt = 0.05\nx_t = 1.5\nparts = limit\n";
    check_set(ini, 300000, 0);
}
END_TEST

START_TEST(errors)
{
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    fms_train_opts o = { 0, 1, 0, 0, NULL, NULL };
    fms_train_model *m = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_train_fit(set->data, &o, &m, &err), FMS_EINVAL);
    o.steps = 5000;
    o.nx = 5000;
    ck_assert_int_eq(fms_train_fit(set->data, &o, &m, NULL), FMS_EINVAL);
    o.nx = 0;
    ck_assert_int_eq(fms_train_fit(NULL, &o, &m, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_train_fit(set->data, &o, &m, NULL), FMS_OK);
    double u;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_train_eval(m, 0.5, 100.0, &u, &err), FMS_EDOM);
    ck_assert_ptr_nonnull(strstr(err.msg, "100"));
    ck_assert_int_eq(fms_train_eval(m, 1.5, 0.0, &u, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_train_eval(m, NAN, 0.0, &u, NULL), FMS_EDOM);
    fms_train_free(m);
    fms_train_free(NULL);
    fms_exset_free(set);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("train");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_sheet_within_tolerance);
    tcase_add_test(tc, variant_sheet_within_tolerance);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

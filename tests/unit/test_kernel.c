/* test_kernel.c — the fast posterior mean (kernel.h) against the engine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_data *make(size_t n, const char *const *labels, const double *x, const double *w)
{
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, n, labels, x, w, NULL), FMS_OK);
    return d;
}

static void compare_engine(const fms_data *d, const double *ts, size_t nt, const double *xs, size_t nx)
{
    fms_kernel *k = NULL;
    ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
    double *hat = malloc(nx * sizeof *hat);
    for (size_t a = 0; a < nt; a++) {
        ck_assert_int_eq(fms_kernel_x1hat_at(k, ts[a], nx, xs, hat, NULL), FMS_OK);
        for (size_t i = 0; i < nx; i++) {
            fms_posterior p;
            ck_assert_int_eq(fms_engine_eval(d, ts[a], xs[i], NULL, &p, NULL), FMS_OK);
            ck_assert_close(hat[i], p.x1_mean, TOL_ROUTE, TOL_CLOSE);
            double v = fms_kernel_velocity(ts[a], xs[i], hat[i]);
            double e = fms_kernel_eps(ts[a], xs[i], hat[i]);
            /* v and ε̂ divide a difference by 1 − t: compare on the scale of its terms. */
            double scale = (fabs(xs[i]) + 1.0) / (1.0 - ts[a]);
            ck_assert_close(v, p.velocity, 0, TOL_ROUTE * scale);
            ck_assert_close(e, p.eps_mean, 0, TOL_ROUTE * scale);
        }
    }
    free(hat);
    fms_kernel_free(k);
}

START_TEST(seed_sheet_matches_engine)
{
    static const char *const labels[] = { "A", "B" };
    static const double x[] = { 0.5, -0.5 }, w[] = { 0.5, 0.5 };
    fms_data *d = make(2, labels, x, w);
    static const double ts[] = { 0.0, 0.25, 0.5, 0.9, 0.99 };
    double xs[301];
    for (int i = 0; i < 301; i++)
        xs[i] = -3.0 + 0.02 * i + 0.0013;
    compare_engine(d, ts, 5, xs, 301);
    fms_data_free(d);
}
END_TEST

START_TEST(uneven_sheet_matches_engine)
{
    static const char *const labels[] = { "P", "Q", "R", "S" };
    static const double x[] = { 2.385, -1.25, 0.125, 0.731 }, w[] = { 1, 2, 5, 0.3 };
    fms_data *d = make(4, labels, x, w);
    static const double ts[] = { 0.0, 0.1234, 0.61, 0.875 };
    double xs[600]; /* more than two kernel blocks, not a multiple of one */
    for (int i = 0; i < 600; i++)
        xs[i] = -4.0 + 0.0137 * i;
    compare_engine(d, ts, 4, xs, 600);
    fms_data_free(d);
}
END_TEST

START_TEST(hundred_points_match_engine)
{
    const char *labels[100];
    char names[100][8];
    double x[100], w[100];
    for (int i = 0; i < 100; i++) {
        snprintf(names[i], sizeof names[i], "P%d", i);
        labels[i] = names[i];
        x[i] = sin(1.7 * i) * 2.385;
        w[i] = 1.0 + (i % 7);
    }
    fms_data *d = make(100, labels, x, w);
    static const double ts[] = { 0.3, 0.8 };
    double xs[257];
    for (int i = 0; i < 257; i++)
        xs[i] = -3.0 + 0.0234 * i;
    compare_engine(d, ts, 2, xs, 257);
    fms_data_free(d);
}
END_TEST

START_TEST(errors)
{
    static const char *const labels[] = { "A", "B" };
    static const double x[] = { 0.5, -0.5 };
    fms_data *d = make(2, labels, x, NULL);
    fms_kernel *k = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_kernel_create(NULL, &k, &err), FMS_EINVAL);
    ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
    double in[3] = { 0.1, NAN, 0.2 }, out[3];
    fms_error_clear(&err);
    ck_assert_int_eq(fms_kernel_x1hat_at(k, 1.0, 1, in, out, &err), FMS_EDOM);
    ck_assert_int_eq(fms_kernel_x1hat_at(k, -0.1, 1, in, out, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_kernel_x1hat_at(k, NAN, 1, in, out, NULL), FMS_EDOM);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_kernel_x1hat_at(k, 0.5, 3, in, out, &err), FMS_EDOM);
    ck_assert_ptr_nonnull(strstr(err.msg, "particle 1"));
    in[1] = INFINITY;
    ck_assert_int_eq(fms_kernel_x1hat_at(k, 0.5, 3, in, out, NULL), FMS_EDOM);
    /* |x|·g_k beyond the double range. */
    in[1] = 1e300;
    ck_assert_int_eq(fms_kernel_x1hat_at(k, 0.999999, 3, in, out, NULL), FMS_ERANGE);
    fms_kernel_free(k);
    fms_kernel_free(NULL);
    fms_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kernel");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_sheet_matches_engine);
    tcase_add_test(tc, uneven_sheet_matches_engine);
    tcase_add_test(tc, hundred_points_match_engine);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

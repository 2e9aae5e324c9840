/* test_kernel.c — the fast posterior mean (kernel.h) against the engine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "dynamics/kernel_fast.h"
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

/* 100 points x_k = 2.385·sin(1.7k) with weights 1 + (k mod 7). */
static fms_data *hundred_points(void)
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
    return make(100, labels, x, w);
}

START_TEST(hundred_points_match_engine)
{
    fms_data *d = hundred_points();
    static const double ts[] = { 0.3, 0.8 };
    double xs[257];
    for (int i = 0; i < 257; i++)
        xs[i] = -3.0 + 0.0234 * i;
    compare_engine(d, ts, 2, xs, 257);
    fms_data_free(d);
}
END_TEST

START_TEST(hundred_points_late_times_match_engine)
{
    /* Late t: the posterior is narrow, so the window leaves points out. */
    fms_data *d = hundred_points();
    static const double ts[] = { 0.9, 0.97, 0.995 };
    double xs[300];
    for (int i = 0; i < 300; i++)
        xs[i] = -2.5 + 0.0167 * i;
    compare_engine(d, ts, 3, xs, 300);
    fms_data_free(d);
}
END_TEST

/* A linear congruential generator: the test's own, reproducible numbers in [0, 1). */
static double urand(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * 0x1p-53;
}

START_TEST(window_matches_full_sum)
{
    /* Random sets (16 to 2000 points, spreads 0.01 to 100, unequal
     * weights), random times (a third of them within 0.1 of 1) and random
     * particles: the windowed sum against every term, the same doubles or
     * one ulp apart (kernel.h). */
    unsigned long long seed = 2385;
    long same = 0, total = 0;
    for (int trial = 0; trial < 60; trial++) {
        const size_t n = 16 + (size_t)(urand(&seed) * 1985);
        const char **labels = malloc(n * sizeof *labels);
        char (*names)[24] = malloc(n * sizeof *names);
        double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w);
        const double spread = pow(10.0, -2.0 + 4.0 * urand(&seed));
        for (size_t k = 0; k < n; k++) {
            snprintf(names[k], sizeof names[k], "P%zu", k);
            labels[k] = names[k];
            x[k] = spread * (2.0 * urand(&seed) - 1.0);
            w[k] = 0.01 + urand(&seed);
        }
        fms_data *d = make(n, labels, x, w);
        fms_kernel *k = NULL;
        ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
        const double t = trial % 3 == 0 ? 1.0 - pow(10.0, -1.0 - 3.0 * urand(&seed)) : urand(&seed);
        enum { M = 300 };
        double xs[M], win[M], full[M];
        for (int i = 0; i < M; i++)
            xs[i] = (2.0 * urand(&seed) - 1.0) * (spread + 3.0);
        ck_assert_int_eq(fms_kernel_x1hat_at(k, t, M, xs, win, NULL), FMS_OK);
        fms_kernel_set_window(k, 0);
        ck_assert_int_eq(fms_kernel_x1hat_at(k, t, M, xs, full, NULL), FMS_OK);
        for (int i = 0; i < M; i++) {
            ck_assert_msg(win[i] == full[i] || nextafter(win[i], full[i]) == full[i],
                          "n = %zu, t = %.17g, x = %.17g: window %.17g, full sum %.17g", n, t, xs[i], win[i], full[i]);
            same += win[i] == full[i];
            total++;
        }
        fms_kernel_free(k);
        fms_data_free(d);
        free(labels);
        free(names);
        free(x);
        free(w);
    }
    ck_assert_msg(same * 10 >= total * 9, "only %ld of %ld results are the same doubles", same, total);
}
END_TEST

START_TEST(one_point_is_exact)
{
    /* The posterior of a single point is 1 everywhere, up to t next to 1
     * (the fast path once returned inf/NaN there). */
    static const char *const labels[] = { "only" };
    static const double x[] = { 2.385 };
    fms_data *d = make(1, labels, x, NULL);
    fms_kernel *k = NULL;
    ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
    static const double ts[] = { 0.0, 0.5, 0.999, 1.0 - 0x1p-30, 1.0 - 0x1p-50 };
    double xs[5] = { -3.0, 0.0, 2.385, 7.5, -1e6 }, hat[5];
    for (int a = 0; a < 5; a++) {
        ck_assert_int_eq(fms_kernel_x1hat_at(k, ts[a], 5, xs, hat, NULL), FMS_OK);
        for (int i = 0; i < 5; i++)
            ck_assert_close(hat[i], 2.385, 0, 0);
    }
    double x1;
    ck_assert_int_eq(fms_sampler_reference(k, 0.3, 0.5, NULL, &x1, NULL), FMS_OK);
    ck_assert_close(x1, 2.385, 0, 0);
    fms_kernel_free(k);
    fms_data_free(d);
}
END_TEST

START_TEST(two_points_late_times)
{
    /* The two-point path forms the log-odds from differences: near t = 1
     * it still matches the engine. */
    static const char *const labels[] = { "A", "B" };
    static const double x[] = { 0.5, -0.5 }, w[] = { 0.3, 0.7 };
    fms_data *d = make(2, labels, x, w);
    static const double ts[] = { 0.999, 0.99999 };
    double xs[41];
    for (int i = 0; i < 41; i++)
        xs[i] = 2.5e-7 * (i - 20); /* across the boundary between the two basins */
    compare_engine(d, ts, 2, xs, 41);
    fms_data_free(d);
}
END_TEST

START_TEST(exp_within_an_ulp)
{
    double worst = 0.0;
    for (int i = 0; i <= 700000; i++) {
        const double a = -0.001 * i - 1e-7 * (i % 13);
        if (a < -700.0)
            break;
        const double e = fms_kernel_fast_exp(a), want = exp(a);
        const double ulp = nextafter(want, INFINITY) - want;
        worst = fmax(worst, fabs(e - want) / ulp);
    }
    ck_assert_msg(worst <= 1.0, "the kernel's exp is %g ulp from libm's", worst);
    ck_assert_close(fms_kernel_fast_exp(0.0), 1.0, 0, 0);
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
    tcase_add_test(tc, hundred_points_late_times_match_engine);
    tcase_add_test(tc, window_matches_full_sum);
    tcase_add_test(tc, one_point_is_exact);
    tcase_add_test(tc, two_points_late_times);
    tcase_add_test(tc, exp_within_an_ulp);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

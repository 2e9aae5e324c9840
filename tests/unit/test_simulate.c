/* test_simulate.c — the Monte Carlo of the training loop (simulate.h). */
#include <math.h>
#include <stdlib.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_data *seed_data(void)
{
    static const char *const labels[] = { "A", "B" };
    static const double x[] = { 0.5, -0.5 }, w[] = { 0.5, 0.5 };
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, 2, labels, x, w, NULL), FMS_OK);
    return d;
}

static fms_simulate_result *run(const fms_data *d, double t, double x, long long n, double h, uint64_t seed)
{
    fms_simulate_opts o = { n, seed, h, NULL, NULL };
    fms_simulate_result *r = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_simulate_run(d, t, x, &o, &r, &err) == FMS_OK, "%s", err.msg);
    return r;
}

static void assert_covers(const fms_simulate_result *r)
{
    ck_assert(r->hits > 100);
    for (size_t k = 0; k < r->n; k++)
        ck_assert_msg(r->ci_lo[k] <= r->exact_window[k] && r->exact_window[k] <= r->ci_hi[k],
                      "label %zu: [%g, %g] misses %g", k, r->ci_lo[k], r->ci_hi[k], r->exact_window[k]);
    ck_assert_msg(r->mean_ci_lo <= r->exact_velocity_window && r->exact_velocity_window <= r->mean_ci_hi,
                  "[%g, %g] misses %g", r->mean_ci_lo, r->mean_ci_hi, r->exact_velocity_window);
}

START_TEST(intervals_cover_window_values)
{
    fms_data *d = seed_data();
    fms_simulate_result *r = run(d, 0.9, 0.5, 1500000, 0.03, 7);
    assert_covers(r);
    /* B is never seen near 1.3: its interval is [0, z²/(n + z²)]. */
    ck_assert_uint_eq(r->count[1], 0);
    ck_assert_close(r->ci_lo[1], 0.0, 0, 0);
    double z = 1.959963984540054;
    ck_assert_close(r->ci_hi[1], z * z / ((double)r->hits + z * z), TOL_CLOSE, 0);
    ck_assert(r->exact_point[1] > 2.8e-20 && r->exact_point[1] < 2.9e-20);
    fms_simulate_result_free(r);
    r = run(d, 0.5, 0.0, 1500000, 0.03, 8);
    assert_covers(r);
    fms_simulate_result_free(r);
    r = run(d, 0.0, 0.5, 1500000, 0.03, 9);
    ck_assert_close(r->t_lo, 0.0, 0, 0);
    assert_covers(r);
    fms_simulate_result_free(r);
    fms_data_free(d);
}
END_TEST

START_TEST(whole_plane_window_gives_priors)
{
    static const char *const labels[] = { "P", "Q", "R" };
    static const double x[] = { 2.385, -1.25, 0.125 }, w[] = { 1, 2, 5 };
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, 3, labels, x, w, NULL), FMS_OK);
    double share[3], v;
    ck_assert_int_eq(fms_simulate_window_exact(d, 0.0, 0.999, -60.0, 60.0, share, &v, NULL), FMS_OK);
    for (int k = 0; k < 3; k++)
        ck_assert_close(share[k], d->prob[k], TOL_QUAD, 0);
    /* Over every (x_t, t), E[x1 − ε] = E[x1]. */
    ck_assert_close(v, fms_data_mean(d), TOL_QUAD, TOL_COND);
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_simulate_window_exact(d, 0.5, 0.4, 0.0, 1.0, share, &v, &err), FMS_EDOM);
    ck_assert_int_eq(fms_simulate_window_exact(d, 0.1, 0.2, 1e9, 1e9 + 1, share, &v, NULL), FMS_ERANGE);
    fms_data_free(d);
}
END_TEST

START_TEST(errors)
{
    fms_data *d = seed_data();
    fms_simulate_result *r = NULL;
    fms_simulate_opts o = { 0, 1, 0.02, NULL, NULL };
    ck_assert_int_eq(fms_simulate_run(d, 0.5, 0.0, &o, &r, NULL), FMS_EINVAL);
    o.samples = 100;
    o.window = -1.0;
    ck_assert_int_eq(fms_simulate_run(d, 0.5, 0.0, &o, &r, NULL), FMS_EINVAL);
    o.window = NAN;
    ck_assert_int_eq(fms_simulate_run(d, 0.5, 0.0, &o, &r, NULL), FMS_EINVAL);
    o.window = 0.02;
    ck_assert_int_eq(fms_simulate_run(d, 1.0, 0.0, &o, &r, NULL), FMS_EDOM);
    /* Too few samples to hit the window: a result, with undefined shares. */
    o.samples = 1;
    ck_assert_int_eq(fms_simulate_run(d, 0.5, 0.0, &o, &r, NULL), FMS_OK);
    ck_assert(r->hits <= 1);
    fms_simulate_result_free(r);
    fms_simulate_result_free(NULL);
    fms_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("simulate");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, intervals_cover_window_values);
    tcase_add_test(tc, whole_plane_window_gives_priors);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

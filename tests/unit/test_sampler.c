/* test_sampler.c — the sampling methods and parameterisations (sampler.h):
 * agreement, order of convergence against the reference, the run's
 * statistics, determinism across threads, errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

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

static fms_data *uneven_data(void)
{
    static const char *const labels[] = { "P", "Q", "R" };
    static const double x[] = { 2.385, -1.25, 0.125 }, w[] = { 1, 2, 5 };
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, 3, labels, x, w, NULL), FMS_OK);
    return d;
}

static fms_sample_result *run_spec(const fms_data *d, long long n, fms_sampler_spec spec, int ref)
{
    fms_sample_opts o;
    fms_sampler_opts_init(&o);
    o.particles = n;
    o.spec = spec;
    o.seed = 2385;
    o.reference = ref;
    fms_sample_result *r = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_sampler_run(d, &o, &r, &err) == FMS_OK, "%s", err.msg);
    return r;
}

static fms_sampler_spec spec_of(fms_sampler_method m, fms_sampler_param p, long long steps)
{
    fms_sampler_spec s = { m, p, steps, FMS_SAMPLER_DEFAULT_TOL, 1.0 };
    return s;
}

START_TEST(shares_match_probabilities)
{
    fms_data *d = uneven_data();
    const long long n = 70000; /* two chunks, the second partial */
    fms_sample_result *r = run_spec(d, n, spec_of(FMS_SAMPLER_DEFAULT_METHOD, FMS_SAMPLER_VELOCITY, 64), 0);
    size_t total = 0;
    for (size_t k = 0; k < d->n; k++) {
        double share = (double)r->count[k] / (double)n;
        double sd = sqrt(d->prob[k] * (1.0 - d->prob[k]) / (double)n);
        ck_assert_msg(fabs(share - d->prob[k]) < 4.0 * sd, "share of %s = %g, prob %g", d->labels[k], share,
                      d->prob[k]);
        total += r->count[k];
    }
    ck_assert_uint_eq(total, (size_t)n);
    size_t inhist = r->below + r->above;
    for (size_t b = 0; b < r->nbins; b++)
        inhist += r->hist[b];
    ck_assert_uint_eq(inhist, (size_t)n);
    ck_assert_close(r->mean, fms_data_mean(d), 0, TOL_STAT);
    ck_assert_int_eq(fms_sampler_resolved(r->std, r->data_std), 1);
    ck_assert(isnan(r->w1));
    fms_sampler_result_free(r);
    fms_data_free(d);
}
END_TEST

/* Every method, in every parameterisation, from the same noise: the end
 * points agree (the parameterisations only round differently, and epsilon
 * evaluates t = 0 at 2^-20), and the trajectory starts and ends right. */
START_TEST(parameterisations_agree)
{
    fms_data *d = uneven_data();
    fms_kernel *k = NULL;
    ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
    const size_t m = 3000;
    double *x0 = malloc(m * sizeof *x0), *a = malloc(m * sizeof *a), *b = malloc(m * sizeof *b);
    ck_assert_int_eq(fms_sampler_noise(11, m, x0, NULL), FMS_OK);
    for (int meth = 0; meth < FMS_SAMPLER_NMETHODS; meth++) {
        fms_sampler_spec sv = spec_of(meth, FMS_SAMPLER_VELOCITY, 40);
        const long long steps = fms_sampler_intervals(meth, 40);
        const size_t rows = (size_t)(meth == FMS_SAMPLER_ADAPTIVE ? 40 : steps) + 1;
        double *traj = malloc(m * rows * sizeof *traj);
        memcpy(a, x0, m * sizeof *a);
        ck_assert_int_eq(fms_sampler_solve(k, &sv, m, a, traj, NULL, NULL), FMS_OK);
        ck_assert_close(traj[17], x0[17], 0, 0);
        ck_assert_close(traj[(rows - 1) * m + 17], a[17], 0, 0);
        for (int p = 1; p < FMS_SAMPLER_NPARAMS; p++) {
            fms_sampler_spec sp = spec_of(meth, p, 40);
            memcpy(b, x0, m * sizeof *b);
            ck_assert_int_eq(fms_sampler_solve(k, &sp, m, b, NULL, NULL, NULL), FMS_OK);
            double worst = 0.0;
            for (size_t i = 0; i < m; i++)
                worst = fmax(worst, fabs(a[i] - b[i]));
            ck_assert_msg(worst < 1e-4, "%s: velocity and %s end points differ by %g", fms_sampler_method_name(meth),
                          fms_sampler_param_name(p), worst);
        }
        free(traj);
    }
    free(x0);
    free(a);
    free(b);
    fms_kernel_free(k);
    fms_data_free(d);
}
END_TEST

/* Mean |x(1/2) − reference| over 64 particles with N steps of method meth. */
static double mid_error(const fms_kernel *k, fms_sampler_method meth, long long n)
{
    enum { M = 64 };
    double x[M], ref[M], x1;
    ck_assert_int_eq(fms_sampler_noise(5, M, x, NULL), FMS_OK);
    for (int i = 0; i < M; i++)
        ck_assert_int_eq(fms_sampler_reference(k, x[i], 0.5, &ref[i], &x1, NULL), FMS_OK);
    fms_sampler_spec s = spec_of(meth, FMS_SAMPLER_VELOCITY, fms_sampler_evaluations(meth, n));
    ck_assert_int_eq(fms_sampler_intervals(meth, s.steps), n);
    double *traj = malloc((size_t)(n + 1) * M * sizeof *traj);
    ck_assert_int_eq(fms_sampler_solve(k, &s, M, x, traj, NULL, NULL), FMS_OK);
    double e = 0.0;
    for (int i = 0; i < M; i++)
        e += fabs(traj[(size_t)(n / 2) * M + i] - ref[i]);
    free(traj);
    return e / M;
}

/* The order of each method: the error at t = 1/2 falls by 2^p when the
 * steps double (within [0.75, 1.3]·2^p), on the seed and on a variant. */
static void check_orders(fms_data *d)
{
    fms_kernel *k = NULL;
    ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
    for (int meth = 0; meth < FMS_SAMPLER_ADAPTIVE; meth++) {
        const int p = fms_sampler_method_order(meth);
        const long long n = p == 4 ? 8 : 16; /* rk4 at 32 steps is near the reference's tolerance */
        const double e1 = mid_error(k, meth, n), e2 = mid_error(k, meth, 2 * n), want = ldexp(1.0, p);
        ck_assert_msg(e1 / e2 > 0.75 * want && e1 / e2 < 1.3 * want, "%s: error ratio %g (errors %g, %g), order %d",
                      fms_sampler_method_name(meth), e1 / e2, e1, e2, p);
    }
    fms_kernel_free(k);
    fms_data_free(d);
}

START_TEST(orders_seed)
{
    check_orders(seed_data());
}
END_TEST

START_TEST(orders_variant)
{
    check_orders(uneven_data());
}
END_TEST

START_TEST(adaptive_follows_tolerance)
{
    fms_data *d = uneven_data();
    fms_sampler_spec s = spec_of(FMS_SAMPLER_ADAPTIVE, FMS_SAMPLER_VELOCITY, 100);
    s.tol = 1e-4;
    fms_sample_result *r1 = run_spec(d, 300, s, 1);
    s.tol = 1e-8;
    fms_sample_result *r2 = run_spec(d, 300, s, 1);
    ck_assert_close(r1->ref_mid_t, 0.5, 0, 0);
    ck_assert_msg(r1->ref_mid_mean_abs < 1e-4 && r2->ref_mid_mean_abs < 1e-8, "errors %g at tol 1e-4, %g at 1e-8",
                  r1->ref_mid_mean_abs, r2->ref_mid_mean_abs);
    ck_assert(r2->evaluations > r1->evaluations);
    ck_assert_int_eq(r1->intervals, 0);
    fms_sampler_result_free(r1);
    fms_sampler_result_free(r2);
    fms_data_free(d);
}
END_TEST

START_TEST(costs)
{
    /* evaluations(N): euler N, midpoint 2N, heun 2N − 1, rk4 4N − 3, dpm2 2N − 1. */
    static const long long want[FMS_SAMPLER_ADAPTIVE][2] = { { 100, 100 }, { 50, 100 }, { 50, 99 }, { 25, 97 },
                                                             { 50, 99 } };
    for (int m = 0; m < FMS_SAMPLER_ADAPTIVE; m++) {
        ck_assert_int_eq(fms_sampler_intervals(m, 100), want[m][0]);
        ck_assert_int_eq(fms_sampler_evaluations(m, want[m][0]), want[m][1]);
        ck_assert_int_eq(fms_sampler_intervals(m, 1), 1);
    }
    fms_data *d = seed_data();
    fms_sample_result *r = run_spec(d, 1000, spec_of(FMS_SAMPLER_RK4, FMS_SAMPLER_EPSILON, 100), 0);
    ck_assert_int_eq(r->intervals, 25);
    ck_assert_close(r->evaluations, 97.0, 0, 0);
    fms_sampler_result_free(r);
    fms_data_free(d);
}
END_TEST

START_TEST(graded_grid)
{
    /* t_j = 1 − (1 − j/N)^ρ: ρ = 1 is j/N exactly; the midpoint step is the
     * last with t_j ≤ 1/2; on the close pair of bench/, the graded grid's
     * short last steps send every particle where the reference does, where
     * the uniform grid of the same cost still splits some wrongly. */
    ck_assert_close(fms_sampler_grid_time(1.0, 3, 10), 0.3, 0, 0);
    ck_assert_close(fms_sampler_grid_time(2.0, 5, 10), 0.75, 0, TOL_TIGHT);
    ck_assert_close(fms_sampler_grid_time(2.0, 10, 10), 1.0, 0, 0);
    ck_assert_int_eq(fms_sampler_mid_step(1.0, 25), 12);
    ck_assert_int_eq(fms_sampler_mid_step(2.0, 10), 2);
    static const char *const labels[] = { "A", "B", "C", "D" };
    static const double x[] = { -1.5, 0.3, 0.4, 1.8 }, w[] = { 0.2, 0.3, 0.3, 0.2 };
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, 4, labels, x, w, NULL), FMS_OK);
    fms_sampler_spec s = spec_of(FMS_SAMPLER_RK4, FMS_SAMPLER_VELOCITY, 61);
    fms_sample_result *uniform = run_spec(d, 2000, s, 1);
    s.rho = 2.0;
    fms_sample_result *graded = run_spec(d, 2000, s, 1);
    /* t = 1/2 lies inside step 4 of 16 (t_4 = 0.4375, t_5 = 0.5381): interpolated. */
    ck_assert_close(graded->ref_mid_t, 0.5, 0, 0);
    ck_assert_msg(graded->ref_mid_mean_abs < 1e-4, "error at t = 1/2: %g", graded->ref_mid_mean_abs);
    ck_assert_msg(graded->ref_mean_abs < 1e-12 && uniform->ref_mean_abs > 1e-4, "end errors %g (graded), %g (uniform)",
                  graded->ref_mean_abs, uniform->ref_mean_abs);
    fms_sampler_result_free(uniform);
    fms_sampler_result_free(graded);
    fms_data_free(d);
}
END_TEST

START_TEST(reference_and_w1)
{
    fms_data *d = seed_data();
    fms_sample_result *r = run_spec(d, 2000, spec_of(FMS_SAMPLER_RK4, FMS_SAMPLER_X1, 100), 1);
    /* 25 rk4 steps: every end point is on its data point. */
    ck_assert(r->ref_mean_abs < 1e-12);
    ck_assert(r->ref_mid_mean_abs < 1e-6);
    /* Then W1 is the transport of the surplus share over the gap of 1. */
    const double surplus = fabs((double)r->count[0] / 2000.0 - 0.5);
    ck_assert_close(r->w1, surplus, 0, 1e-9);
    fms_sampler_result_free(r);
    fms_data_free(d);
}
END_TEST

START_TEST(unresolved_data_are_flagged)
{
    /* Two points 2e-8 apart: 100 Euler steps end every particle at their
     * mean; the adaptive method, which runs to 1 − 2^-30, resolves them. */
    static const char *const labels[] = { "A", "B" };
    static const double x[] = { 1e-8, -1e-8 };
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, 2, labels, x, NULL, NULL), FMS_OK);
    fms_sample_result *r = run_spec(d, 2000, spec_of(FMS_SAMPLER_EULER, FMS_SAMPLER_VELOCITY, 100), 0);
    ck_assert_int_eq(fms_sampler_resolved(r->std, r->data_std), 0);
    fms_sampler_result_free(r);
    r = run_spec(d, 2000, spec_of(FMS_SAMPLER_ADAPTIVE, FMS_SAMPLER_VELOCITY, 100), 0);
    ck_assert_int_eq(fms_sampler_resolved(r->std, r->data_std), 1);
    ck_assert_close((double)r->count[0] / 2000.0, 0.5, 0, 0.05);
    fms_sampler_result_free(r);
    fms_data_free(d);
}
END_TEST

START_TEST(threads_do_not_matter)
{
#ifdef _OPENMP
    static const fms_sampler_method meths[] = { FMS_SAMPLER_EULER, FMS_SAMPLER_DPM2, FMS_SAMPLER_ADAPTIVE };
    fms_data *d = uneven_data();
    for (int i = 0; i < 3; i++) {
        fms_sampler_spec s = spec_of(meths[i], FMS_SAMPLER_EPSILON, 8);
        const long long n = meths[i] == FMS_SAMPLER_ADAPTIVE ? 20000 : 140000;
        omp_set_num_threads(1);
        fms_sample_result *r1 = run_spec(d, n, s, 0);
        omp_set_num_threads(3);
        fms_sample_result *r3 = run_spec(d, n, s, 0);
        for (size_t k = 0; k < d->n; k++)
            ck_assert_uint_eq(r1->count[k], r3->count[k]);
        ck_assert(r1->mean == r3->mean);
        ck_assert(r1->std == r3->std);
        ck_assert(r1->evaluations == r3->evaluations);
        fms_sampler_result_free(r1);
        fms_sampler_result_free(r3);
    }
    fms_data_free(d);
#endif
}
END_TEST

START_TEST(errors)
{
    fms_data *d = seed_data();
    fms_error err;
    fms_error_clear(&err);
    fms_sample_result *r = NULL;
    fms_sample_opts o;
    fms_sampler_opts_init(&o);
    o.particles = 0;
    ck_assert_int_eq(fms_sampler_run(d, &o, &r, &err), FMS_EINVAL);
    o.particles = 10;
    o.spec.steps = -3;
    ck_assert_int_eq(fms_sampler_run(d, &o, &r, NULL), FMS_EINVAL);
    o.spec.steps = 10;
    o.spec.method = FMS_SAMPLER_ADAPTIVE;
    o.spec.tol = 0.5;
    ck_assert_int_eq(fms_sampler_run(d, &o, &r, NULL), FMS_EINVAL);
    o.spec.method = (fms_sampler_method)99;
    ck_assert_int_eq(fms_sampler_run(d, &o, &r, NULL), FMS_EINVAL);
    o.spec.method = FMS_SAMPLER_RK4;
    o.spec.rho = 0.5;
    ck_assert_int_eq(fms_sampler_run(d, &o, &r, NULL), FMS_EINVAL);
    fms_kernel *k = NULL;
    ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
    double x[2] = { 0.3, NAN };
    fms_sampler_spec s = spec_of(FMS_SAMPLER_EULER, FMS_SAMPLER_VELOCITY, 0);
    ck_assert_int_eq(fms_sampler_solve(k, &s, 2, x, NULL, NULL, NULL), FMS_EINVAL);
    s.steps = 5;
    s.param = FMS_SAMPLER_EPSILON;
    ck_assert_int_eq(fms_sampler_solve(k, &s, 2, x, NULL, NULL, NULL), FMS_EDOM);
    double x1;
    ck_assert_int_eq(fms_sampler_reference(k, NAN, 0.5, NULL, &x1, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_sampler_reference(k, 0.3, 1.0, NULL, &x1, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_sampler_reference(k, 0.3, -0.1, NULL, &x1, NULL), FMS_EDOM);
    fms_sampler_param p;
    ck_assert_int_eq(fms_sampler_param_parse("epsilon", &p), FMS_OK);
    ck_assert_int_eq(p, FMS_SAMPLER_EPSILON);
    ck_assert_int_eq(fms_sampler_param_parse("x1", &p), FMS_OK);
    ck_assert_int_eq(p, FMS_SAMPLER_X1);
    ck_assert_int_eq(fms_sampler_param_parse("eps", &p), FMS_EINVAL);
    ck_assert_str_eq(fms_sampler_param_name(FMS_SAMPLER_VELOCITY), "velocity");
    fms_sampler_method m;
    ck_assert_int_eq(fms_sampler_method_parse("dpm2", &m), FMS_OK);
    ck_assert_int_eq(m, FMS_SAMPLER_DPM2);
    ck_assert_int_eq(fms_sampler_method_parse("rk45", &m), FMS_EINVAL);
    ck_assert_str_eq(fms_sampler_method_name(FMS_SAMPLER_ADAPTIVE), "adaptive");
    ck_assert_str_eq(fms_sampler_method_name((fms_sampler_method)42), "?");
    fms_kernel_free(k);
    fms_sampler_result_free(NULL);
    fms_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sampler");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, shares_match_probabilities);
    tcase_add_test(tc, parameterisations_agree);
    tcase_add_test(tc, orders_seed);
    tcase_add_test(tc, orders_variant);
    tcase_add_test(tc, adaptive_follows_tolerance);
    tcase_add_test(tc, costs);
    tcase_add_test(tc, graded_grid);
    tcase_add_test(tc, reference_and_w1);
    tcase_add_test(tc, unresolved_data_are_flagged);
    tcase_add_test(tc, threads_do_not_matter);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

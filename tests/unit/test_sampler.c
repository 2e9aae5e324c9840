/* test_sampler.c — Euler sampling in both parameterisations (sampler.h). */
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

static fms_sample_result *run(const fms_data *d, long long n, long long k, fms_sampler_param p, int ref)
{
    fms_sample_opts o = { n, k, p, 2385, ref, NULL, NULL };
    fms_sample_result *r = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_sampler_run(d, &o, &r, &err) == FMS_OK, "%s", err.msg);
    return r;
}

START_TEST(shares_match_probabilities)
{
    fms_data *d = uneven_data();
    const long long n = 70000; /* two chunks, the second partial */
    fms_sample_result *r = run(d, n, 64, FMS_SAMPLER_VELOCITY, 0);
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
    fms_sampler_result_free(r);
    fms_data_free(d);
}
END_TEST

START_TEST(parameterisations_agree)
{
    fms_data *d = uneven_data();
    fms_kernel *k = NULL;
    ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
    const size_t m = 3000, steps = 40;
    double *a = malloc(m * sizeof *a), *b = malloc(m * sizeof *b);
    double *traj = malloc(m * (steps + 1) * sizeof *traj);
    ck_assert_int_eq(fms_sampler_noise(11, m, a, NULL), FMS_OK);
    memcpy(b, a, m * sizeof *a);
    double first = a[17];
    ck_assert_int_eq(fms_sampler_euler(k, FMS_SAMPLER_VELOCITY, steps, m, a, traj, NULL), FMS_OK);
    ck_assert_int_eq(fms_sampler_euler(k, FMS_SAMPLER_EPSILON, steps, m, b, NULL, NULL), FMS_OK);
    double worst = 0.0;
    for (size_t i = 0; i < m; i++)
        worst = fmax(worst, fabs(a[i] - b[i]));
    /* The only difference is the t = 0 step, evaluated at t = 2^-20. */
    ck_assert_msg(worst < 1e-4, "velocity and epsilon end points differ by %g", worst);
    ck_assert_close(traj[17], first, 0, 0);
    ck_assert_close(traj[steps * m + 17], a[17], 0, 0);
    free(a);
    free(b);
    free(traj);
    fms_kernel_free(k);
    fms_data_free(d);
}
END_TEST

START_TEST(reference_error_halves)
{
    fms_data *d = seed_data();
    fms_sample_result *r1 = run(d, 400, 16, FMS_SAMPLER_VELOCITY, 1);
    fms_sample_result *r2 = run(d, 400, 32, FMS_SAMPLER_EPSILON, 1);
    ck_assert_close(r1->ref_mid_t, 0.5, 0, 0);
    double ratio = r1->ref_mid_mean_abs / r2->ref_mid_mean_abs;
    ck_assert_msg(ratio > 1.7 && ratio < 2.3, "error ratio %g (errors %g, %g)", ratio, r1->ref_mid_mean_abs,
                  r2->ref_mid_mean_abs);
    ck_assert(r2->ref_mean_abs < r1->ref_mean_abs + 1e-12);
    fms_sampler_result_free(r1);
    fms_sampler_result_free(r2);
    fms_data_free(d);
}
END_TEST

START_TEST(threads_do_not_matter)
{
#ifdef _OPENMP
    fms_data *d = uneven_data();
    omp_set_num_threads(1);
    fms_sample_result *r1 = run(d, 140000, 8, FMS_SAMPLER_EPSILON, 0);
    omp_set_num_threads(3);
    fms_sample_result *r3 = run(d, 140000, 8, FMS_SAMPLER_EPSILON, 0);
    for (size_t k = 0; k < d->n; k++)
        ck_assert_uint_eq(r1->count[k], r3->count[k]);
    ck_assert(r1->mean == r3->mean);
    ck_assert(r1->std == r3->std);
    fms_sampler_result_free(r1);
    fms_sampler_result_free(r3);
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
    fms_sample_opts o = { 0, 10, FMS_SAMPLER_VELOCITY, 1, 0, NULL, NULL };
    ck_assert_int_eq(fms_sampler_run(d, &o, &r, &err), FMS_EINVAL);
    o.particles = 10;
    o.steps = -3;
    ck_assert_int_eq(fms_sampler_run(d, &o, &r, NULL), FMS_EINVAL);
    fms_kernel *k = NULL;
    ck_assert_int_eq(fms_kernel_create(d, &k, NULL), FMS_OK);
    double x[2] = { 0.3, NAN };
    ck_assert_int_eq(fms_sampler_euler(k, FMS_SAMPLER_VELOCITY, 0, 2, x, NULL, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_sampler_euler(k, FMS_SAMPLER_EPSILON, 5, 2, x, NULL, NULL), FMS_EDOM);
    double x1;
    ck_assert_int_eq(fms_sampler_reference(k, NAN, 0.5, NULL, &x1, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_sampler_reference(k, 0.3, 0.7, NULL, &x1, NULL), FMS_EDOM);
    fms_sampler_param p;
    ck_assert_int_eq(fms_sampler_param_parse("epsilon", &p), FMS_OK);
    ck_assert_int_eq(p, FMS_SAMPLER_EPSILON);
    ck_assert_int_eq(fms_sampler_param_parse("eps", &p), FMS_EINVAL);
    ck_assert_str_eq(fms_sampler_param_name(FMS_SAMPLER_VELOCITY), "velocity");
    fms_kernel_free(k);
    fms_sampler_result_free(NULL);
    fms_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sampler");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, shares_match_probabilities);
    tcase_add_test(tc, parameterisations_agree);
    tcase_add_test(tc, reference_error_halves);
    tcase_add_test(tc, threads_do_not_matter);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

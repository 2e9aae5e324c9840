/* test_engine.c — the closed-form posterior and velocity (engine.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_data *make(size_t n, const char *const *labels, const double *x, const double *w)
{
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, n, labels, x, w, NULL), FMS_OK);
    return d;
}

static fms_data *seed_data(void)
{
    static const char *const labels[] = { "A", "B" };
    static const double x[] = { 0.5, -0.5 }, w[] = { 0.5, 0.5 };
    return make(2, labels, x, w);
}

/* An independent evaluation in long double, straight from the definitions
 * (no log-sum-exp), valid where no weight underflows. */
static void direct(const fms_data *d, double t, double xt, long double *v, long double *w0)
{
    long double num = 0, den = 0, shift = -INFINITY;
    for (size_t k = 0; k < d->n; k++) {
        long double eps = ((long double)xt - (long double)t * d->x[k]) / (1.0L - t);
        if (-eps * eps / 2 > shift)
            shift = -eps * eps / 2;
    }
    for (size_t k = 0; k < d->n; k++) {
        long double eps = ((long double)xt - (long double)t * d->x[k]) / (1.0L - t);
        long double a = (long double)d->prob[k] * expl(-eps * eps / 2 - shift);
        num += a * (d->x[k] - eps);
        den += a;
        if (k == 0)
            *w0 = a;
    }
    *v = num / den;
    *w0 /= den;
}

START_TEST(seed_point_1_3)
{
    fms_data *d = seed_data();
    fms_component c[2];
    fms_posterior p;
    ck_assert_int_eq(fms_engine_eval(d, 0.9, 0.5, c, &p, NULL), FMS_OK);
    ck_assert_close(c[0].eps, 0.5, TOL(16), 0);
    ck_assert_close(c[1].eps, 9.5, TOL(16), 0);
    ck_assert_close(c[0].u, 0.0, 0, 0);
    ck_assert_close(c[1].u, -10.0, TOL(16), 0);
    /* w_B = 1/(1 + e^45), ℓ_A = −log1p(e^−45): both exact to rounding. */
    double wb = exp(-45.0) / (1.0 + exp(-45.0));
    ck_assert_close(c[1].weight, wb, TOL(2000), 0);
    ck_assert_close(c[0].log_weight, -log1p(exp(-45.0)), TOL(2000), 0);
    ck_assert(c[0].log_weight < 0.0);
    ck_assert_close(p.velocity, -10.0 * wb, TOL(2000), 0);
    ck_assert_close(p.x1_mean, 0.5 - wb, TOL(16), 0);
    ck_assert_uint_eq(p.argmax, 0);
    fms_data_free(d);
}
END_TEST

START_TEST(t_zero_gives_priors)
{
    static const char *const labels[] = { "P", "Q", "R" };
    static const double x[] = { 2.385, -1.25, 0.125 }, w[] = { 1, 2, 5 };
    fms_data *d = make(3, labels, x, w);
    fms_component c[3];
    fms_posterior p;
    ck_assert_int_eq(fms_engine_eval(d, 0.0, -0.731, c, &p, NULL), FMS_OK);
    for (int k = 0; k < 3; k++) {
        ck_assert_close(c[k].weight, w[k] / 8.0, TOL(8), 0);
        ck_assert_close(c[k].eps, -0.731, 0, 0);
    }
    /* At t = 0 the field is E[x1] − x_t. */
    ck_assert_close(p.velocity, fms_data_mean(d) + 0.731, TOL(16), 0);
    fms_data_free(d);
}
END_TEST

START_TEST(weights_sum_to_one_and_identities)
{
    static const char *const labels[] = { "a", "b", "c", "d" };
    static const double x[] = { 2.385, -1.7, 0.31, 4.2 }, w[] = { 0.1, 0.2, 0.3, 0.4 };
    fms_data *d = make(4, labels, x, w);
    static const double ts[] = { 0.05, 0.3, 0.61, 0.87, 0.999 };
    static const double xs[] = { -3.3, -0.2, 0.77, 1.9, 5.1 };
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 5; j++) {
            fms_component c[4];
            fms_posterior p;
            ck_assert_int_eq(fms_engine_eval(d, ts[i], xs[j], c, &p, NULL), FMS_OK);
            double sum = 0;
            for (int k = 0; k < 4; k++)
                sum += c[k].weight;
            ck_assert_close(sum, 1.0, TOL(8), 0);
            double scale = fabs(xs[j]) / ts[i] + fabs(p.eps_mean) / ts[i] + 1;
            ck_assert_close(p.velocity, (p.x1_mean - xs[j]) / (1 - ts[i]), TOL(64), TOL(64) * scale);
            ck_assert_close(p.velocity, (xs[j] - p.eps_mean) / ts[i], TOL(64), TOL(64) * scale / (1 - ts[i]));
            long double v, w0;
            direct(d, ts[i], xs[j], &v, &w0);
            ck_assert_close(p.velocity, (double)v, TOL_COND, TOL_COND);
            ck_assert_close(c[0].weight, (double)w0, TOL_COND, TOL_UNDERFLOW);
        }
    fms_data_free(d);
}
END_TEST

START_TEST(symmetric_data_zero_velocity_at_origin)
{
    fms_data *d = seed_data();
    fms_posterior p;
    static const double ts[] = { 0.0, 0.25, 0.5, 0.9, 0.999999 };
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(fms_engine_eval(d, ts[i], 0.0, NULL, &p, NULL), FMS_OK);
        ck_assert_close(p.velocity, 0.0, 0, TOL(4));
    }
    fms_data_free(d);
}
END_TEST

START_TEST(near_one_is_finite)
{
    fms_data *d = seed_data();
    fms_component c[2];
    fms_posterior p;
    static const double xs[] = { 0.5, 0.3, -40, 1e6, -1e6 };
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(fms_engine_eval(d, 1 - 1e-9, xs[i], c, &p, NULL), FMS_OK);
        for (int k = 0; k < 2; k++) {
            ck_assert(isfinite(c[k].log_weight));
            ck_assert(!isnan(c[k].weight));
            ck_assert(isnan(c[k].weight_mant) || (c[k].weight_mant >= 1.0 && c[k].weight_mant < 10.0));
        }
        ck_assert(isfinite(p.velocity));
        ck_assert(isfinite(p.x1_mean));
    }
    /* x_t = 0.3 at t = 1 − 1e-9: ε_B − ε_A = 1e9·t, so ℓ_B ≈ −(ε_B² − ε_A²)/2 ≈ −8e17. */
    ck_assert_int_eq(fms_engine_eval(d, 1 - 1e-9, 0.3, c, &p, NULL), FMS_OK);
    ck_assert(c[1].log_weight < -1e17);
    ck_assert_double_eq(c[1].weight, 0.0);
    ck_assert(isnan(c[1].weight_mant)); /* ℓ < −1e15: no digit of a mantissa is known */
    /* A weight below a double, with a known mantissa: x_t = 0.3, t = 0.99. */
    ck_assert_int_eq(fms_engine_eval(d, 0.99, 0.3, c, &p, NULL), FMS_OK);
    ck_assert_double_eq(c[1].weight, 0.0);
    ck_assert(c[1].weight_e10 < -1000 && c[1].weight_mant >= 1.0);
    fms_data_free(d);
}
END_TEST

START_TEST(domain_errors)
{
    fms_data *d = seed_data();
    fms_posterior p;
    fms_error err;
    static const double bad_t[] = { 1.0, -0.1, 1.5, NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < 6; i++) {
        fms_error_clear(&err);
        ck_assert_int_eq(fms_engine_eval(d, bad_t[i], 0.5, NULL, &p, &err), FMS_EDOM);
        ck_assert(err.msg[0] != '\0');
    }
    fms_error_clear(&err);
    ck_assert_int_eq(fms_engine_eval(d, 0.5, NAN, NULL, &p, &err), FMS_EDOM);
    ck_assert_int_eq(fms_engine_eval(d, 0.5, INFINITY, NULL, &p, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_engine_eval(NULL, 0.5, 0.5, NULL, &p, NULL), FMS_EINVAL);
    /* ε² overflows: an error, not an infinite weight. */
    ck_assert_int_eq(fms_engine_eval(d, 0.5, 1e300, NULL, &p, NULL), FMS_ERANGE);
    fms_data_free(d);
}
END_TEST

START_TEST(fifty_points)
{
    const char *labels[50];
    char names[50][8];
    double x[50], w[50];
    for (int k = 0; k < 50; k++) {
        snprintf(names[k], sizeof names[k], "p%d", k);
        labels[k] = names[k];
        x[k] = -3.0 + 0.1234 * k;
        w[k] = 1.0 + (k % 7);
    }
    fms_data *d = make(50, labels, x, w);
    fms_posterior p;
    long double v, w0;
    static const double ts[] = { 0.0, 0.2, 0.7, 0.95 };
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(fms_engine_eval(d, ts[i], 1.37, NULL, &p, NULL), FMS_OK);
        direct(d, ts[i], 1.37, &v, &w0);
        ck_assert_close(p.velocity, (double)v, TOL_COND, TOL_COND);
    }
    fms_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_point_1_3);
    tcase_add_test(tc, t_zero_gives_priors);
    tcase_add_test(tc, weights_sum_to_one_and_identities);
    tcase_add_test(tc, symmetric_data_zero_velocity_at_origin);
    tcase_add_test(tc, near_one_is_finite);
    tcase_add_test(tc, domain_errors);
    tcase_add_test(tc, fifty_points);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

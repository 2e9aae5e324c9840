/* test_traj.c — seeded noise and Euler trajectories of the exact velocity (traj.h). */
#include <math.h>
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

static fms_data *seed_data(void)
{
    static const char *const labels[] = { "A", "B" };
    static const double x[] = { 0.5, -0.5 };
    return make(2, labels, x, NULL);
}

START_TEST(noise_is_reproducible)
{
    double a[64], b[64], c[64];
    ck_assert_int_eq(fms_traj_noise(2385, 64, a, NULL), FMS_OK);
    ck_assert_int_eq(fms_traj_noise(2385, 64, b, NULL), FMS_OK);
    ck_assert_int_eq(fms_traj_noise(2386, 64, c, NULL), FMS_OK);
    int differ = 0;
    double mean = 0;
    for (int i = 0; i < 64; i++) {
        ck_assert(a[i] == b[i]);
        ck_assert(isfinite(a[i]));
        differ += a[i] != c[i];
        mean += a[i] / 64;
    }
    ck_assert_int_eq(differ, 64);
    /* 64 standard normal draws: the mean is within 5 standard errors of 0. */
    ck_assert(fabs(mean) < 5.0 / 8.0);
    ck_assert_int_eq(fms_traj_noise(1, 0, NULL, NULL), FMS_OK);
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_traj_noise(1, 3, NULL, &err), FMS_EINVAL);
    ck_assert_int_eq(err.status, FMS_EINVAL);
}
END_TEST

/* With one data point c, u*(x, t) = (c − x)/(1 − t) and Euler reproduces the
 * straight line x(t) = (1 − t)·x0 + t·c exactly, step by step. */
START_TEST(single_point_is_a_straight_line)
{
    static const char *const labels[] = { "P" };
    static const double x[] = { 2.385 };
    fms_data *d = make(1, labels, x, NULL);
    const size_t steps = 37;
    double path[38], end;
    const double x0 = -1.2345;
    ck_assert_int_eq(fms_traj_euler(d, x0, steps, path, &end, NULL), FMS_OK);
    for (size_t i = 0; i <= steps; i++) {
        double t = (double)i / (double)steps;
        ck_assert_close(path[i], (1 - t) * x0 + t * x[0], TOL(64), TOL(64));
    }
    ck_assert(end == path[steps]);
    ck_assert_close(end, x[0], TOL(64), 0);
    fms_data_free(d);
}
END_TEST

START_TEST(ends_at_the_data)
{
    fms_data *d = seed_data();
    double ea, eb;
    ck_assert_int_eq(fms_traj_euler(d, 0.7312, 100, NULL, &ea, NULL), FMS_OK);
    ck_assert_int_eq(fms_traj_euler(d, -0.7312, 100, NULL, &eb, NULL), FMS_OK);
    ck_assert_close(ea, d->x[0], 1e-9, 1e-9);
    ck_assert_close(eb, d->x[1], 1e-9, 1e-9);
    /* The data are symmetric about 0, so the flow is odd. */
    ck_assert_close(eb, -ea, TOL(16), TOL(16));
    fms_data_free(d);
}
END_TEST

START_TEST(bad_arguments)
{
    fms_data *d = seed_data();
    fms_error err;
    double end;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_traj_euler(d, 0.3, 0, NULL, &end, &err), FMS_EINVAL);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_traj_euler(d, 0.3, FMS_TRAJ_MAX_STEPS + 1, NULL, &end, &err), FMS_EINVAL);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_traj_euler(d, NAN, 10, NULL, &end, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "not finite"));
    fms_error_clear(&err);
    ck_assert_int_eq(fms_traj_euler(NULL, 0.3, 10, NULL, &end, &err), FMS_EINVAL);
    /* A start so far out that ε² overflows: the engine's range error comes through. */
    fms_error_clear(&err);
    ck_assert_int_eq(fms_traj_euler(d, 1e200, 10, NULL, &end, &err), FMS_ERANGE);
    fms_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("traj");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, noise_is_reproducible);
    tcase_add_test(tc, single_point_is_a_straight_line);
    tcase_add_test(tc, ends_at_the_data);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_param.c — the five parameterizations and their conversions (param.h). */
#include <math.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static const char *const all_schedules[] = { "condot", "poly:2", "poly:0.5", "cosine",
                                             "linear-vp", "vp", "ve:0.01,50" };
#define NSCHED (sizeof all_schedules / sizeof all_schedules[0])

static fms_schedule_point at(const char *name, fms_time_convention c, long double t)
{
    fms_schedule s;
    fms_schedule_point p;
    ck_assert_int_eq(fms_schedule_parse(name, &s, NULL), FMS_OK);
    ck_assert_int_eq(fms_schedule_eval(&s, c, t, 1.0L - t, &p, NULL), FMS_OK);
    return p;
}

static fms_param_conversion convert(fms_param from, fms_param to, const fms_schedule_point *p, double x_t,
                                    double y)
{
    fms_param_conversion cv;
    ck_assert_int_eq(fms_param_convert(from, to, p, x_t, y, &cv, NULL), FMS_OK);
    return cv;
}

/* A small deterministic generator of uniform numbers in [lo, hi). */
static double uniform(unsigned long long *state, double lo, double hi)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (hi - lo) * (double)(*state >> 11) / 9007199254740992.0;
}

START_TEST(names)
{
    static const char *const want[] = { "velocity", "epsilon", "x1", "score", "v" };
    for (int i = 0; i < FMS_PARAM_COUNT; i++) {
        fms_param p;
        ck_assert_int_eq(fms_param_parse(want[i], &p, NULL), FMS_OK);
        ck_assert_int_eq(p, i);
        ck_assert_str_eq(fms_param_name(p), want[i]);
        ck_assert_str_ne(fms_param_title(p), "?");
    }
    fms_param p;
    ck_assert_int_eq(fms_param_parse("  x1 ", &p, NULL), FMS_OK);
    ck_assert_int_eq(p, FMS_PARAM_X1);
    fms_error e;
    static const char *const bad[] = { "eps", "x", "v x", "", "velocityy" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fms_error_clear(&e);
        ck_assert_int_eq(fms_param_parse(bad[i], &p, &e), FMS_EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "velocity, epsilon, x1, score or v"));
    }
    ck_assert_int_eq(fms_param_parse(NULL, &p, NULL), FMS_EINVAL);
    ck_assert_str_eq(fms_param_name((fms_param)9), "?");
    ck_assert_str_eq(fms_param_title((fms_param)-1), "?");
    ck_assert_ptr_null(fms_param_formula((fms_param)9, FMS_PARAM_X1));
    for (int i = 0; i < FMS_PARAM_COUNT; i++)
        for (int j = 0; j < FMS_PARAM_COUNT; j++) {
            const char *f = fms_param_formula((fms_param)i, (fms_param)j);
            ck_assert_ptr_nonnull(f);
            ck_assert_msg(strncmp(f, want[j], strlen(want[j])) == 0 && strncmp(f + strlen(want[j]), " = ", 3) == 0,
                          "%s", f);
        }
}
END_TEST

/* The sheet's path at t = 0.9, x_t = 0.5, by hand. */
START_TEST(condot_by_hand)
{
    fms_schedule_point p = at("condot", FMS_DATA_AT_1, 0.9L);
    const double t = 0.9, x = 0.5, y = 0.7;
    ck_assert_close(convert(FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, &p, x, y).value, (x - y) / t, TOL(8), 0);
    ck_assert_close(convert(FMS_PARAM_X1, FMS_PARAM_VELOCITY, &p, x, y).value, (y - x) / (1 - t), TOL(16), 0);
    ck_assert_close(convert(FMS_PARAM_VELOCITY, FMS_PARAM_X1, &p, x, y).value, x + (1 - t) * y, TOL(8), 0);
    ck_assert_close(convert(FMS_PARAM_VELOCITY, FMS_PARAM_EPSILON, &p, x, y).value, x - t * y, TOL(8), 0);
    ck_assert_close(convert(FMS_PARAM_EPSILON, FMS_PARAM_SCORE, &p, x, y).value, -y / (1 - t), TOL(16), 0);
    ck_assert_close(convert(FMS_PARAM_SCORE, FMS_PARAM_X1, &p, x, y).value, (x + (1 - t) * (1 - t) * y) / t,
                    TOL(8), 0);
    ck_assert_close(convert(FMS_PARAM_X1, FMS_PARAM_V, &p, x, y).value,
                    (t * x - (t * t + (1 - t) * (1 - t)) * y) / (1 - t), TOL(64), 0);
    fms_param_conversion cv = convert(FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, &p, x, y);
    ck_assert_int_eq(cv.determined, 1);
    ck_assert_str_eq(cv.reason, "");
    ck_assert_close(cv.gain, 1 / t, TOL(8), 0);
    ck_assert_close(cv.x1_gain, (1 - t) / t, TOL(8), 0);
    ck_assert_close(cv.scale * y + cv.offset, cv.value, TOL(8), 0);
    cv = convert(FMS_PARAM_V, FMS_PARAM_V, &p, x, y);
    ck_assert(cv.determined && cv.value == y && cv.gain == 1.0);
}
END_TEST

/* P → Q → P is the identity, and a·x̂1 + b is the conversion from x1. */
START_TEST(round_trips)
{
    unsigned long long state = 12;
    for (size_t i = 0; i < NSCHED; i++)
        for (int c = 0; c < 2; c++)
            for (int k = 0; k < 6; k++) {
                fms_schedule_point p = at(all_schedules[i], (fms_time_convention)c, uniform(&state, 0.03, 0.97));
                double x = uniform(&state, -3, 3), y = uniform(&state, -3, 3);
                for (int a = 0; a < FMS_PARAM_COUNT; a++) {
                    long double ca, cb;
                    ck_assert_int_eq(fms_param_coef((fms_param)a, &p, x, &ca, &cb, NULL), FMS_OK);
                    fms_param_conversion f = convert(FMS_PARAM_X1, (fms_param)a, &p, x, y);
                    ck_assert_close((double)(ca * y + cb), f.value, 1e-13, 1e-15 * (fabs(f.offset) + 1));
                    for (int b = 0; b < FMS_PARAM_COUNT; b++) {
                        fms_param_conversion there = convert((fms_param)a, (fms_param)b, &p, x, y);
                        fms_param_conversion back = convert((fms_param)b, (fms_param)a, &p, x, there.value);
                        ck_assert(there.determined && back.determined);
                        double scale = fabs(back.scale * there.value) + fabs(back.offset);
                        ck_assert_close(back.value, y, 1e-12, 1e-15 * scale);
                    }
                }
            }
}
END_TEST

/* A conversion in data-at-0 is the data-at-1 one at 1 − t, the velocity negated. */
START_TEST(data_at_0_negates_the_velocity)
{
    for (size_t i = 0; i < NSCHED; i++) {
        fms_schedule_point a = at(all_schedules[i], FMS_DATA_AT_0, 0.3L);
        fms_schedule s;
        fms_schedule_point b;
        ck_assert_int_eq(fms_schedule_parse(all_schedules[i], &s, NULL), FMS_OK);
        ck_assert_int_eq(fms_schedule_eval(&s, FMS_DATA_AT_1, 0.7L, 0.3L, &b, NULL), FMS_OK);
        ck_assert_close(convert(FMS_PARAM_X1, FMS_PARAM_VELOCITY, &a, 0.4, 1.1).value,
                        -convert(FMS_PARAM_X1, FMS_PARAM_VELOCITY, &b, 0.4, 1.1).value, TOL(4), 0);
        ck_assert_close(convert(FMS_PARAM_VELOCITY, FMS_PARAM_EPSILON, &a, 0.4, -1.1).value,
                        convert(FMS_PARAM_VELOCITY, FMS_PARAM_EPSILON, &b, 0.4, 1.1).value, TOL(4), 0);
        ck_assert_close(convert(FMS_PARAM_V, FMS_PARAM_SCORE, &a, 0.4, 1.1).value,
                        convert(FMS_PARAM_V, FMS_PARAM_SCORE, &b, 0.4, 1.1).value, TOL(4), 0);
    }
}
END_TEST

static void expect_undetermined(const char *sched, long double t, fms_param from, fms_param to, const char *needle)
{
    fms_schedule_point p = at(sched, FMS_DATA_AT_1, t);
    fms_param_conversion cv = convert(from, to, &p, 0.3, 0.7);
    ck_assert_msg(!cv.determined, "%s %s -> %s at %Lg", sched, fms_param_name(from), fms_param_name(to), t);
    ck_assert(isnan(cv.value) && isnan(cv.scale) && isinf(cv.gain));
    ck_assert_msg(strstr(cv.reason, needle) != NULL, "%s", cv.reason);
    ck_assert_ptr_nonnull(strstr(cv.reason, fms_param_title(to)));
}

START_TEST(singular_points)
{
    /* α = 0: the sheet's 2.2 — an ε-model at t = 0 cannot fix the velocity */
    expect_undetermined("condot", 0.0L, FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, "(α = 0)");
    expect_undetermined("cosine", 0.0L, FMS_PARAM_SCORE, FMS_PARAM_X1, "(α = 0)");
    expect_undetermined("linear-vp", 0.0L, FMS_PARAM_EPSILON, FMS_PARAM_V, "t = 0");
    /* σ = 0: x1 says nothing about the noise; the score is not defined */
    expect_undetermined("condot", 1.0L, FMS_PARAM_X1, FMS_PARAM_EPSILON, "σ = 0");
    expect_undetermined("vp", 1.0L, FMS_PARAM_X1, FMS_PARAM_V, "t = 1 σ = 0");
    expect_undetermined("cosine", 1.0L, FMS_PARAM_EPSILON, FMS_PARAM_SCORE, "score −ε/σ is not defined");
    expect_undetermined("cosine", 1.0L, FMS_PARAM_SCORE, FMS_PARAM_X1, "not defined");
    /* infinite rates, W = 0 */
    expect_undetermined("linear-vp", 1.0L, FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, "σ̇ is infinite");
    expect_undetermined("poly:0.5", 0.0L, FMS_PARAM_VELOCITY, FMS_PARAM_X1, "α̇ and σ̇ are infinite");
    expect_undetermined("poly:2", 0.0L, FMS_PARAM_VELOCITY, FMS_PARAM_X1, "α̇·σ − σ̇·α = 0");

    /* and what stays determined there */
    fms_schedule_point p = at("condot", FMS_DATA_AT_1, 0.0L);
    fms_param_conversion cv = convert(FMS_PARAM_EPSILON, FMS_PARAM_SCORE, &p, 0.3, 0.7);
    ck_assert(cv.determined && cv.value == -0.7 && cv.offset == 0.0); /* parallel: −ε/σ */
    cv = convert(FMS_PARAM_SCORE, FMS_PARAM_EPSILON, &p, 0.3, 0.7);
    ck_assert(cv.determined && cv.value == -0.7);
    cv = convert(FMS_PARAM_X1, FMS_PARAM_EPSILON, &p, 0.3, 0.7);
    ck_assert(cv.determined && cv.value == 0.3); /* ε = x_t/σ whatever x1 */
    p = at("condot", FMS_DATA_AT_1, 1.0L);
    cv = convert(FMS_PARAM_EPSILON, FMS_PARAM_X1, &p, 0.3, 0.7);
    ck_assert(cv.determined && cv.value == 0.3 && cv.gain == 0.0); /* x1 = x_t/α */
    cv = convert(FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, &p, 0.3, 0.7);
    ck_assert(cv.determined);
    ck_assert_close(cv.value, 0.3 - 0.7, TOL(4), 0);
    p = at("poly:2", FMS_DATA_AT_1, 0.0L);
    cv = convert(FMS_PARAM_VELOCITY, FMS_PARAM_EPSILON, &p, 0.3, 0.7);
    ck_assert(cv.determined && cv.value == 0.3 && cv.scale == 0.0); /* fixed by x_t alone */
    cv = convert(FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, &p, 0.3, 0.7);
    ck_assert(cv.determined && cv.value == 0.0); /* α̇ = σ̇ = 0 */
    /* v is never singular as a source, and nothing is for ve */
    for (size_t i = 0; i < NSCHED; i++)
        for (int e = 0; e <= 1; e++) {
            p = at(all_schedules[i], FMS_DATA_AT_1, e);
            for (int q = 0; q < FMS_PARAM_COUNT; q++) {
                cv = convert(FMS_PARAM_V, (fms_param)q, &p, 0.3, 0.7);
                int q_defined = !(q == FMS_PARAM_SCORE && p.sigma == 0) &&
                                !(q == FMS_PARAM_VELOCITY && !isfinite(p.sigma_dot + p.alpha_dot));
                ck_assert_int_eq(cv.determined, q_defined);
                for (int r = 0; r < FMS_PARAM_COUNT && i == NSCHED - 1; r++)
                    ck_assert(convert((fms_param)q, (fms_param)r, &p, 0.3, 0.7).determined);
            }
        }
}
END_TEST

START_TEST(near_singular_gain)
{
    for (int k = 1; k <= 12; k += 3) {
        long double t = powl(10.0L, -k);
        fms_schedule_point p = at("condot", FMS_DATA_AT_1, t);
        fms_param_conversion cv = convert(FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, &p, 0.3, 0.7);
        ck_assert(cv.determined);
        ck_assert_close(cv.gain, (double)(1.0L / t), TOL(4), 0);
        ck_assert_close(cv.x1_gain, (double)((1.0L - t) / t), TOL(4), 0);
        p = at("condot", FMS_DATA_AT_1, 1.0L - t);
        cv = convert(FMS_PARAM_X1, FMS_PARAM_EPSILON, &p, 0.3, 0.7); /* |D_ε/D_x1| = α/σ */
        ck_assert_close(cv.gain, (double)((1.0L - t) / t), 1e-9, 0);
    }
}
END_TEST

START_TEST(errors)
{
    fms_schedule_point p = at("cosine", FMS_DATA_AT_1, 0.5L);
    fms_param_conversion cv;
    fms_error e;
    fms_error_clear(&e);
    ck_assert_int_eq(fms_param_convert((fms_param)7, FMS_PARAM_X1, &p, 0, 0, &cv, &e), FMS_EINVAL);
    ck_assert_int_eq(fms_param_convert(FMS_PARAM_X1, FMS_PARAM_V, NULL, 0, 0, &cv, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_param_convert(FMS_PARAM_X1, FMS_PARAM_V, &p, NAN, 0, &cv, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_param_convert(FMS_PARAM_X1, FMS_PARAM_V, &p, 0, INFINITY, &cv, NULL), FMS_EDOM);
    /* dividing by a tiny α overflows a double */
    fms_schedule_point q = at("condot", FMS_DATA_AT_1, 1e-300L);
    fms_error_clear(&e);
    ck_assert_int_eq(fms_param_convert(FMS_PARAM_EPSILON, FMS_PARAM_X1, &q, 0.3, 1e10, &cv, &e), FMS_ERANGE);
    ck_assert_ptr_nonnull(strstr(e.msg, "overflows"));
    long double a, b;
    ck_assert_int_eq(fms_param_coef((fms_param)7, &p, 0, &a, &b, NULL), FMS_EINVAL);
    q = at("condot", FMS_DATA_AT_1, 1.0L);
    ck_assert_int_eq(fms_param_coef(FMS_PARAM_EPSILON, &q, 0.3, &a, &b, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_param_coef(FMS_PARAM_X1, &q, 0.3, &a, &b, NULL), FMS_OK);
    ck_assert(a == 1.0L && b == 0.0L);
    ck_assert_int_eq(fms_param_basis(FMS_PARAM_X1, NULL, &a, &b), FMS_EINVAL);
    ck_assert_int_eq(fms_param_basis(FMS_PARAM_V, &p, &a, &b), FMS_OK);
    ck_assert(a == -p.sigma && b == p.alpha);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("param");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, names);
    tcase_add_test(tc, condot_by_hand);
    tcase_add_test(tc, round_trips);
    tcase_add_test(tc, data_at_0_negates_the_velocity);
    tcase_add_test(tc, singular_points);
    tcase_add_test(tc, near_singular_gain);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

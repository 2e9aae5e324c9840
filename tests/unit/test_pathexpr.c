/* test_pathexpr.c — the formulas of a path in t (pathexpr.h): every quantity,
 * conversion and Euler step, read back by the grader's parser (expr.h) and
 * evaluated at random points, against schedule.h and param.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fmsolve.h"
#include "model/pathexpr.h"
#include "testutil.h"

static const char *const all_schedules[] = { "condot", "poly:2", "poly:0.5", "poly:3", "cosine", "linear-vp",
                                             "vp", "vp:1,5", "ve:0.01,50", "ve:0.002,80" };
#define NSCHED (sizeof all_schedules / sizeof all_schedules[0])

/* The grader's draws of t: formulas need only hold there. */
#define T_LO 0.05
#define T_HI 0.95

/* Formula against reference: the formula is evaluated in double from a text
 * of shortest decimals, the reference in extended precision: agreement to
 * TOL_QUAD relative to the size of the terms is far inside the grader's tolerance. */
#define TOL_FORMULA TOL_QUAD

static double uniform(unsigned long long *state, double lo, double hi)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (hi - lo) * (double)(*state >> 11) / 9007199254740992.0;
}

static fms_schedule parse_schedule(const char *name)
{
    fms_schedule s;
    ck_assert_int_eq(fms_schedule_parse(name, &s, NULL), FMS_OK);
    return s;
}

/* Evaluates text in the variables vars at vals. */
static double eval_text(const char *text, const char *vars, const double *vals)
{
    fms_expr *e = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_expr_parse(text, vars, &e, &err) == FMS_OK, "'%s' (vars %s): %s", text, vars, err.msg);
    double v;
    fms_expr_eval(e, vals, &v);
    fms_expr_free(e);
    return v;
}

START_TEST(quantities)
{
    unsigned long long seed = 7;
    for (size_t i = 0; i < NSCHED; i++)
        for (int c = 0; c < 2; c++) {
            fms_schedule s = parse_schedule(all_schedules[i]);
            for (int k = 0; k < 20; k++) {
                double t = uniform(&seed, T_LO, T_HI);
                fms_schedule_point p;
                ck_assert_int_eq(fms_schedule_eval_d(&s, (fms_time_convention)c, t, &p, NULL), FMS_OK);
                const long double want[FMS_PATH_QUANTITY_COUNT] = { p.alpha, p.sigma, p.alpha_dot, p.sigma_dot,
                                                                    p.snr_rate, p.norm_rate, p.norm };
                for (int q = 0; q < FMS_PATH_QUANTITY_COUNT; q++) {
                    char f[FMS_PATHEXPR_MAX];
                    ck_assert_int_eq(fms_pathexpr_quantity(&s, (fms_time_convention)c, (fms_path_quantity)q,
                                                           FMS_PATHEXPR_ASCII, f), FMS_OK);
                    double got = eval_text(f, "t", &t);
                    ck_assert_msg(fabs(got - (double)want[q]) <= TOL_FORMULA * (1 + fabsl(want[q])),
                                  "%s conv %d q%d at t = %.17g: %s = %.17g, expected %.17Lg", all_schedules[i], c, q,
                                  t, f, got, want[q]);
                }
            }
        }
}
END_TEST

START_TEST(conversions)
{
    unsigned long long seed = 11;
    for (size_t i = 0; i < NSCHED; i++)
        for (int c = 0; c < 2; c++) {
            fms_schedule s = parse_schedule(all_schedules[i]);
            for (int from = 0; from < FMS_PARAM_COUNT; from++)
                for (int to = 0; to < FMS_PARAM_COUNT; to++) {
                    char f[FMS_PATHEXPR_MAX], vars[64];
                    ck_assert_int_eq(fms_pathexpr_convert(&s, (fms_time_convention)c, (fms_param)from, (fms_param)to,
                                                          0, FMS_PATHEXPR_ASCII, f), FMS_OK);
                    snprintf(vars, sizeof vars, "x_t t %s", fms_pathexpr_var((fms_param)from, 0));
                    for (int k = 0; k < 10; k++) {
                        double v[3] = { uniform(&seed, -2, 2), uniform(&seed, T_LO, T_HI), uniform(&seed, -2, 2) };
                        fms_schedule_point p;
                        fms_param_conversion cv;
                        ck_assert_int_eq(fms_schedule_eval_d(&s, (fms_time_convention)c, v[1], &p, NULL), FMS_OK);
                        ck_assert_int_eq(fms_param_convert((fms_param)from, (fms_param)to, &p, v[0], v[2], &cv, NULL),
                                         FMS_OK);
                        ck_assert(cv.determined);
                        double got = eval_text(f, vars, v);
                        double size = 1 + fabs(cv.value) + fabs(cv.scale * v[2]) + fabs(cv.offset);
                        ck_assert_msg(fabs(got - cv.value) <= TOL_FORMULA * size,
                                      "%s conv %d %d->%d at (%g, %g, %g): %s = %.17g, expected %.17g",
                                      all_schedules[i], c, from, to, v[0], v[1], v[2], f, got, cv.value);
                    }
                }
        }
}
END_TEST

START_TEST(euler_steps)
{
    unsigned long long seed = 13;
    for (size_t i = 0; i < NSCHED; i++)
        for (int c = 0; c < 2; c++) {
            fms_schedule s = parse_schedule(all_schedules[i]);
            for (int m = 0; m < FMS_PARAM_COUNT; m++) {
                char f[FMS_PATHEXPR_MAX], vars[64];
                ck_assert_int_eq(fms_pathexpr_euler(&s, (fms_time_convention)c, (fms_param)m, FMS_PATHEXPR_ASCII, f),
                                 FMS_OK);
                snprintf(vars, sizeof vars, "x_t %s t dt", fms_pathexpr_var((fms_param)m, 1));
                for (int k = 0; k < 10; k++) {
                    double v[4] = { uniform(&seed, -2, 2), uniform(&seed, -2, 2), uniform(&seed, T_LO, T_HI),
                                    uniform(&seed, -0.2, 0.2) };
                    fms_schedule_point p;
                    fms_param_conversion cv;
                    ck_assert_int_eq(fms_schedule_eval_d(&s, (fms_time_convention)c, v[2], &p, NULL), FMS_OK);
                    ck_assert_int_eq(fms_param_convert((fms_param)m, FMS_PARAM_VELOCITY, &p, v[0], v[1], &cv, NULL),
                                     FMS_OK);
                    double want = v[0] + v[3] * cv.value;
                    double got = eval_text(f, vars, v);
                    double size = 1 + fabs(v[0]) + fabs(v[3]) * (fabs(cv.scale * v[1]) + fabs(cv.offset));
                    ck_assert_msg(fabs(got - want) <= TOL_FORMULA * size, "%s conv %d model %d: %s = %.17g, expected %.17g",
                                  all_schedules[i], c, m, f, got, want);
                }
            }
        }
}
END_TEST

/* Under condot the formulas are the sheet's 2.1 and 2.2, as the key has always written them. */
START_TEST(condot_is_the_sheet)
{
    fms_schedule s;
    fms_schedule_default(&s);
    char f[FMS_PATHEXPR_MAX];
    ck_assert_int_eq(fms_pathexpr_convert(&s, FMS_DATA_AT_1, FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, 0,
                                          FMS_PATHEXPR_ASCII, f), FMS_OK);
    ck_assert_str_eq(f, FMS_FORMULA_EPS_TO_VELOCITY);
    ck_assert_int_eq(fms_pathexpr_euler(&s, FMS_DATA_AT_1, FMS_PARAM_EPSILON, FMS_PATHEXPR_ASCII, f), FMS_OK);
    ck_assert_str_eq(f, FMS_FORMULA_EULER_EPS);
    /* diffusers' convention: ε − x0 over the time left. */
    ck_assert_int_eq(fms_pathexpr_convert(&s, FMS_DATA_AT_0, FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, 0,
                                          FMS_PATHEXPR_ASCII, f), FMS_OK);
    ck_assert_str_eq(f, "(eps - x_t)/(1 - t)");
    ck_assert_int_eq(fms_pathexpr_convert(&s, FMS_DATA_AT_1, FMS_PARAM_X1, FMS_PARAM_VELOCITY, 0,
                                          FMS_PATHEXPR_UTF8, f), FMS_OK);
    ck_assert_str_eq(f, "(x1 \xE2\x88\x92 x_t)/(1 \xE2\x88\x92 t)");
    ck_assert_int_eq(fms_pathexpr_convert_symbolic(FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, 0, FMS_PATHEXPR_ASCII, f),
                     FMS_OK);
    ck_assert_str_eq(f, "(alpha_dot*x_t - W*eps)/alpha");
    ck_assert_int_eq(fms_pathexpr_convert(&s, FMS_DATA_AT_1, FMS_PARAM_V, FMS_PARAM_V, 1, FMS_PATHEXPR_ASCII, f),
                     FMS_OK);
    ck_assert_str_eq(f, "v_theta");
}
END_TEST

START_TEST(numbers_and_errors)
{
    char f[FMS_PATHEXPR_MAX];
    fms_schedule s = parse_schedule("ve:0.01,50");
    ck_assert_int_eq(fms_pathexpr_quantity(&s, FMS_DATA_AT_1, FMS_PATH_SIGMA, FMS_PATHEXPR_ASCII, f), FMS_OK);
    ck_assert_str_eq(f, "0.01*5000^(1 - t)");
    s = parse_schedule("ve:1e-100,1e100");
    ck_assert_int_eq(fms_pathexpr_quantity(&s, FMS_DATA_AT_1, FMS_PATH_SIGMA, FMS_PATHEXPR_ASCII, f), FMS_OK);
    ck_assert_str_eq(f, "1e-100*1e200^(1 - t)");
    s = parse_schedule("cosine");
    ck_assert_int_eq(fms_pathexpr_quantity(&s, FMS_DATA_AT_1, FMS_PATH_ALPHA_DOT, FMS_PATHEXPR_UTF8, f), FMS_OK);
    ck_assert_str_eq(f, "\xCF\x80/2\xC2\xB7" "cos(\xCF\x80\xC2\xB7t/2)");
    ck_assert_int_eq(fms_pathexpr_quantity(&s, FMS_DATA_AT_1, (fms_path_quantity)9, FMS_PATHEXPR_ASCII, f),
                     FMS_EINVAL);
    ck_assert_str_eq(f, "");
    ck_assert_int_eq(fms_pathexpr_convert(&s, (fms_time_convention)5, FMS_PARAM_X1, FMS_PARAM_V, 0,
                                          FMS_PATHEXPR_ASCII, f), FMS_EINVAL);
    ck_assert_int_eq(fms_pathexpr_convert(NULL, FMS_DATA_AT_1, FMS_PARAM_X1, FMS_PARAM_V, 0, FMS_PATHEXPR_ASCII, f),
                     FMS_EINVAL);
    ck_assert_int_eq(fms_pathexpr_euler(&s, FMS_DATA_AT_1, (fms_param)7, FMS_PATHEXPR_ASCII, f), FMS_EINVAL);
    ck_assert_str_eq(fms_pathexpr_var((fms_param)7, 0), "?");
    ck_assert_str_eq(fms_pathexpr_var(FMS_PARAM_SCORE, 1), "s_theta");
    /* The longest formulas fit, and the grader reads them. */
    static const char *const big[] = { "vp:0.1,20", "vp:0.123456789,19.87654321", "ve:0.0123456789,98.7654321" };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        s = parse_schedule(big[i]);
        for (int c = 0; c < 2; c++)
            for (int m = 0; m < FMS_PARAM_COUNT; m++)
                ck_assert_int_eq(fms_pathexpr_euler(&s, (fms_time_convention)c, (fms_param)m, FMS_PATHEXPR_UTF8, f),
                                 FMS_OK);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pathexpr");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, quantities);
    tcase_add_test(tc, conversions);
    tcase_add_test(tc, euler_steps);
    tcase_add_test(tc, condot_is_the_sheet);
    tcase_add_test(tc, numbers_and_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fms_run_suite(suite());
}

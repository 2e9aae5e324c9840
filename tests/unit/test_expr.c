/* test_expr.c — reading answers in free notation (expr.h). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

/* testutil.h's named tier for equal doubles, where this tree has it not yet. */
#ifndef TOL_EXACT
#define TOL_EXACT 0.0
#endif

/* The value of a constant answer, as a double. */
static double value(const char *text)
{
    fms_expr *e = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_expr_parse(text, NULL, &e, &err) == FMS_OK, "'%s': %s", text, err.msg);
    ck_assert(fms_expr_is_constant(e));
    double v;
    ck_assert_int_eq(fms_expr_eval(e, NULL, &v), FMS_OK);
    fms_expr_free(e);
    return v;
}

/* The log-space value of a constant answer: sign·exp(log). */
static double log_value(const char *text, int *sign)
{
    fms_expr *e = NULL;
    ck_assert_int_eq(fms_expr_parse(text, NULL, &e, NULL), FMS_OK);
    double l;
    ck_assert_int_eq(fms_expr_eval_log(e, sign, &l), FMS_OK);
    fms_expr_free(e);
    return l;
}

static fms_status parse_status(const char *text, const char *vars, char *msg, size_t msgsz)
{
    fms_expr *e = NULL;
    fms_error err;
    fms_error_clear(&err);
    fms_status st = fms_expr_parse(text, vars, &e, &err);
    if (msg)
        snprintf(msg, msgsz, "%s", err.msg);
    fms_expr_free(e);
    return st;
}

START_TEST(numbers_in_every_notation)
{
    ck_assert_close(value("0.5"), 0.5, 0, 0);
    ck_assert_close(value(".5"), 0.5, 0, 0);
    ck_assert_close(value("-1"), -1, 0, 0);
    ck_assert_close(value("\xe2\x88\x92" "2.385"), -2.385, 0, 0);     /* U+2212 */
    ck_assert_close(value("\xe2\x80\x93" "2.385"), -2.385, 0, 0);     /* en dash */
    ck_assert_close(value("1/2"), 0.5, 0, 0);
    ck_assert_close(value("19/2"), 9.5, 0, 0);
    ck_assert_close(value("9.5e0"), 9.5, 0, 0);
    ck_assert_close(value("2.385e-20"), 2.385e-20, 0, 0);
    ck_assert_close(value("2.385E-20"), 2.385e-20, 0, 0);
    ck_assert_close(value("2.385e\xe2\x88\x92" "20"), 2.385e-20, 0, 0);
    ck_assert_close(value("2.385\xc3\x97" "10^-20"), 2.385e-20, TOL(4), 0);          /* × */
    ck_assert_close(value("2.385\xc2\xb7" "10\xe2\x81\xbb\xc2\xb2\xe2\x81\xb0"), 2.385e-20, TOL(4), 0); /* ·10⁻²⁰ */
    ck_assert_close(value("2.385 * 10 ** -20"), 2.385e-20, TOL(4), 0);
    ck_assert_close(value("50%"), 0.5, 0, 0);
    ck_assert_close(value("exp(-45)"), exp(-45.0), TOL(4), 0);
    ck_assert_close(value("e^-45"), exp(-45.0), TOL(64), 0);
    ck_assert_close(value("1/(1+exp(45))"), 1 / (1 + exp(45.0)), TOL(4), 0);
    ck_assert_close(value("2(1 + 1)"), 4, 0, 0);
    ck_assert_close(value("2^3^2"), 512, 0, 0);       /* right-associative, as on paper */
    ck_assert_close(value("-2^2"), -4, 0, 0);
    ck_assert_close(value("2*-3"), -6, 0, 0);
    ck_assert_close(value("\xcf\x80"), acos(-1.0), TOL(1), 0);
    ck_assert_close(value("ln(e)"), 1, TOL(1), 0);
    ck_assert_close(value("sqrt(2.25) + abs(-1)"), 2.5, 0, 0);
    ck_assert_close(value("\xc2\xa0 7 \xc2\xa0"), 7, 0, 0); /* no-break spaces */
    ck_assert(isinf(value("1/0")));
    ck_assert(isinf(value("1e400")));
}
END_TEST

START_TEST(e_is_never_an_exponent_by_accident)
{
    char msg[FMS_ERROR_MSG_MAX];
    /* 2.86e-20 is one number, not 2.86·e − 20. */
    ck_assert_close(value("2.86e-20"), 2.86e-20, 0, 0);
    /* With a space the reading is ambiguous: refused (FMS_EDOM), with a hint
     * that speaks of the space. */
    ck_assert_int_eq(parse_status("2.86 e-20", NULL, msg, sizeof msg), FMS_EDOM);
    ck_assert_ptr_nonnull(strstr(msg, "(no space)"));
    ck_assert_int_eq(parse_status("2.86 E-20", NULL, NULL, 0), FMS_EDOM);
    /* Without a space, the hint does not invent one. */
    ck_assert_int_eq(parse_status("2e", NULL, msg, sizeof msg), FMS_EDOM);
    ck_assert_ptr_null(strstr(msg, "space"));
    ck_assert_int_eq(parse_status("2e+", NULL, NULL, 0), FMS_EDOM);
    ck_assert_close(value("2*e"), 2 * exp(1.0), TOL(2), 0);
    ck_assert_close(value("e"), exp(1.0), TOL(1), 0);
    /* e^ cannot begin an exponent: 10e^-45 is 10·e^−45, with or without a space. */
    ck_assert_close(value("-10e^-45"), -10 * exp(-45.0), TOL(64), 0);
    ck_assert_close(value("-10 e^-45"), -10 * exp(-45.0), TOL(64), 0);
    ck_assert_close(value("10e**2"), 10 * exp(2.0), TOL(8), 0);
    ck_assert_close(value("3e\xc2\xb2"), 3 * exp(2.0), TOL(8), 0);   /* 3e² */
    ck_assert_close(value("2.5e-1e^2"), 0.25 * exp(2.0), TOL(8), 0);
}
END_TEST

START_TEST(labels_read_as_points)
{
    static const char *const labels[] = { "A", "B", "far" };
    static const double x[] = { 0.5, -0.5, -3e-310 };
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, 3, labels, x, NULL, NULL), FMS_OK);
    const fms_expr_opts o = { NULL, d, NULL };
    static const struct { const char *text; double want; } cases[] = {
        { "A", 0.5 }, { "B", -0.5 }, { "(A+B)/2", 0.0 }, { "-B", 0.5 }, { "2B", -1.0 }, { "far", -3e-310 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fms_expr *e = NULL;
        fms_error err;
        fms_error_clear(&err);
        ck_assert_msg(fms_expr_parse_opts(cases[i].text, &o, &e, &err) == FMS_OK, "%s: %s", cases[i].text, err.msg);
        ck_assert(fms_expr_is_constant(e));
        double v;
        fms_expr_eval(e, NULL, &v);
        ck_assert_close(v, cases[i].want, TOL_EXACT, 0);
        int sign;
        double l;
        ck_assert_int_eq(fms_expr_eval_log(e, &sign, &l), FMS_OK);
        ck_assert_int_eq(sign, cases[i].want > 0 ? 1 : cases[i].want < 0 ? -1 : 0);
        fms_expr_free(e);
    }
    /* Only with the option, and a label never hides a constant. */
    ck_assert_int_eq(parse_status("A", NULL, NULL, 0), FMS_ENOTFOUND);
    fms_expr *e = NULL;
    ck_assert_int_eq(fms_expr_parse_opts("C", &o, &e, NULL), FMS_ENOTFOUND);
    fms_data_free(d);
}
END_TEST

START_TEST(e_as_a_variable_and_uses)
{
    /* "Is the e in (x_t − e)/t the noise?": read e as eps, and compare. */
    const fms_expr_opts o = { "x_t eps t", NULL, "eps" };
    fms_expr *e = NULL;
    ck_assert_int_eq(fms_expr_parse_opts("(x_t - e)/t", &o, &e, NULL), FMS_OK);
    const double p[] = { 0.37, -1.21, 0.43 };
    double v;
    fms_expr_eval(e, p, &v);
    ck_assert_close(v, (0.37 + 1.21) / 0.43, TOL(4), 0);
    ck_assert(!fms_expr_uses_e(e));
    ck_assert(fms_expr_uses_var(e, 1));
    fms_expr_free(e);
    ck_assert_int_eq(fms_expr_parse("(x_t - e)/t", "x_t eps t", &e, NULL), FMS_OK);
    ck_assert(fms_expr_uses_e(e));
    ck_assert(!fms_expr_uses_var(e, 1));
    fms_expr_free(e);
    /* u and its spellings, with the model's arguments dropped. */
    static const char *const u[] = { "x_t + dt*u", "x + h u_\xce\xb8(x_t, t)", "x + dt*u_theta", "x+dt\xc2\xb7u\xce\xb8" };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        ck_assert_msg(fms_expr_parse(u[i], "x_t eps_theta t dt u", &e, NULL) == FMS_OK, "%s", u[i]);
        ck_assert(fms_expr_uses_var(e, 4));
        ck_assert(!fms_expr_uses_var(e, 1));
        fms_expr_free(e);
    }
    /* The arguments of ε_θ(x_t, t) are not uses of x_t. */
    ck_assert_int_eq(fms_expr_parse("eps_theta(x_t, t)", "x_t eps_theta t", &e, NULL), FMS_OK);
    ck_assert(!fms_expr_uses_var(e, 0));
    ck_assert(fms_expr_uses_var(e, 1));
    fms_expr_free(e);
}
END_TEST

START_TEST(log_space_beyond_a_double)
{
    int s;
    ck_assert_close(log_value("exp(-800)", &s), -800, TOL(1), 0);
    ck_assert_int_eq(s, 1);
    ck_assert_close(log_value("e^-800", &s), -800, TOL(1), 0);
    ck_assert_close(log_value("3.1e-500", &s), log(3.1) - 500 * log(10.0), TOL(4), 0);
    ck_assert_close(log_value("3.1\xc3\x97" "10^-500", &s), log(3.1) - 500 * log(10.0), TOL(4), 0);
    ck_assert_close(log_value("1/(1+exp(800))", &s), -800, TOL(1), 0);
    /* Long decimals keep their value in log space (a double would give 0 and inf). */
    char tiny[420] = "0.", huge[420];
    memset(tiny + 2, '0', 399);
    strcpy(tiny + 401, "25");
    ck_assert_close(log_value(tiny, &s), log(2.5) - 400 * log(10.0), TOL(4), 0); /* 2.5e-400 */
    memset(huge, '9', 400);
    huge[400] = '\0';
    ck_assert_close(log_value(huge, &s), 400 * log(10.0), TOL_TIGHT, 0);
    ck_assert_close(log_value("002.50e-3", &s), log(2.5e-3), TOL(4), 0);
    ck_assert_close(log_value("123.456", &s), log(123.456), TOL(4), 0);
    ck_assert_close(log_value(".000125", &s), log(1.25e-4), TOL(4), 0);
    log_value("0.000", &s);
    ck_assert_int_eq(s, 0);
    /* The argument of exp passes through its logarithm: 1e-13 relative, far
     * inside any grading tolerance. */
    ck_assert_close(log_value("1 - exp(-45)", &s), log1p(-exp(-45.0)), TOL_ROUTE, 0);
    ck_assert_close(log_value("-0.25", &s), log(0.25), TOL(1), 0);
    ck_assert_int_eq(s, -1);
    log_value("1 - 1", &s);
    ck_assert_int_eq(s, 0);
    log_value("0", &s);
    ck_assert_int_eq(s, 0);
    /* Undefined values are reported, not returned as numbers. */
    fms_expr *e = NULL;
    double l;
    ck_assert_int_eq(fms_expr_parse("log(-1)", NULL, &e, NULL), FMS_OK);
    ck_assert_int_eq(fms_expr_eval_log(e, &s, &l), FMS_EDOM);
    fms_expr_free(e);
    ck_assert_int_eq(fms_expr_parse("0/0", NULL, &e, NULL), FMS_OK);
    ck_assert_int_eq(fms_expr_eval_log(e, &s, &l), FMS_EDOM);
    fms_expr_free(e);
    ck_assert_int_eq(fms_expr_parse("(-8)^0.5", NULL, &e, NULL), FMS_OK);
    ck_assert_int_eq(fms_expr_eval_log(e, &s, &l), FMS_EDOM);
    fms_expr_free(e);
    ck_assert_int_eq(fms_expr_parse("x_t", "x_t", &e, NULL), FMS_OK);
    ck_assert_int_eq(fms_expr_eval_log(e, &s, &l), FMS_EINVAL);
    fms_expr_free(e);
}
END_TEST

static double eval4(const char *text, const char *vars, const double *vals)
{
    fms_expr *e = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_expr_parse(text, vars, &e, &err) == FMS_OK, "'%s': %s", text, err.msg);
    double v;
    fms_expr_eval(e, vals, &v);
    fms_expr_free(e);
    return v;
}

START_TEST(formulas_and_aliases)
{
    const char *v21 = "x_t eps t";
    const double p[] = { 0.37, -1.21, 0.43 };
    const double want = (0.37 + 1.21) / 0.43;
    ck_assert_close(eval4("(x_t - eps)/t", v21, p), want, TOL(4), 0);
    ck_assert_close(eval4("(xt - \xce\xb5)/t", v21, p), want, TOL(4), 0);         /* ε */
    ck_assert_close(eval4("(x - epsilon)/t", v21, p), want, TOL(4), 0);
    ck_assert_close(eval4("x/t - \xcf\xb5/t", v21, p), want, TOL(4), 0);          /* ϵ */
    ck_assert_close(eval4("(x\xe2\x82\x9c \xe2\x88\x92 \xce\xb5)\xc3\xb7t", v21, p), want, TOL(4), 0); /* xₜ − ε ÷ */
    const char *v22 = "x_t eps_theta t dt";
    const double q[] = { 0.37, -1.21, 0.43, 0.05 };
    const double want2 = 0.37 + 0.05 * (0.37 + 1.21) / 0.43;
    ck_assert_close(eval4("x_t + dt*(x_t - eps_theta)/t", v22, q), want2, TOL(8), 0);
    ck_assert_close(eval4("x + \xce\x94t\xc2\xb7(x \xe2\x88\x92 \xce\xb5_\xce\xb8(x_t, t))/t", v22, q), want2, TOL(8), 0);
    ck_assert_close(eval4("x + h(x - eps_theta(x_t,t))/t", v22, q), want2, TOL(8), 0);
    ck_assert_close(eval4("xt + delta_t*(xt - eps)/t", v22, q), want2, TOL(8), 0); /* ε for ε_θ */
    ck_assert_close(eval4("x_t + \xce\x94t (x_t - \xce\xb5\xce\xb8)/t", v22, q), want2, TOL(8), 0);
}
END_TEST

START_TEST(names_that_are_not_variables)
{
    char msg[FMS_ERROR_MSG_MAX];
    ck_assert_int_eq(parse_status("(x_t - y)/t", "x_t eps t", msg, sizeof msg), FMS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(msg, "'y'"));
    ck_assert_ptr_nonnull(strstr(msg, "x_t, eps, t"));
    ck_assert_int_eq(parse_status("dt", "x_t eps t", NULL, 0), FMS_ENOTFOUND);
    ck_assert_int_eq(parse_status("zero", NULL, msg, sizeof msg), FMS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(msg, "not a number"));
    ck_assert_int_eq(parse_status("x", NULL, NULL, 0), FMS_ENOTFOUND);
    ck_assert_int_eq(parse_status("foo(2)", NULL, NULL, 0), FMS_ENOTFOUND);
}
END_TEST

START_TEST(syntax_errors)
{
    static const char *const bad[] = {
        "", "   ", "1 +", "(1", "1)", "1 2", "2 ^", "exp 2", "1 : 2", "*3", ".", "\xe2\x81\xbb",
        "1..2", "1,2", "@", "\xce\x87", "exp(", "((", "1 = 2", "\\frac{1}{2}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[FMS_ERROR_MSG_MAX];
        ck_assert_msg(parse_status(bad[i], NULL, msg, sizeof msg) == FMS_EINVAL, "'%s' was accepted", bad[i]);
        ck_assert_msg(msg[0] != '\0', "'%s' gave no message", bad[i]);
    }
}
END_TEST

START_TEST(messages_stay_utf8)
{
    /* A quoted token is cut at 15 bytes: never inside a character, or the
     * JSON report (jansson refuses invalid UTF-8) could not be written. */
    char msg[FMS_ERROR_MSG_MAX];
    ck_assert_int_eq(parse_status("1\xc2\xb2 \xc2\xb9\xe2\x81\xb4\xe2\x81\xb5\xe2\x81\xb6\xe2\x81\xb7\xe2\x81\xb8", NULL, msg,
                                  sizeof msg),
                     FMS_EINVAL);
    json_t *j = json_string(msg);
    ck_assert_msg(j != NULL, "not UTF-8: %s", msg);
    json_decref(j);
    ck_assert_int_eq(parse_status("(\xce\xb5\xce\xb5\xce\xb5\xce\xb5\xce\xb5\xce\xb5\xce\xb5\xce\xb5\xce\xb5", "eps", msg, sizeof msg),
                     FMS_ENOTFOUND);
    j = json_string(msg);
    ck_assert_msg(j != NULL, "not UTF-8: %s", msg);
    json_decref(j);
}
END_TEST

START_TEST(hostile_sizes)
{
    /* 5,000 nested parentheses: refused by length, without recursion. */
    char *s = malloc(10016);
    ck_assert_ptr_nonnull(s);
    memset(s, '(', 5000);
    s[5000] = '1';
    memset(s + 5001, ')', 5000);
    s[10001] = '\0';
    char msg[FMS_ERROR_MSG_MAX];
    ck_assert_int_eq(parse_status(s, NULL, msg, sizeof msg), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "bytes long"));
    /* 400 nested parentheses fit the length but not the depth limit. */
    memset(s, '(', 400);
    s[400] = '1';
    memset(s + 401, ')', 400);
    s[801] = '\0';
    ck_assert_int_eq(parse_status(s, NULL, msg, sizeof msg), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "nested"));
    /* So do 400 unary minus signs and 300 powers. */
    memset(s, '-', 400);
    s[400] = '1';
    s[401] = '\0';
    ck_assert_int_eq(parse_status(s, NULL, NULL, 0), FMS_EINVAL);
    for (int i = 0; i < 300; i++)
        memcpy(s + 2 * i, "2^", 2);
    s[600] = '1';
    s[601] = '\0';
    ck_assert_int_eq(parse_status(s, NULL, NULL, 0), FMS_EINVAL);
    /* 60 levels are fine: real answers are shallow, the limit is generous. */
    memset(s, '(', 60);
    s[60] = '1';
    memset(s + 61, ')', 60);
    s[121] = '\0';
    ck_assert_close(value(s), 1, 0, 0);
    /* A long flat chain 1+1+…+1 (499 terms) is parsed iteratively; its tree
     * is 498 operators deep, which both evaluations handle. */
    for (int i = 0; i < 498; i++)
        memcpy(s + 2 * i, "1+", 2);
    s[996] = '1';
    s[997] = '\0';
    ck_assert_close(value(s), 499, 0, 0);
    free(s);
}
END_TEST

/* Evaluates text at one point of the variables "x_t eps_theta t dt". */
static double at(const char *text, double x, double eps, double t, double dt)
{
    const double vals[] = { x, eps, t, dt };
    return eval4(text, "x_t eps_theta t dt", vals);
}

START_TEST(formulas_evaluate_directly)
{
    /* Points of the grader's box, and a few beyond it; the expected values
     * are computed here by the same IEEE operations in the same order. */
    static const double pts[][4] = {
        { 0.37, -1.21, 0.43, 0.05 }, { -2, 2, 0.05, 0.001 }, { 1.99, 0.01, 0.95, 0.2 },
        { 0, 0, 0.5, 0.1 }, { 1e-300, -1e300, 1e-5, 3 }, { -0.0, 0.5, 0.25, 0.125 },
    };
    for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        const double x = pts[k][0], eps = pts[k][1], t = pts[k][2], dt = pts[k][3];
        ck_assert_close(at("(x_t - eps_theta)/t", x, eps, t, dt), (x - eps) / t, TOL_EXACT, 0);
        ck_assert_close(at("x + \xce\x94t\xc2\xb7(x \xe2\x88\x92 \xce\xb5_\xce\xb8)/t", x, eps, t, dt),
                        x + (dt * (x - eps)) / t, TOL_EXACT, 0);
        ck_assert_close(at("x_t*t - sqrt(1 - t^2)*eps", x, eps, t, dt), x * t - sqrt(1 - pow(t, 2)) * eps, TOL_EXACT, 0);
        ck_assert_close(at("exp(-t)\xc2\xb7" "abs(x) + ln(t)/dt", x, eps, t, dt), exp(-t) * fabs(x) + log(t) / dt, TOL_EXACT,
                        0);
        ck_assert_close(at("(x - eps)\xc2\xb2 / (2 t)", x, eps, t, dt), pow(x - eps, 2) / (2 * t), TOL_EXACT, 0);
        ck_assert_close(at("x/t/dt", x, eps, t, dt), x / t / dt, TOL_EXACT, 0);          /* left to right */
        ck_assert_close(at("t^dt^2", x, eps, t, dt), pow(t, pow(dt, 2)), TOL_EXACT, 0); /* right to left */
        ck_assert_close(at("-t^2", x, eps, t, dt), -pow(t, 2), TOL_EXACT, 0);
        ck_assert_close(at("2t(x + 1)*e", x, eps, t, dt), 2 * t * (x + 1) * exp(1.0), TOL(2), 0);
        ck_assert_close(at("50% x + pi", x, eps, t, dt), 0.5 * x + acos(-1.0), TOL(2), 0);
    }
    /* Without values (a constant answer's call), variables read as 0. */
    fms_expr *e = NULL;
    ck_assert_int_eq(fms_expr_parse("x_t + 2", "x_t", &e, NULL), FMS_OK);
    double v;
    ck_assert_int_eq(fms_expr_eval(e, NULL, &v), FMS_OK);
    ck_assert_close(v, 2, TOL_EXACT, 0);
    fms_expr_free(e);
}
END_TEST

START_TEST(undefined_values_as_before)
{
    /* Domain errors and overflow give NaN or ±inf, never an error: the
     * grader reads them (NOT_FINITE, DOMAIN_MISMATCH, skipped points). */
    ck_assert(isnan(value("log(-1)")));
    ck_assert(isnan(value("sqrt(-4)")));
    ck_assert(isnan(value("0/0")));
    ck_assert(isnan(value("(-8)^(1/3)")));
    ck_assert(isnan(value("1e400 - 1e400")));
    ck_assert_close(value("log(0)"), -INFINITY, TOL_EXACT, 0);
    ck_assert_close(value("1/0"), INFINITY, TOL_EXACT, 0);
    ck_assert_close(value("-1/0"), -INFINITY, TOL_EXACT, 0);
    ck_assert_close(value("10^400"), INFINITY, TOL_EXACT, 0);
    ck_assert_close(value("exp(1000)"), INFINITY, TOL_EXACT, 0);
    ck_assert_close(value("exp(-1000)"), 0, TOL_EXACT, 0);
    ck_assert_close(value("1e-400"), 0, TOL_EXACT, 0);
    ck_assert(isnan(at("log(x_t)", -0.5, 0, 0.5, 0.1)));
    ck_assert_close(at("1/(t - 0.5)", 0, 0, 0.5, 0.1), INFINITY, TOL_EXACT, 0);
    ck_assert_close(at("x_t/dt", -1, 0, 0.5, 0), -INFINITY, TOL_EXACT, 0);
    ck_assert(isnan(at("(x - x)/(t - t)", 1, 0, 0.5, 0.1)));
    ck_assert(isnan(at("x_t^t", -1, 0, 0.5, 0.1)));
}
END_TEST

START_TEST(libmatheval_identities_true_ones_kept)
{
    /* GNU libmatheval, which evaluated answers before, read an operand that
     * is the number 0 or 1 as an identity.  The true identities are kept;
     * 0^x = 0 is not (false for x ≤ 0): 0^(t − 1) is undefined for t < 1. */
    ck_assert_close(at("0^(t - 1)", 0, 0, 0.5, 0.1), INFINITY, TOL_EXACT, 0);
    ck_assert_close(at("(1 - 1)^(t - 1)", 0, 0, 0.5, 0.1), INFINITY, TOL_EXACT, 0);
    ck_assert_close(at("(e - e)^(t - 1)", 0, 0, 0.5, 0.1), INFINITY, TOL_EXACT, 0);
    ck_assert_close(at("0^t", 0, 0, 0.5, 0.1), 0, TOL_EXACT, 0);           /* true for t > 0 */
    ck_assert(isnan(at("0^x", NAN, 0, 0.5, 0.1)));
    ck_assert_close(at("1^x", NAN, 0, 0.5, 0.1), 1, TOL_EXACT, 0);
    ck_assert_close(at("x^0", NAN, 0, 0.5, 0.1), 1, TOL_EXACT, 0);
    ck_assert_close(at("x^1", -3, 0, 0.5, 0.1), -3, TOL_EXACT, 0);
    ck_assert(signbit(at("x + 0", -0.0, 0, 0.5, 0.1)));                    /* IEEE: −0 + 0 = +0 */
    ck_assert(signbit(at("0 + x", -0.0, 0, 0.5, 0.1)));
    ck_assert(!signbit(at("0 - x", -0.0, 0, 0.5, 0.1)));                   /* not an identity */
    ck_assert_close(at("1/(x + 0)", -0.0, 0, 0.5, 0.1), -INFINITY, TOL_EXACT, 0);
    ck_assert(isnan(at("0*x", INFINITY, 0, 0.5, 0.1)));                    /* 0·x is not 0 */
    ck_assert(isnan(at("0/x", 0, 0, 0.5, 0.1)));
    ck_assert_close(at("1*x/1", INFINITY, 0, 0.5, 0.1), INFINITY, TOL_EXACT, 0);
    /* The log-space evaluation is exact arithmetic: 0^-1 has no value. */
    fms_expr *e = NULL;
    int s;
    double l;
    ck_assert_int_eq(fms_expr_parse("0^(-1)", NULL, &e, NULL), FMS_OK);
    ck_assert_int_eq(fms_expr_eval_log(e, &s, &l), FMS_EDOM);
    fms_expr_free(e);
    ck_assert_close(value("0^(-1)"), INFINITY, TOL_EXACT, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("expr");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, numbers_in_every_notation);
    tcase_add_test(tc, e_is_never_an_exponent_by_accident);
    tcase_add_test(tc, log_space_beyond_a_double);
    tcase_add_test(tc, formulas_and_aliases);
    tcase_add_test(tc, names_that_are_not_variables);
    tcase_add_test(tc, syntax_errors);
    tcase_add_test(tc, messages_stay_utf8);
    tcase_add_test(tc, hostile_sizes);
    tcase_add_test(tc, formulas_evaluate_directly);
    tcase_add_test(tc, undefined_values_as_before);
    tcase_add_test(tc, libmatheval_identities_true_ones_kept);
    tcase_add_test(tc, labels_read_as_points);
    tcase_add_test(tc, e_as_a_variable_and_uses);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_grade.c — grading answers and sheets (grade.h, mistakes.h), from the
 * student's side: each test writes what a student writes and checks the
 * verdict, the reason and what the feedback says.  The classes are those of
 * issue 10 (docs/grading.md lists them). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_exset *set;
static fms_key *key;

static void setup(void)
{
    fms_test_load_builtin(&set, &key);
}

static void teardown(void)
{
    fms_test_free_builtin(set, key);
}

/* Grades one answer (with the key and data, as a sheet does) and checks
 * verdict and reason; returns the feedback in fb. */
static void expect(const char *id, const char *answer, fms_verdict v, fms_reason reason, char *fb, size_t fbsz)
{
    const fms_key_item *item = fms_key_find(key, id);
    ck_assert_msg(item != NULL, "no item %s", id);
    fms_grade_item g = { 0 };
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_grade_answer_with(key, set->data, item, answer, &g, &err), FMS_OK);
    ck_assert_msg(g.verdict == v && g.reason == reason, "%s = %s: %s/%s (%s), expected %s/%s", id, answer,
                  fms_grade_verdict_name(g.verdict), fms_grade_reason_name(g.reason), g.feedback,
                  fms_grade_verdict_name(v), fms_grade_reason_name(reason));
    ck_assert_double_eq(g.points, v == FMS_VERDICT_CORRECT ? 1.0 : 0.0);
    if (fb)
        snprintf(fb, fbsz, "%s", g.feedback);
    fms_grade_item_clear(&g);
}

/* The feedback says what it should. */
static void says(const char *fb, const char *what)
{
    ck_assert_msg(strstr(fb, what) != NULL, "feedback '%s' does not say '%s'", fb, what);
}

#define OK(id, ans) expect(id, ans, FMS_VERDICT_CORRECT, FMS_REASON_OK, NULL, 0)
#define RIGHT(id, ans, reason) expect(id, ans, FMS_VERDICT_CORRECT, reason, NULL, 0)
#define BAD(id, ans, reason) expect(id, ans, FMS_VERDICT_INCORRECT, reason, NULL, 0)
#define INVALID(id, ans, reason) expect(id, ans, FMS_VERDICT_INVALID, reason, NULL, 0)

static fms_grade *grade_text(const char *text, size_t len)
{
    fms_sheet *sh = NULL;
    ck_assert_int_eq(fms_sheet_parse(text, len, &sh, NULL), FMS_OK);
    fms_grade *g = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_grade_sheet(key, set->data, sh, &g, &err) == FMS_OK, "%s", err.msg);
    fms_sheet_free(sh);
    return g;
}

static fms_grade *grade_sheet(const char *text)
{
    return grade_text(text, strlen(text));
}

static const fms_grade_item *find(const fms_grade *g, const char *id)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->items[i].key->id, id) == 0)
            return &g->items[i];
    ck_abort_msg("no graded item %s", id);
    return NULL;
}

static void is(const fms_grade *g, const char *id, fms_verdict v, fms_reason r)
{
    const fms_grade_item *it = find(g, id);
    ck_assert_msg(it->verdict == v && it->reason == r, "%s: %s/%s (%s), expected %s/%s", id,
                  fms_grade_verdict_name(it->verdict), fms_grade_reason_name(it->reason), it->feedback,
                  fms_grade_verdict_name(v), fms_grade_reason_name(r));
}

/* ---- what stays as it was -------------------------------------------------- */

START_TEST(numbers_with_relative_and_scaled_absolute_tolerance)
{
    OK("1.3a.B", "9.5");
    OK("1.3a.B", "19/2");
    OK("1.3a.B", "9.509");          /* within 1e-3 relative */
    BAD("1.3a.B", "9.52", FMS_REASON_LOW_PRECISION);
    BAD("1.3a.B", "-9.5", FMS_REASON_WRONG_SIGN);
    BAD("1.3a.B", "1.5", FMS_REASON_WRONG_VALUE);
    OK("1.1b.B", "\xe2\x88\x92" "1");
    /* −2.86e-19 is "≈ 0": the absolute tolerance is 1e-6 × the spread (1). */
    RIGHT("1.3d", "0", FMS_REASON_NEAR_ZERO);
    OK("1.3d", "-2.86e-19");
    RIGHT("1.3d", "9e-7", FMS_REASON_NEAR_ZERO);
    BAD("1.3d", "2e-6", FMS_REASON_WRONG_VALUE);
    OK("1.1b.A", "0");
    BAD("1.1b.A", "0.01", FMS_REASON_WRONG_VALUE);
    BAD("1.3a.B", "1/0", FMS_REASON_NOT_FINITE);
    INVALID("1.3a.B", "nine and a half", FMS_REASON_NOT_A_NUMBER);
    INVALID("1.3a.B", "ten", FMS_REASON_NOT_A_NUMBER);
    INVALID("1.3a.B", "9.5..", FMS_REASON_PARSE_ERROR);
}
END_TEST

START_TEST(shares_have_no_absolute_floor)
{
    char fb[1024];
    expect("1.3c.B", "0", FMS_VERDICT_INCORRECT, FMS_REASON_ZERO_FOR_TINY, fb, sizeof fb);
    says(fb, "2.86252\xc2\xb7" "10^-20");
    says(fb, "rare");
    OK("1.3c.B", "exp(-45)");
    OK("1.3c.B", "e^-45");
    OK("1.3c.B", "1/(1+exp(45))");
    OK("1.3c.B", "2.86e-20");
    OK("1.3c.B", "2.86\xc2\xb7" "10\xe2\x81\xbb\xc2\xb2\xe2\x81\xb0");
    BAD("1.3c.B", "1e-25", FMS_REASON_WRONG_VALUE);      /* no absolute tolerance */
    BAD("1.3c.B", "2.86e-19", FMS_REASON_WRONG_VALUE);
    BAD("1.3c.B", "exp(-46)", FMS_REASON_WRONG_VALUE);
    BAD("1.3c.B", "-2.86e-20", FMS_REASON_NOT_A_PROBABILITY);
    BAD("1.1c.A", "1.5", FMS_REASON_NOT_A_PROBABILITY);
    BAD("1.1c.A", "0", FMS_REASON_WRONG_VALUE);      /* 0.5 is not tiny: a plain wrong value */
    OK("1.1c.A", "50%");
    OK("1.3c.A", "1");
    OK("1.3c.A", "1 - exp(-45)");
    BAD("1.3c.B", "log(-1)", FMS_REASON_NOT_FINITE);
}
END_TEST

START_TEST(formulas_at_random_points)
{
    char fb[1024];
    OK("2.1", "(x_t - eps)/t");
    OK("2.1", "x/t - \xce\xb5/t");
    OK("2.1", "(xt - epsilon) * t^-1");
    OK("2.2", "x + \xce\x94t\xc2\xb7(x \xe2\x88\x92 \xce\xb5_\xce\xb8(x_t, t))/t");
    OK("2.2", "x_t*(1 + h/t) - h*eps_theta/t");
    expect("2.1", "(eps - x_t)/t", FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_SIGN, fb, sizeof fb);
    expect("2.1", "(x_t - eps)/(1 - t)", FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_FORMULA, fb, sizeof fb);
    /* The feedback names one point with all its coordinates and both values. */
    says(fb, "x_t = ");
    says(fb, "eps = ");
    says(fb, "t = ");
    says(fb, "yours gives");
    says(fb, "expected");
    /* Undefined for the student only. */
    expect("2.1", "(x_t - eps)/t + sqrt(-1 - t*t)", FMS_VERDICT_INCORRECT, FMS_REASON_DOMAIN_MISMATCH, fb, sizeof fb);
    /* libmatheval read 0^(t − 1) as 0, which made this right; it is undefined. */
    BAD("2.1", "(x_t - eps)/t + 0^(t - 1)", FMS_REASON_DOMAIN_MISMATCH);
    OK("2.1", "(x_t - eps)/t + 0^t");
    expect("2.1", "(x_t - y)/t", FMS_VERDICT_INVALID, FMS_REASON_UNKNOWN_VARIABLE, fb, sizeof fb);
    says(fb, "'y'");
    ck_assert_ptr_null(strstr(fb, "u)"));   /* u is not offered as a variable */
    INVALID("2.1", "(x_t - eps_theta)/t + dt", FMS_REASON_UNKNOWN_VARIABLE);
    INVALID("2.1", "(x_t - eps/t", FMS_REASON_PARSE_ERROR);
    BAD("2.1", "0", FMS_REASON_WRONG_FORMULA);
}
END_TEST

/* ---- the classes of issue 10 ------------------------------------------------ */

START_TEST(c01_approx_as_the_sheet_writes_it)
{
    char fb[1024];
    RIGHT("1.3d", "\xe2\x89\x88 0", FMS_REASON_NEAR_ZERO);
    RIGHT("1.3d", "~0", FMS_REASON_NEAR_ZERO);
    OK("1.3c.A", "\xe2\x89\x88 1");
    OK("1.3d", "-2.86e-19 \xe2\x89\x88 -2.86e-19");
    RIGHT("1.3d", "-2.86e-19 \xe2\x89\x88 0", FMS_REASON_NEAR_ZERO);
    /* The lesson of 1.3c: B is rare, not ≈ 0. */
    expect("1.3c.B", "\xe2\x89\x88 0", FMS_VERDICT_INCORRECT, FMS_REASON_ZERO_FOR_TINY, fb, sizeof fb);
    says(fb, "not impossible");
    BAD("1.3c.B", "2.86e-20 \xe2\x89\x88 0", FMS_REASON_ZERO_FOR_TINY);
    fms_grade *g = grade_sheet("1.3d \xe2\x89\x88 0\n1.4.v(1.3) = \\approx 0\n");
    is(g, "1.3d", FMS_VERDICT_CORRECT, FMS_REASON_NEAR_ZERO);
    is(g, "1.4.v(1.3)", FMS_VERDICT_CORRECT, FMS_REASON_NEAR_ZERO);
    fms_grade_free(g);
}
END_TEST

START_TEST(c02_a_written_out_left_hand_side)
{
    OK("2.1", "u = (x_t - eps)/t");
    OK("2.1", "u = x1 - eps = (x_t - eps)/t");          /* working, then the answer */
    OK("2.2", "x_{t+\\Delta t} = x_t + \\Delta t (x_t - \\epsilon_\\theta)/t");
    OK("2.2", "x_{t+\xce\x94t} = x_t + \xce\x94t\xc2\xb7u = x_t + \xce\x94t\xc2\xb7(x_t - \xce\xb5_\xce\xb8)/t");
    OK("1.3a.A", "\xce\xb5_A = 0.5");
    OK("1.3c.B", "w_B = e^-45");
    /* The last value is the answer, also when it is wrong. */
    BAD("2.1", "u = (x_t - eps)/(1 - t)", FMS_REASON_WRONG_FORMULA);
}
END_TEST

START_TEST(c03_data_labels_for_the_point)
{
    char fb[1024];
    OK("1.3d.x1", "A");
    OK("1.1d.x1", "(A+B)/2");
    OK("1.1d.x1", "x\xcc\x82" "1 = (A + B)/2");
    expect("1.1d.x1", "B", FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_POINT, fb, sizeof fb);
    says(fb, "B = \xe2\x88\x92" "0.5");
    says(fb, "E[x1 | x_t, t] = 0");
    BAD("1.3d.x1", "B", FMS_REASON_WRONG_POINT);
    BAD("1.1d.x1", "-0.5", FMS_REASON_WRONG_POINT);      /* the point by its value */
    /* Labels are points only where a point is asked. */
    INVALID("1.3a.A", "A", FMS_REASON_NOT_A_NUMBER);
}
END_TEST

START_TEST(c04_latex_pasted_from_notes)
{
    OK("1.1a.A", "\\frac{1}{2}");
    OK("1.3c.B", "e^{-45}");
    OK("1.3c.B", "$\\exp(-45)$");
    OK("1.3c.B", "2.86 \\times 10^{-20}");
    OK("2.1", "\\frac{x_t - \\varepsilon}{t}");
    OK("2.1", "\\left(x_t - \\epsilon\\right) / t");
    OK("2.2", "x_t + \\Delta t \\cdot \\frac{x_t - \\epsilon_\\theta}{t}");
    OK("2.2", "x_t + \\Delta t \\cdot \\frac{x_t - \\epsilon_{\\theta}(x_t, t)}{t}");
    RIGHT("1.3d", "\\approx 0", FMS_REASON_NEAR_ZERO);
    INVALID("1.3c.B", "\\int e^{-x}", FMS_REASON_PARSE_ERROR);
    INVALID("1.3c.B", "e^{-45", FMS_REASON_PARSE_ERROR);
    /* An unreadable answer is quoted as read, cut at a character boundary so
     * that the JSON report can carry it (found by fuzz_sheet). */
    char text[256] = "u = ";
    for (int i = 0; i < 40; i++)
        strcat(text, "\xe2\x86\x92");   /* → */
    char fb[1024];
    expect("1.3c.B", text, FMS_VERDICT_INVALID, FMS_REASON_PARSE_ERROR, fb, sizeof fb);
    says(fb, "read as");
    json_t *j = json_string(fb);
    ck_assert_msg(j != NULL, "not UTF-8: %s", fb);
    json_decref(j);
}
END_TEST

START_TEST(c05_numbers_as_written)
{
    char fb[1024];
    OK("1.3d", "-10e^-45");                  /* e^ never begins an exponent */
    OK("1.3c.B", "2.86x10^-20");
    OK("1.3c.B", "2.86 x 10^-20");
    OK("1.2a.A", "-0,5");
    OK("1.3a.B", "9,5");
    OK("1.1a.A", "0.5.");
    OK("2.1", "(x_t - eps)/t.");
    expect("1.3a.B", "9,500", FMS_VERDICT_INVALID, FMS_REASON_AMBIGUOUS, fb, sizeof fb);
    says(fb, "two ways");
    expect("1.3c.B", "2.86 e-20", FMS_VERDICT_INVALID, FMS_REASON_AMBIGUOUS, fb, sizeof fb);
    says(fb, "space");
}
END_TEST

START_TEST(c06_bytes_that_are_not_utf8)
{
    /* Latin-1 in a comment costs nothing; in an answer, that item only. */
    const char text[] = "# r\xe9ponses\n1.1a.A = 0.5\n1.1a.B = \xb7" "0.5\n1.1b.A = 0 # z\xe9ro\n";
    fms_grade *g = grade_text(text, sizeof text - 1);
    is(g, "1.1a.A", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    is(g, "1.1b.A", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    is(g, "1.1a.B", FMS_VERDICT_INVALID, FMS_REASON_NOT_UTF8);
    says(find(g, "1.1a.B")->feedback, "save it as UTF-8");
    ck_assert_uint_eq(g->nnotes, 1);
    ck_assert_int_eq(g->notes[0].reason, FMS_REASON_ENCODING);
    ck_assert_int_eq(g->notes[0].line, 1);
    says(g->notes[0].text, "UTF-8");
    fms_grade_free(g);
}
END_TEST

START_TEST(c07_the_same_answer_twice)
{
    fms_grade *g = grade_sheet("1.1a.A = 0.5\n"
                               "1.1a.A = 1/2\n"            /* the same, twice */
                               "1.3c = e^45 : 1\n"
                               "1.3c.B = 2.86e-20\n"       /* agrees with the odds */
                               "1.3c.A = 0.5\n"            /* disagrees with them */
                               "1.1b.A =\n"                /* blank, then answered */
                               "1.1b.A = 0\n");
    is(g, "1.1a.A", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    says(find(g, "1.1a.A")->feedback, "line 2");
    is(g, "1.3c.B", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    is(g, "1.3c.A", FMS_VERDICT_INVALID, FMS_REASON_DUPLICATE);
    says(find(g, "1.3c.A")->feedback, "line 3 (correct)");
    says(find(g, "1.3c.A")->feedback, "line 5 (incorrect");
    is(g, "1.1b.A", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    ck_assert_int_eq(find(g, "1.1b.A")->line, 7);
    fms_grade_free(g);
    /* Two different wrong answers still disagree; the same wrong one twice does not. */
    g = grade_sheet("1.3a.B = 9\n1.3a.B = 0.5\n1.3b.A = 3\n1.3b.A = 4\n1.3b.B = 7\n1.3b.B = 7\n");
    is(g, "1.3a.B", FMS_VERDICT_INVALID, FMS_REASON_DUPLICATE);
    is(g, "1.3b.A", FMS_VERDICT_INVALID, FMS_REASON_DUPLICATE);
    is(g, "1.3b.B", FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_VALUE);
    fms_grade_free(g);
}
END_TEST

START_TEST(c08_correctly_rounded)
{
    char fb[1024];
    expect("1.3c.B", "2.9e-20", FMS_VERDICT_CORRECT, FMS_REASON_ROUNDED, fb, sizeof fb);
    says(fb, "2.86252\xc2\xb7" "10^-20");
    says(fb, "2 significant digits");
    RIGHT("1.3c.B", "2.86e-20", FMS_REASON_OK);
    RIGHT("1.3d", "-2.9e-19", FMS_REASON_ROUNDED);
    RIGHT("1.4.w(1.3).B", "2.9\xc3\x97" "10^-20", FMS_REASON_ROUNDED);
    expect("1.3c.B", "2.8e-20", FMS_VERDICT_INCORRECT, FMS_REASON_LOW_PRECISION, fb, sizeof fb);
    says(fb, "2.9\xc2\xb7" "10^-20");            /* what rounding to 2 digits gives */
    expect("1.3c.B", "3e-20", FMS_VERDICT_INCORRECT, FMS_REASON_LOW_PRECISION, fb, sizeof fb);
    says(fb, "one significant digit");
    BAD("1.3c.B", "2.9e-19", FMS_REASON_WRONG_VALUE);
    /* Only a number as written is judged by its digits: 9.0 + 0.6 is 9.6. */
    BAD("1.3a.B", "9.0 + 0.6", FMS_REASON_LOW_PRECISION);
    BAD("1.3a.B", "9.6", FMS_REASON_LOW_PRECISION);
}
END_TEST

START_TEST(rounding_property)
{
    /* Every value of the key written with 2 to 8 significant digits,
     * correctly rounded, is right; the last digit off by 2 is not (except
     * where the absolute tolerance of ≈ 0 decides). */
    for (size_t i = 0; i < key->n; i++) {
        const fms_key_item *it = &key->items[i];
        if (it->kind == FMS_ITEM_FORMULA || (it->kind == FMS_ITEM_SHARE && it->value < 1e-300))
            continue;
        double w = it->kind == FMS_ITEM_SHARE ? exp(it->log_value) : it->value;
        if (fabs(w) <= 1e-5 * it->scale)
            continue;
        for (int k = 2; k <= 8; k++) {
            char txt[64], bad[64];
            snprintf(txt, sizeof txt, "%.*e", k - 1, w);
            fms_grade_item g = { 0 };
            ck_assert_int_eq(fms_grade_answer_with(key, set->data, it, txt, &g, NULL), FMS_OK);
            ck_assert_msg(g.verdict == FMS_VERDICT_CORRECT, "%s = %s: %s", it->id, txt, g.feedback);
            /* The last digit moved by 2 units. */
            double m;
            int e;
            sscanf(txt, "%lfe%d", &m, &e);
            snprintf(bad, sizeof bad, "%.*fe%d", k - 1, m + (m > 0 ? 2 : -2) * pow(10, 1 - k), e);
            ck_assert_int_eq(fms_grade_answer_with(key, set->data, it, bad, &g, NULL), FMS_OK);
            if (fabs(w) * pow(10, 1 - k) > FMS_GRADE_REL_TOL * fabs(w))
                ck_assert_msg(g.verdict != FMS_VERDICT_CORRECT, "%s = %s: %s", it->id, bad, g.feedback);
            fms_grade_item_clear(&g);
        }
    }
    /* Ties: both neighbours pass. */
    fms_decimal d;
    ck_assert(fms_notation_decimal("0.12", &d));
    ck_assert(fms_mistakes_rounded(&d, 1, log(0.12), 1, log(0.125)));
    ck_assert(fms_notation_decimal("0.13", &d));
    ck_assert(fms_mistakes_rounded(&d, 1, log(0.13), 1, log(0.125)));
    ck_assert(fms_notation_decimal("0.11", &d));
    ck_assert(!fms_mistakes_rounded(&d, 1, log(0.11), 1, log(0.125)));
    ck_assert(fms_notation_decimal("0.1", &d));
    ck_assert(!fms_mistakes_rounded(&d, 1, log(0.1), 1, log(0.125)));   /* one digit: no */
    ck_assert(!fms_mistakes_rounded(&d, -1, log(0.13), 1, log(0.125))); /* the sign counts */
}
END_TEST

START_TEST(c09_a_colon_where_no_share_is_asked)
{
    char fb[1024];
    expect("1.1d", "1 : 1", FMS_VERDICT_INVALID, FMS_REASON_RATIO_NOT_ASKED, fb, sizeof fb);
    says(fb, "one number");
    ck_assert_ptr_null(strstr(fb, "share of"));
    INVALID("2.1", "x_t : t", FMS_REASON_RATIO_NOT_ASKED);
    expect("1.3c.A", "e^45 : 1", FMS_VERDICT_INVALID, FMS_REASON_ODDS_FOR_SHARE, fb, sizeof fb);
    says(fb, "1.3c = A : B");
}
END_TEST

START_TEST(c10_accepted_with_the_sign_flipped)
{
    char fb[1024];
    expect("1.3d", "2.86e-19", FMS_VERDICT_CORRECT, FMS_REASON_NEAR_ZERO_SIGN, fb, sizeof fb);
    says(fb, "the sign is wrong");
    says(fb, "\xe2\x88\x92" "2.86252\xc2\xb7" "10^-19");
    RIGHT("1.4.v(1.3)", "2.9e-19", FMS_REASON_NEAR_ZERO_SIGN);
}
END_TEST

START_TEST(c11_a_share_near_one)
{
    char fb[1024];
    expect("1.3c.A", "0.99", FMS_VERDICT_INCORRECT, FMS_REASON_NEAR_ONE, fb, sizeof fb);
    says(fb, "0.01");
    says(fb, "2.86252\xc2\xb7" "10^-20");
    BAD("1.4.w(1.3).A", "0.95", FMS_REASON_NEAR_ONE);
    OK("1.3c.A", "0.9999");
    BAD("1.1c.A", "0.49", FMS_REASON_LOW_PRECISION);  /* 0.5 is not near 1 */
}
END_TEST

START_TEST(c12_common_mistakes)
{
    char fb[1024];
    /* A and B swapped. */
    expect("1.3c.B", "1", FMS_VERDICT_INCORRECT, FMS_REASON_OTHER_LABEL, fb, sizeof fb);
    says(fb, "for A");
    BAD("1.3a.A", "9.5", FMS_REASON_OTHER_LABEL);
    BAD("1.3b.B", "0", FMS_REASON_OTHER_LABEL);
    /* Odds in a share's slot. */
    expect("1.3c.A", "e^45", FMS_VERDICT_INCORRECT, FMS_REASON_ODDS_FOR_SHARE, fb, sizeof fb);
    says(fb, "odds");
    BAD("1.1c.A", "1", FMS_REASON_ODDS_FOR_SHARE);
    /* u left in the update: incorrect, not invalid. */
    expect("2.2", "x_t + dt*u", FMS_VERDICT_INCORRECT, FMS_REASON_UNSUBSTITUTED, fb, sizeof fb);
    says(fb, "u");
    BAD("2.2", "x + \xce\x94t\xc2\xb7u_\xce\xb8(x_t, t)", FMS_REASON_UNSUBSTITUTED);
    /* e for ε: e is Euler's number here. */
    expect("2.1", "(x_t - e)/t", FMS_VERDICT_INCORRECT, FMS_REASON_E_FOR_EPSILON, fb, sizeof fb);
    says(fb, "Euler's number");
    BAD("2.2", "x_t + dt*(x_t - e)/t", FMS_REASON_E_FOR_EPSILON);
    BAD("2.1", "(x_t - e)/(1 - t)", FMS_REASON_WRONG_FORMULA);   /* wrong with ε too */
    /* A blank answer is missing, not invalid. */
    fms_grade *g = grade_sheet("1.1a.A =\n");
    is(g, "1.1a.A", FMS_VERDICT_MISSING, FMS_REASON_BLANK);
    ck_assert_int_eq(find(g, "1.1a.A")->line, 1);
    fms_grade_free(g);
    /* Shares that do not sum to 1: p_k·exp(−ε_k²/2) without the division. */
    char sheet[256];
    snprintf(sheet, sizeof sheet, "1.1c.A = %.17g\n1.1c.B = %.17g\n1.3c.A = 0.5*exp(-0.125)\n"
                                  "1.3c.B = 0.5*exp(-45.125)\n", exp(-0.125), exp(-0.125));
    g = grade_sheet(sheet);
    is(g, "1.1c.A", FMS_VERDICT_INCORRECT, FMS_REASON_NOT_NORMALISED);
    is(g, "1.1c.B", FMS_VERDICT_INCORRECT, FMS_REASON_NOT_NORMALISED);
    says(find(g, "1.1c.B")->feedback, "sum to 1.76");
    is(g, "1.3c.A", FMS_VERDICT_INCORRECT, FMS_REASON_NOT_NORMALISED);
    is(g, "1.3c.B", FMS_VERDICT_INCORRECT, FMS_REASON_NOT_NORMALISED);
    fms_grade_free(g);
    /* Alone, an unnormalised share is a wrong value: the sum is unknown. */
    g = grade_sheet("1.3c.B = 0.5*exp(-45.125)\n");
    is(g, "1.3c.B", FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_VALUE);
    fms_grade_free(g);
}
END_TEST

START_TEST(c12_utf16_files_are_read)
{
    const char *text = "1.1a.A = 0.5\n1.3c.B = exp(-45)\n";
    char buf[128];
    size_t m = 0;
    buf[m++] = '\xff';
    buf[m++] = '\xfe';
    for (const char *s = text; *s; s++) {
        buf[m++] = *s;
        buf[m++] = 0;
    }
    fms_grade *g = grade_text(buf, m);
    is(g, "1.1a.A", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    is(g, "1.3c.B", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    ck_assert_uint_eq(g->nnotes, 1);
    says(g->notes[0].text, "save it as UTF-8");
    fms_grade_free(g);
}
END_TEST

START_TEST(c13_hints_speak_of_what_was_written)
{
    char fb[1024];
    expect("1.3c.B", "2.86e", FMS_VERDICT_INVALID, FMS_REASON_AMBIGUOUS, fb, sizeof fb);
    ck_assert_ptr_null(strstr(fb, "space"));
    expect("1.3c.B", "2.86 e-20", FMS_VERDICT_INVALID, FMS_REASON_AMBIGUOUS, fb, sizeof fb);
    says(fb, "space");
}
END_TEST

/* ---- whole sheets -------------------------------------------------------------- */

START_TEST(the_key_grades_all_correct)
{
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_render_key(key, &b, NULL), FMS_OK);
    fms_grade *g = grade_sheet(fms_strbuf_str(&b));
    ck_assert_uint_eq(g->n, key->n);
    ck_assert_uint_eq(g->ncorrect, g->n);
    ck_assert_uint_eq(g->nunknown, 0);
    ck_assert_uint_eq(g->nnotes, 0);
    ck_assert_double_eq(g->score, (double)g->n);
    ck_assert_double_eq(g->max_score, (double)g->n);
    fms_grade_free(g);
    fms_strbuf_free(&b);
}
END_TEST

START_TEST(whole_sheet_verdicts)
{
    fms_grade *g = grade_sheet("1.1a.A = 0.5\n"
                               "1.1a.A = 0.7\n"         /* answered twice, differently */
                               "1.1c = 1 : 1\n"         /* odds for the part */
                               "1.3c = e^45 : 1\n"
                               "1.3C.b = 0\n"           /* case differs; also answered by the ratio */
                               "1.4.w(1.1).A = 1:1\n"   /* odds for one share */
                               "1.4.w(1.3) = 1 : 2 : 3\n" /* wrong number of terms */
                               "1.2c = 0.5\n"
                               "1.2a = 3\n"             /* not an id: part 1.2a has per-label answers */
                               "9.9 = 1\n"
                               "just words\n");
    is(g, "1.1a.A", FMS_VERDICT_INVALID, FMS_REASON_DUPLICATE);
    ck_assert_int_eq(find(g, "1.1a.B")->verdict, FMS_VERDICT_MISSING);
    ck_assert_ptr_null(find(g, "1.1a.B")->got);
    is(g, "1.1c.A", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    is(g, "1.1c.B", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    is(g, "1.3c.A", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    is(g, "1.3c.B", FMS_VERDICT_INVALID, FMS_REASON_DUPLICATE);
    is(g, "1.4.w(1.1).A", FMS_VERDICT_INVALID, FMS_REASON_ODDS_FOR_SHARE);
    is(g, "1.4.w(1.3).A", FMS_VERDICT_INVALID, FMS_REASON_BAD_RATIO);
    is(g, "1.4.w(1.3).B", FMS_VERDICT_INVALID, FMS_REASON_BAD_RATIO);
    is(g, "1.2c", FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_VALUE);
    ck_assert_int_eq(find(g, "1.2c")->line, 8);
    ck_assert_uint_eq(g->nunknown, 3);
    ck_assert_str_eq(g->unknown[0].id, "1.2a");
    ck_assert_str_eq(g->unknown[1].id, "9.9");
    ck_assert_int_eq(g->unknown[2].line, 11);
    ck_assert_uint_eq(g->ncorrect, 3);
    fms_grade_free(g);
}
END_TEST

START_TEST(odds_for_a_part)
{
    fms_grade *g = grade_sheet("1.3c = 0 : 0\n1.1c = a : b\n1.4.w(1.3) = A : B = e^45 : 1\n"
                               "1.4.w(1.1) = 0,5 : 0,5\n");
    is(g, "1.3c.A", FMS_VERDICT_INVALID, FMS_REASON_BAD_RATIO);
    is(g, "1.1c.B", FMS_VERDICT_INVALID, FMS_REASON_NOT_A_NUMBER);
    is(g, "1.4.w(1.3).B", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    is(g, "1.4.w(1.1).A", FMS_VERDICT_CORRECT, FMS_REASON_OK);
    fms_grade_free(g);
}
END_TEST

/* A set from the source tree (asserted to load), and its key. */
static fms_exset *load_set(const char *rel, fms_key **k)
{
    size_t len;
    char *text = fms_read_source(rel, &len);
    ck_assert_ptr_nonnull(text);
    fms_exset *s = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_exset_load_string(rel, text, len, &s, &err) == FMS_OK, "%s", err.msg);
    free(text);
    ck_assert_int_eq(fms_key_build(s, k, NULL), FMS_OK);
    return s;
}

START_TEST(points_per_part)
{
    /* tests/data/sets/points.ini: 1.1 worth 2 per part, 1.3's parts 2, 2, 3,
     * 2, and 2.1 and 2.2 worth 3 each. */
    fms_key *pk = NULL;
    fms_exset *ps = load_set("tests/data/sets/points.ini", &pk);
    fms_sheet *sh = NULL;
    const char answers[] = "1.3c.A = 1\n1.3c.B = 0\n1.3a.A = 0.5\n1.3a.B = 9.5\n2.1 = (x_t - eps)/t\n";
    ck_assert_int_eq(fms_sheet_parse(answers, sizeof answers - 1, &sh, NULL), FMS_OK);
    fms_grade *g = NULL;
    ck_assert_int_eq(fms_grade_sheet(pk, ps->data, sh, &g, NULL), FMS_OK);
    ck_assert_double_eq(g->max_score, (double)g->n);   /* 1 point each until weighed */
    fms_grade_weigh(g, ps);
    ck_assert(g->weighted);
    ck_assert_double_eq(find(g, "1.3c.A")->max_points, 1.5);   /* 3 points, two labels */
    ck_assert_double_eq(find(g, "1.3c.A")->points, 1.5);
    ck_assert_double_eq(find(g, "1.3c.B")->points, 0.0);
    ck_assert_double_eq(find(g, "1.3d.x1")->max_points, 1.0); /* 2 points, v and x̂1 */
    ck_assert_double_eq(find(g, "1.1a.A")->max_points, 1.0);  /* 2 points, A and B */
    ck_assert_double_eq(find(g, "2.1")->points, 3.0);
    /* 1.1 (4 parts of 2), 1.2 (6 items), 1.3 (9), 1.4 (6 items), 2.1 and 2.2 (3 each). */
    ck_assert_double_eq(g->max_score, 8 + 6 + 9 + 6 + 3 + 3);
    ck_assert_double_eq(g->score, 1.5 + 1 + 1 + 3);
    fms_grade_weigh(g, ps);                                     /* again: the same */
    ck_assert_double_eq(g->score, 6.5);
    fms_grade_free(g);
    fms_sheet_free(sh);
    fms_key_free(pk);
    fms_exset_free(ps);
    /* A list of the wrong length, or a negative number, is refused by the loader. */
    static const char *const bad[] = { "[2.1]\nkind = eps_to_velocity\npoints = 1, 2\n", "[1.1]\nt = 0\nx_t = 0\n"
                                       "parts = eps, target\npoints = 1, 2, 3\n", "[2.1]\nkind = eps_to_velocity\n"
                                       "points = -1\n", "[2.1]\nkind = eps_to_velocity\npoints = lots\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        int n = snprintf(text, sizeof text, "[data]\nA = 0.5\n%s", bad[i]);
        fms_error err;
        fms_error_clear(&err);
        ck_assert_int_eq(fms_exset_load_string("bad.ini", text, (size_t)n, &ps, &err), FMS_EINVAL);
        ck_assert_ptr_nonnull(strstr(err.msg, "points"));
    }
}
END_TEST

START_TEST(far_below_a_double)
{
    /* A variant where shares are e^-39000: the key writes mantissa·10^e and
     * the grader compares logarithms. */
    fms_key *k = NULL;
    fms_exset *v = load_set("tests/data/sets/near-one-tiny-shares.ini", &k);
    const fms_key_item *q = fms_key_find(k, "1.3c.Q");
    ck_assert_ptr_nonnull(q);
    ck_assert(q->value == 0.0 && q->log_value < -30000);
    char kv[FMS_KEY_VALUE_MAX];
    fms_key_item_value(q, kv);
    fms_grade_item g = { 0 };
    ck_assert_int_eq(fms_grade_answer_with(k, v->data, q, kv, &g, NULL), FMS_OK);
    ck_assert_int_eq(g.verdict, FMS_VERDICT_CORRECT);
    char e[64];
    snprintf(e, sizeof e, "exp(%.17g)", q->log_value);
    ck_assert_int_eq(fms_grade_answer_with(k, v->data, q, e, &g, NULL), FMS_OK);
    ck_assert_int_eq(g.reason, FMS_REASON_OK);
    snprintf(e, sizeof e, "exp(%.17g)", q->log_value * 1.01);
    ck_assert_int_eq(fms_grade_answer_with(k, v->data, q, e, &g, NULL), FMS_OK);
    ck_assert_int_eq(g.reason, FMS_REASON_WRONG_VALUE);
    ck_assert_int_eq(fms_grade_answer_with(k, v->data, q, "0", &g, NULL), FMS_OK);
    ck_assert_int_eq(g.reason, FMS_REASON_ZERO_FOR_TINY);
    /* The share of P there is 1 − (tiny below a double): 0.99 is NEAR_ONE, and
     * the feedback names the others' share from their logarithms. */
    const fms_key_item *r = fms_key_find(k, "1.3c.P");
    ck_assert_int_eq(fms_grade_answer_with(k, v->data, r, "0.99", &g, NULL), FMS_OK);
    ck_assert_int_eq(g.reason, FMS_REASON_NEAR_ONE);
    ck_assert_ptr_null(strstr(g.feedback, "undefined"));
    fms_grade_item_clear(&g);
    fms_key_free(k);
    fms_exset_free(v);
}
END_TEST

START_TEST(reason_codes_table)
{
    /* Each code has its own name, the identifier without the prefix, and a meaning. */
    for (int r = 0; r < FMS_REASON_COUNT; r++) {
        const char *name = fms_grade_reason_name((fms_reason)r);
        ck_assert(name[0] >= 'A' && name[0] <= 'Z');
        ck_assert(strlen(fms_grade_reason_meaning((fms_reason)r)) > 0);
        for (int q = 0; q < r; q++)
            ck_assert_str_ne(fms_grade_reason_name((fms_reason)q), name);
    }
    /* The numbers of the old codes do not move. */
    ck_assert_int_eq(FMS_REASON_OK, 0);
    ck_assert_int_eq(FMS_REASON_MISSING, 16);
    ck_assert_str_eq(fms_grade_reason_name(FMS_REASON_DOMAIN_MISMATCH), "DOMAIN_MISMATCH");
    char too_long[64];
    snprintf(too_long, sizeof too_long, "a line longer than %d bytes", FMS_SHEET_MAX_LINE);
    ck_assert_str_eq(fms_grade_reason_meaning(FMS_REASON_TOO_LONG), too_long);
    ck_assert_str_eq(fms_grade_reason_name(FMS_REASON_COUNT), "?");
    ck_assert_str_eq(fms_grade_verdict_name(FMS_VERDICT_MISSING), "missing");
}
END_TEST

START_TEST(mistakes_table)
{
    /* Every row's message fills all its {names}; the last row of each kind
     * always applies, so every answer gets a row. */
    for (size_t i = 0; i < fms_mistakes_count; i++) {
        const fms_mistake *m = &fms_mistakes[i];
        ck_assert(m->applies && m->message && m->kinds);
        fms_key_item it = key->items[0];
        it.kind = m->kinds & (1u << FMS_ITEM_FORMULA) ? FMS_ITEM_FORMULA : FMS_ITEM_NUMBER;
        it.formula = "(x_t - eps)/t";
        it.vars = "x_t eps t";
        fms_mistake_ctx c = { 0 };
        c.item = &it;
        c.data = set->data;
        c.group = key->items;
        c.ngroup = 1;
        c.finite = 1;
        char out[1024];
        fms_mistakes_say(m, &c, out, sizeof out);
        ck_assert_msg(strchr(out, '{') == NULL, "row %zu leaves a name: %s", i, out);
        json_t *j = json_string(out);
        ck_assert_msg(j != NULL, "row %zu is not UTF-8", i);
        json_decref(j);
    }
    for (int kind = 0; kind < 3; kind++) {
        fms_key_item it = key->items[0];
        it.kind = (fms_item_kind)kind;
        fms_mistake_ctx c = { 0 };
        c.item = &it;
        c.sign = 1;
        c.log_abs = log(0.3);    /* matches nothing */
        c.given = 0.3;
        c.finite = 1;
        const fms_mistake *m = fms_mistakes_find(&c);
        ck_assert_ptr_nonnull(m);
        ck_assert(m->reason == FMS_REASON_WRONG_VALUE || m->reason == FMS_REASON_WRONG_FORMULA);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("grade");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, numbers_with_relative_and_scaled_absolute_tolerance);
    tcase_add_test(tc, shares_have_no_absolute_floor);
    tcase_add_test(tc, formulas_at_random_points);
    tcase_add_test(tc, c01_approx_as_the_sheet_writes_it);
    tcase_add_test(tc, c02_a_written_out_left_hand_side);
    tcase_add_test(tc, c03_data_labels_for_the_point);
    tcase_add_test(tc, c04_latex_pasted_from_notes);
    tcase_add_test(tc, c05_numbers_as_written);
    tcase_add_test(tc, c06_bytes_that_are_not_utf8);
    tcase_add_test(tc, c07_the_same_answer_twice);
    tcase_add_test(tc, c08_correctly_rounded);
    tcase_add_test(tc, rounding_property);
    tcase_add_test(tc, c09_a_colon_where_no_share_is_asked);
    tcase_add_test(tc, c10_accepted_with_the_sign_flipped);
    tcase_add_test(tc, c11_a_share_near_one);
    tcase_add_test(tc, c12_common_mistakes);
    tcase_add_test(tc, c12_utf16_files_are_read);
    tcase_add_test(tc, c13_hints_speak_of_what_was_written);
    tcase_add_test(tc, the_key_grades_all_correct);
    tcase_add_test(tc, whole_sheet_verdicts);
    tcase_add_test(tc, odds_for_a_part);
    tcase_add_test(tc, points_per_part);
    tcase_add_test(tc, far_below_a_double);
    tcase_add_test(tc, reason_codes_table);
    tcase_add_test(tc, mistakes_table);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

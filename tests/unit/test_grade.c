/* test_grade.c — grading answers and sheets (grade.h) and the reports (report.h). */
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
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
}

static void teardown(void)
{
    fms_key_free(key);
    fms_exset_free(set);
}

/* Grades one answer and checks verdict and reason; returns the feedback in fb. */
static void expect(const char *id, const char *answer, fms_verdict v, fms_reason reason, char *fb, size_t fbsz)
{
    const fms_key_item *item = fms_key_find(key, id);
    ck_assert_msg(item != NULL, "no item %s", id);
    fms_grade_item g = { 0 };
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_grade_answer(item, answer, &g, &err), FMS_OK);
    ck_assert_msg(g.verdict == v && g.reason == reason, "%s = %s: %s/%s (%s), expected %s/%s", id, answer,
                  fms_grade_verdict_name(g.verdict), fms_grade_reason_name(g.reason), g.feedback,
                  fms_grade_verdict_name(v), fms_grade_reason_name(reason));
    if (fb)
        snprintf(fb, fbsz, "%s", g.feedback);
    fms_grade_item_clear(&g);
}

#define OK(id, ans) expect(id, ans, FMS_VERDICT_CORRECT, FMS_REASON_OK, NULL, 0)
#define BAD(id, ans, reason) expect(id, ans, FMS_VERDICT_INCORRECT, reason, NULL, 0)
#define INVALID(id, ans, reason) expect(id, ans, FMS_VERDICT_INVALID, reason, NULL, 0)

START_TEST(numbers_with_relative_and_scaled_absolute_tolerance)
{
    OK("1.3a.B", "9.5");
    OK("1.3a.B", "19/2");
    OK("1.3a.B", "9.509");          /* within 1e-3 relative */
    BAD("1.3a.B", "9.52", FMS_REASON_LOW_PRECISION);
    BAD("1.3a.B", "-9.5", FMS_REASON_WRONG_SIGN);
    BAD("1.3a.B", "0.5", FMS_REASON_WRONG_VALUE);
    OK("1.1b.B", "\xe2\x88\x92" "1");
    /* −2.86e-19 is "≈ 0": the absolute tolerance is 1e-6 × the spread (1). */
    OK("1.3d", "0");
    OK("1.3d", "-2.86e-19");
    OK("1.3d", "9e-7");
    BAD("1.3d", "2e-6", FMS_REASON_WRONG_VALUE);
    OK("1.1b.A", "0");
    BAD("1.1b.A", "0.01", FMS_REASON_WRONG_VALUE);
    BAD("1.3a.B", "1/0", FMS_REASON_NOT_FINITE);
    INVALID("1.3a.B", "nine and a half", FMS_REASON_NOT_A_NUMBER);
    INVALID("1.3a.B", "ten", FMS_REASON_NOT_A_NUMBER);
    INVALID("1.3a.B", "9.5.", FMS_REASON_PARSE_ERROR);
    INVALID("1.3a.B", "", FMS_REASON_BLANK);
}
END_TEST

START_TEST(shares_have_no_absolute_floor)
{
    char fb[1024];
    expect("1.3c.B", "0", FMS_VERDICT_INCORRECT, FMS_REASON_ZERO_FOR_TINY, fb, sizeof fb);
    ck_assert_ptr_nonnull(strstr(fb, "2.86252\xc2\xb7" "10^-20"));
    ck_assert_ptr_nonnull(strstr(fb, "rare"));
    OK("1.3c.B", "exp(-45)");
    OK("1.3c.B", "e^-45");
    OK("1.3c.B", "1/(1+exp(45))");
    OK("1.3c.B", "2.86e-20");
    OK("1.3c.B", "2.86\xc2\xb7" "10\xe2\x81\xbb\xc2\xb2\xe2\x81\xb0");
    BAD("1.3c.B", "2.9e-20", FMS_REASON_LOW_PRECISION);
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
    ck_assert_ptr_nonnull(strstr(fb, "x_t = "));
    ck_assert_ptr_nonnull(strstr(fb, "eps = "));
    ck_assert_ptr_nonnull(strstr(fb, "t = "));
    ck_assert_ptr_nonnull(strstr(fb, "yours gives"));
    ck_assert_ptr_nonnull(strstr(fb, "expected"));
    /* Undefined for the student only (t < 0.95 always, so 1/(t − 0.95)… is
     * defined; sqrt of a negative number is not). */
    expect("2.1", "(x_t - eps)/t + sqrt(-1 - t*t)", FMS_VERDICT_INCORRECT, FMS_REASON_DOMAIN_MISMATCH, fb, sizeof fb);
    expect("2.1", "(x_t - y)/t", FMS_VERDICT_INVALID, FMS_REASON_UNKNOWN_VARIABLE, fb, sizeof fb);
    ck_assert_ptr_nonnull(strstr(fb, "'y'"));
    INVALID("2.1", "(x_t - eps_theta)/t + dt", FMS_REASON_UNKNOWN_VARIABLE);
    INVALID("2.2", "x_t + dt*u", FMS_REASON_UNKNOWN_VARIABLE);
    INVALID("2.1", "(x_t - eps/t", FMS_REASON_PARSE_ERROR);
    BAD("2.1", "0", FMS_REASON_WRONG_FORMULA);
}
END_TEST

static fms_grade *grade_text(const char *text)
{
    fms_sheet *sh = NULL;
    ck_assert_int_eq(fms_sheet_parse(text, strlen(text), &sh, NULL), FMS_OK);
    fms_grade *g = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_grade_sheet(key, set->data, sh, &g, &err) == FMS_OK, "%s", err.msg);
    fms_sheet_free(sh);
    return g;
}

static const fms_grade_item *find(const fms_grade *g, const char *id)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->items[i].key->id, id) == 0)
            return &g->items[i];
    ck_abort_msg("no graded item %s", id);
    return NULL;
}

START_TEST(the_key_grades_all_correct)
{
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_render_key(key, &b, NULL), FMS_OK);
    fms_grade *g = grade_text(fms_strbuf_str(&b));
    ck_assert_uint_eq(g->n, key->n);
    ck_assert_uint_eq(g->ncorrect, g->n);
    ck_assert_uint_eq(g->nunknown, 0);
    fms_grade_free(g);
    fms_strbuf_free(&b);
}
END_TEST

START_TEST(whole_sheet_verdicts)
{
    fms_grade *g = grade_text("1.1a.A = 0.5\n"
                              "1.1a.A = 0.5\n"         /* answered twice */
                              "1.1c = 1 : 1\n"         /* odds for the part */
                              "1.3c = e^45 : 1\n"
                              "1.3C.b = 0\n"           /* case differs; also answered by the ratio */
                              "1.4.w(1.1).A = 1:1\n"   /* a ratio for one share */
                              "1.4.w(1.3) = 1 : 2 : 3\n" /* wrong number of terms */
                              "1.2c = 0.5\n"
                              "1.2a = 3\n"             /* not an id: part 1.2a has per-label answers */
                              "9.9 = 1\n"
                              "just words\n");
    ck_assert_int_eq(find(g, "1.1a.A")->verdict, FMS_VERDICT_INVALID);
    ck_assert_int_eq(find(g, "1.1a.A")->reason, FMS_REASON_DUPLICATE);
    ck_assert_int_eq(find(g, "1.1a.B")->verdict, FMS_VERDICT_MISSING);
    ck_assert_ptr_null(find(g, "1.1a.B")->got);
    ck_assert_int_eq(find(g, "1.1c.A")->verdict, FMS_VERDICT_CORRECT);
    ck_assert_int_eq(find(g, "1.1c.B")->verdict, FMS_VERDICT_CORRECT);
    ck_assert_int_eq(find(g, "1.3c.A")->verdict, FMS_VERDICT_CORRECT);
    ck_assert_int_eq(find(g, "1.3c.B")->reason, FMS_REASON_DUPLICATE);
    ck_assert_int_eq(find(g, "1.4.w(1.1).A")->reason, FMS_REASON_BAD_RATIO);
    ck_assert_int_eq(find(g, "1.4.w(1.3).A")->reason, FMS_REASON_BAD_RATIO);
    ck_assert_int_eq(find(g, "1.4.w(1.3).B")->reason, FMS_REASON_BAD_RATIO);
    ck_assert_int_eq(find(g, "1.2c")->reason, FMS_REASON_WRONG_VALUE);
    ck_assert_int_eq(find(g, "1.2c")->line, 8);
    ck_assert_uint_eq(g->nunknown, 3);
    ck_assert_str_eq(g->unknown[0].id, "1.2a");
    ck_assert_str_eq(g->unknown[1].id, "9.9");
    ck_assert_int_eq(g->unknown[2].line, 11);
    ck_assert_uint_eq(g->ncorrect, 3);
    fms_grade_free(g);
}
END_TEST

START_TEST(ratio_first_then_single_share)
{
    /* The ratio comes second: the earlier single answer keeps its line. */
    fms_grade *g = grade_text("1.3c.A = 1\n1.3c = e^45 : 1\n");
    ck_assert_int_eq(find(g, "1.3c.A")->reason, FMS_REASON_DUPLICATE);
    ck_assert_int_eq(find(g, "1.3c.B")->verdict, FMS_VERDICT_CORRECT);
    ck_assert_int_eq(find(g, "1.3c.B")->line, 2);
    fms_grade_free(g);
    g = grade_text("1.3c = 0 : 0\n1.1c = a : b\n");
    ck_assert_int_eq(find(g, "1.3c.A")->reason, FMS_REASON_BAD_RATIO);
    ck_assert_int_eq(find(g, "1.1c.B")->reason, FMS_REASON_NOT_A_NUMBER);
    fms_grade_free(g);
}
END_TEST

START_TEST(reports)
{
    fms_grade *g = grade_text("1.1d = 0.5\n1.3c.B = 0\n2.1 = (x - eps)/t\n7 = 1\n");
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_report_render(set, g, FMS_REPORT_TEXT, &b, NULL), FMS_OK);
    const char *text = fms_strbuf_str(&b);
    ck_assert_ptr_nonnull(strstr(text, "score: 1/30\n"));
    ck_assert_ptr_null(strstr(text, "passed"));
    ck_assert_ptr_nonnull(strstr(text, "WRONG_SIGN"));
    fms_strbuf_reset(&b);

    ck_assert_int_eq(fms_report_render(set, g, FMS_REPORT_JSON, &b, NULL), FMS_OK);
    json_error_t je;
    json_t *root = json_loads(fms_strbuf_str(&b), 0, &je);
    ck_assert_msg(root != NULL, "%s", je.text);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 30);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "correct")), 1);
    json_t *items = json_object_get(root, "items");
    ck_assert_uint_eq(json_array_size(items), 30);
    json_t *d = NULL;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(items, i), "id")), "1.1d") == 0)
            d = json_array_get(items, i);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(json_string_value(json_object_get(d, "verdict")), "incorrect");
    ck_assert_str_eq(json_string_value(json_object_get(d, "reason")), "WRONG_SIGN");
    ck_assert_str_eq(json_string_value(json_object_get(d, "expected")), "-0.5");
    ck_assert_str_eq(json_string_value(json_object_get(d, "got")), "0.5");
    ck_assert(json_is_null(json_object_get(json_array_get(items, 0), "got")));   /* missing */
    ck_assert_uint_eq(json_array_size(json_object_get(root, "unknown")), 1);
    json_decref(root);
    fms_strbuf_reset(&b);

    ck_assert_int_eq(fms_report_render(set, g, FMS_REPORT_GRADESCOPE, &b, NULL), FMS_OK);
    root = json_loads(fms_strbuf_str(&b), 0, &je);
    ck_assert_msg(root != NULL, "%s", je.text);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "score")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "max_score")), 30);
    json_t *tests = json_object_get(root, "tests");
    ck_assert_uint_eq(json_array_size(tests), 31);   /* 30 items and the ungraded lines */
    json_t *t0 = json_array_get(tests, 0);
    ck_assert_str_eq(json_string_value(json_object_get(t0, "status")), "failed");
    ck_assert_ptr_nonnull(json_object_get(t0, "name"));
    ck_assert_ptr_nonnull(json_object_get(t0, "output"));
    json_decref(root);
    fms_strbuf_free(&b);
    fms_grade_free(g);

    fms_report_format f;
    ck_assert_int_eq(fms_report_format_parse("gradescope", &f), FMS_OK);
    ck_assert_int_eq(f, FMS_REPORT_GRADESCOPE);
    ck_assert_int_eq(fms_report_format_parse("xml", &f), FMS_EINVAL);
}
END_TEST

START_TEST(far_below_a_double)
{
    /* A variant where shares are e^-39000: the key writes mantissa·10^e and
     * the grader compares logarithms. */
    size_t len;
    char *text = fms_read_source("tests/data/sets/near-one-tiny-shares.ini", &len);
    ck_assert_ptr_nonnull(text);
    fms_exset *v = NULL;
    fms_key *k = NULL;
    ck_assert_int_eq(fms_exset_load_string("variant3.ini", text, len, &v, NULL), FMS_OK);
    free(text);
    ck_assert_int_eq(fms_key_build(v, &k, NULL), FMS_OK);
    const fms_key_item *q = fms_key_find(k, "1.3c.Q");
    ck_assert_ptr_nonnull(q);
    ck_assert(q->value == 0.0 && q->log_value < -30000);
    char kv[FMS_KEY_VALUE_MAX];
    fms_key_item_value(q, kv);
    fms_grade_item g = { 0 };
    ck_assert_int_eq(fms_grade_answer(q, kv, &g, NULL), FMS_OK);
    ck_assert_int_eq(g.reason, FMS_REASON_OK);
    char e[64];
    snprintf(e, sizeof e, "exp(%.17g)", q->log_value);
    ck_assert_int_eq(fms_grade_answer(q, e, &g, NULL), FMS_OK);
    ck_assert_int_eq(g.reason, FMS_REASON_OK);
    snprintf(e, sizeof e, "exp(%.17g)", q->log_value * 1.01);
    ck_assert_int_eq(fms_grade_answer(q, e, &g, NULL), FMS_OK);
    ck_assert_int_eq(g.reason, FMS_REASON_WRONG_VALUE);
    ck_assert_int_eq(fms_grade_answer(q, "0", &g, NULL), FMS_OK);
    ck_assert_int_eq(g.reason, FMS_REASON_ZERO_FOR_TINY);
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
    ck_assert_str_eq(fms_grade_reason_name(FMS_REASON_OK), "OK");
    ck_assert_str_eq(fms_grade_reason_name(FMS_REASON_DOMAIN_MISMATCH), "DOMAIN_MISMATCH");
    ck_assert_str_eq(fms_grade_reason_name(FMS_REASON_MISSING), "MISSING");
    char too_long[64];
    snprintf(too_long, sizeof too_long, "a line longer than %d bytes", FMS_SHEET_MAX_LINE);
    ck_assert_str_eq(fms_grade_reason_meaning(FMS_REASON_TOO_LONG), too_long);
    ck_assert_str_eq(fms_grade_reason_name(FMS_REASON_COUNT), "?");
    ck_assert_str_eq(fms_grade_verdict_name(FMS_VERDICT_MISSING), "missing");
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
    tcase_add_test(tc, the_key_grades_all_correct);
    tcase_add_test(tc, whole_sheet_verdicts);
    tcase_add_test(tc, ratio_first_then_single_share);
    tcase_add_test(tc, reports);
    tcase_add_test(tc, far_below_a_double);
    tcase_add_test(tc, reason_codes_table);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

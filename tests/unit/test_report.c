/* test_report.c — the grade of a sheet as text, JSON and Gradescope
 * results (report.h), as a student and an autograder read them. */
#include <jansson.h>
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

static fms_grade *grade_in(const fms_exset *s, const fms_key *k, const char *text, size_t len)
{
    fms_sheet *sh = NULL;
    ck_assert_int_eq(fms_sheet_parse(text, len, &sh, NULL), FMS_OK);
    fms_grade *g = NULL;
    ck_assert_int_eq(fms_grade_sheet(k, s->data, sh, &g, NULL), FMS_OK);
    fms_grade_weigh(g, s);
    fms_sheet_free(sh);
    return g;
}

static char *render(const fms_exset *s, const fms_grade *g, fms_report_format f)
{
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_report_render(s, g, f, &b, NULL), FMS_OK);
    char *out = malloc(b.len + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, fms_strbuf_str(&b), b.len + 1);
    fms_strbuf_free(&b);
    return out;
}

static json_t *render_json(const fms_exset *s, const fms_grade *g, fms_report_format f)
{
    char *text = render(s, g, f);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    ck_assert_msg(root != NULL, "%s", je.text);
    free(text);
    return root;
}

static json_t *item_named(json_t *items, const char *key_name, const char *id)
{
    for (size_t i = 0; i < json_array_size(items); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(items, i), key_name)), id) == 0)
            return json_array_get(items, i);
    ck_abort_msg("no item %s", id);
    return NULL;
}

START_TEST(three_formats)
{
    const char text[] = "1.1d = 0.5\n1.3c.B = 0\n2.1 = (x - eps)/t\n1.3d = 2.86e-19\n7 = 1\n";
    fms_grade *g = grade_in(set, key, text, sizeof text - 1);
    char *t = render(set, g, FMS_REPORT_TEXT);
    ck_assert_ptr_nonnull(strstr(t, "score: 2/30 points\n"));
    ck_assert_ptr_null(strstr(t, "passed"));
    ck_assert_ptr_nonnull(strstr(t, "WRONG_SIGN"));
    /* A correct answer with a note shows it: the sign is wrong. */
    ck_assert_ptr_nonnull(strstr(t, "2.86e-19  (Accepted as"));
    free(t);

    json_t *root = render_json(set, g, FMS_REPORT_JSON);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 30);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "correct")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "points")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "max_points")), 30);
    json_t *items = json_object_get(root, "items");
    ck_assert_uint_eq(json_array_size(items), 30);
    json_t *d = item_named(items, "id", "1.1d");
    ck_assert_str_eq(json_string_value(json_object_get(d, "verdict")), "incorrect");
    ck_assert_str_eq(json_string_value(json_object_get(d, "reason")), "WRONG_SIGN");
    ck_assert_str_eq(json_string_value(json_object_get(d, "expected")), "-0.5");
    ck_assert_str_eq(json_string_value(json_object_get(d, "got")), "0.5");
    ck_assert_int_eq(json_integer_value(json_object_get(d, "points")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(d, "max_points")), 1);
    json_t *v = item_named(items, "id", "1.3d");
    ck_assert_str_eq(json_string_value(json_object_get(v, "reason")), "NEAR_ZERO_SIGN");
    ck_assert(json_is_null(json_object_get(json_array_get(items, 0), "got")));   /* missing */
    ck_assert_uint_eq(json_array_size(json_object_get(root, "unknown")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(root, "notes")), 0);
    json_decref(root);

    root = render_json(set, g, FMS_REPORT_GRADESCOPE);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "score")), 2);
    json_t *tests = json_object_get(root, "tests");
    size_t visible = 0;   /* 30 items and the ungraded lines; the answers wait for publication */
    for (size_t i = 0; i < json_array_size(tests); i++)
        visible += strcmp(json_string_value(json_object_get(json_array_get(tests, i), "visibility")), "visible") == 0;
    ck_assert_uint_eq(visible, 31);
    json_t *t0 = json_array_get(tests, 0);
    ck_assert_str_eq(json_string_value(json_object_get(t0, "status")), "failed");
    ck_assert_ptr_nonnull(json_object_get(t0, "name"));
    ck_assert_ptr_nonnull(json_object_get(t0, "output"));
    json_decref(root);
    fms_grade_free(g);

    fms_report_format f;
    ck_assert_int_eq(fms_report_format_parse("gradescope", &f), FMS_OK);
    ck_assert_int_eq(f, FMS_REPORT_GRADESCOPE);
    ck_assert_int_eq(fms_report_format_parse("xml", &f), FMS_EINVAL);
}
END_TEST

START_TEST(points_in_every_format)
{
    /* tests/data/sets/points.ini: 1.3's part c worth 3 points, 1.5 for each label. */
    size_t len;
    char *v = fms_read_source("tests/data/sets/points.ini", &len);
    fms_exset *ps = NULL;
    fms_key *pk = NULL;
    ck_assert_int_eq(fms_exset_load_string("points.ini", v, len, &ps, NULL), FMS_OK);
    free(v);
    ck_assert_int_eq(fms_key_build(ps, &pk, NULL), FMS_OK);
    const char answers[] = "1.3c.A = 1\n1.3c.B = 0\n1.1a.A = 0.5\n";
    fms_grade *g = grade_in(ps, pk, answers, sizeof answers - 1);

    char *t = render(ps, g, FMS_REPORT_TEXT);
    ck_assert_msg(strstr(t, "\n1.3  (1.5/9 points)\n") != NULL, "%s", t);
    ck_assert_ptr_nonnull(strstr(t, "\n1.1  (1/8 points)\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n2.2  (0/3 points)\n"));
    ck_assert_ptr_nonnull(strstr(t, "score: 2.5/35 points (2 of 30 answers correct)\n"));
    free(t);

    json_t *root = render_json(ps, g, FMS_REPORT_JSON);
    ck_assert_double_eq(json_number_value(json_object_get(root, "points")), 2.5);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "max_points")), 35);
    json_t *c = item_named(json_object_get(root, "items"), "id", "1.3c.A");
    ck_assert_double_eq(json_number_value(json_object_get(c, "points")), 1.5);
    ck_assert_double_eq(json_number_value(json_object_get(c, "max_points")), 1.5);
    json_decref(root);

    root = render_json(ps, g, FMS_REPORT_GRADESCOPE);
    ck_assert_double_eq(json_number_value(json_object_get(root, "score")), 2.5);
    json_t *tb = item_named(json_object_get(root, "tests"), "name", "1.3c.B");
    ck_assert_double_eq(json_number_value(json_object_get(tb, "score")), 0);
    ck_assert_double_eq(json_number_value(json_object_get(tb, "max_score")), 1.5);
    json_decref(root);
    fms_grade_free(g);
    fms_key_free(pk);
    fms_exset_free(ps);
}
END_TEST

START_TEST(notes_on_the_file)
{
    const char latin1[] = "1.1a.A = 0.5 # \xe9t\xe9\n";
    fms_grade *g = grade_in(set, key, latin1, sizeof latin1 - 1);
    char *t = render(set, g, FMS_REPORT_TEXT);
    ck_assert_ptr_nonnull(strstr(t, "\nNote: Line 1 holds bytes that are not UTF-8"));
    free(t);
    json_t *root = render_json(set, g, FMS_REPORT_JSON);
    json_t *notes = json_object_get(root, "notes");
    ck_assert_uint_eq(json_array_size(notes), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(notes, 0), "reason")), "ENCODING");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(notes, 0), "line")), 1);
    json_decref(root);
    root = render_json(set, g, FMS_REPORT_GRADESCOPE);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(root, "output")), "save it as UTF-8"));
    json_decref(root);
    fms_grade_free(g);
}
END_TEST

START_TEST(reports_stay_utf8)
{
    /* Bytes that are not UTF-8 in ids and answers, long lines and odd text:
     * the JSON reports are always written (jansson refuses invalid UTF-8). */
    const char text[] = "1.1a.\xff = 1\n1.1a.B = \xc3\n\xe9\xe9\xe9 no equals\n1.3c = \xe2\x88 : 1\n";
    fms_grade *g = grade_in(set, key, text, sizeof text - 1);
    for (int f = 0; f < 3; f++)
        free(render(set, g, (fms_report_format)f));
    json_decref(render_json(set, g, FMS_REPORT_JSON));
    fms_grade_free(g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, three_formats);
    tcase_add_test(tc, points_in_every_format);
    tcase_add_test(tc, notes_on_the_file);
    tcase_add_test(tc, reports_stay_utf8);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_render.c — worked answers (render.h): the formats agree, text stays
 * within 78 columns, tiny numbers are never a bare 0, rounded values carry
 * "≈", Markdown math has no space inside its '$', JSON parts carry kind,
 * question and claims, LaTeX is a whole document. */
#include <jansson.h>
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

static char *render(const char *ref, fms_format fmt)
{
    long ex, part;
    ck_assert_int_eq(fms_exset_resolve(set, ref, &ex, &part, NULL), FMS_OK);
    fms_strbuf out = { 0 };
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_render_exercise(set, key, (size_t)ex, (int)part, fmt, &out, &err), FMS_OK);
    return out.data;
}

START_TEST(text_1_3_shows_the_work)
{
    char *s = render("1.3", FMS_FORMAT_TEXT);
    ck_assert_ptr_nonnull(strstr(s, "\xCE\xB5 = (0.5 \xE2\x88\x92 0.9\xC2\xB7(\xE2\x88\x92" "0.5))/(1 \xE2\x88\x92 0.9) = 9.5"));
    ck_assert_ptr_nonnull(strstr(s, "e^45 \xE2\x89\x88 3.49343\xC2\xB7" "10^19 : 1"));
    ck_assert_ptr_nonnull(strstr(s, "P(B | x_t, t) \xE2\x89\x88 2.86252\xC2\xB7" "10^-20"));
    ck_assert_ptr_nonnull(strstr(s, "P(A | x_t, t) \xE2\x89\x88 1 \xE2\x88\x92 2.86252\xC2\xB7" "10^-20"));
    ck_assert_ptr_nonnull(strstr(s, "it points toward point A"));
    /* Never a bare 0 for the tiny share, never "=" for a rounded one. */
    ck_assert_ptr_null(strstr(s, "P(B | x_t, t) \xE2\x89\x88 0"));
    ck_assert_ptr_null(strstr(s, "P(B | x_t, t) = "));
    free(s);
}
END_TEST

START_TEST(text_fits_78_columns)
{
    fms_strbuf out = { 0 };
    ck_assert_int_eq(fms_render_all(set, key, FMS_FORMAT_TEXT, &out, NULL), FMS_OK);
    const char *p = out.data;
    int lineno = 1;
    while (*p) {
        size_t n = strcspn(p, "\n"), w = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)p[i];
            if ((c & 0xC0) != 0x80 && !(c == 0xCC)) /* combining marks U+0300.. are 0xCC 0x80.. */
                w++;
        }
        ck_assert_msg(w <= 78, "line %d is %zu columns: %.*s", lineno, w, (int)n, p);
        p += n + (p[n] == '\n');
        lineno++;
    }
    fms_strbuf_free(&out);
}
END_TEST

START_TEST(markdown_is_tex)
{
    char *s = render("1.3c", FMS_FORMAT_MARKDOWN);
    ck_assert_ptr_nonnull(strstr(s, "**(c)**"));
    ck_assert_ptr_nonnull(strstr(s, "e^{45} \\approx 3.49343\\cdot 10^{19}"));
    ck_assert_ptr_nonnull(strstr(s, "$P(\\mathrm{B} \\mid x_t, t) \\approx 2.86252\\cdot 10^{-20}$"));
    ck_assert_ptr_null(strstr(s, "\xE2\x88\x92")); /* no Unicode minus inside TeX */
    free(s);
    /* Every math span of the whole sheet: no blank after the opening '$' or before the closing one. */
    fms_strbuf out = { 0 };
    ck_assert_int_eq(fms_render_all(set, key, FMS_FORMAT_MARKDOWN, &out, NULL), FMS_OK);
    int open = 0;
    for (const char *p = out.data; *p; p++) {
        if (*p != '$' || (p > out.data && p[-1] == '\\'))
            continue;
        if (!open)
            ck_assert_msg(p[1] != ' ', "space after an opening $: %.40s", p);
        else
            ck_assert_msg(p[-1] != ' ', "space before a closing $: %.40s", p - 30);
        open = !open;
    }
    ck_assert_int_eq(open, 0);
    ck_assert_ptr_null(strstr(out.data, "^{2}^"));
    fms_strbuf_free(&out);
    s = render("1.4", FMS_FORMAT_MARKDOWN);
    ck_assert_ptr_nonnull(strstr(s, "\n    - posterior")); /* the nested list is nested */
    free(s);
}
END_TEST

START_TEST(json_is_structured)
{
    char *s = render("1.3", FMS_FORMAT_JSON);
    json_error_t e;
    json_t *root = json_loads(s, 0, &e);
    ck_assert_msg(root != NULL, "JSON does not parse: %s", e.text);
    ck_assert_str_eq(json_string_value(json_object_get(root, "id")), "1.3");
    json_t *parts = json_object_get(root, "parts");
    ck_assert_uint_eq(json_array_size(parts), 4);
    json_t *c = json_array_get(parts, 2);
    ck_assert_str_eq(json_string_value(json_object_get(c, "kind")), "share");
    json_t *b = json_array_get(json_object_get(c, "answers"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(b, "id")), "1.3c.B");
    ck_assert_close(json_number_value(json_object_get(b, "value")), 2.8625185805493936e-20, TOL_CLOSE, 0);
    ck_assert_close(json_number_value(json_object_get(b, "log_value")), -45.0, TOL_TIGHT, 0);
    json_decref(root);
    free(s);
    fms_strbuf out = { 0 };
    ck_assert_int_eq(fms_render_all(set, key, FMS_FORMAT_JSON, &out, NULL), FMS_OK);
    root = json_loads(out.data, 0, &e);
    ck_assert_msg(root != NULL, "--all JSON does not parse: %s (line %d)", e.text, e.line);
    json_t *exs = json_object_get(root, "exercises");
    ck_assert_uint_eq(json_array_size(exs), set->n);
    for (size_t i = 0; i < json_array_size(exs); i++) {
        json_t *ps = json_object_get(json_array_get(exs, i), "parts");
        ck_assert_uint_ge(json_array_size(ps), 1);
        for (size_t j = 0; j < json_array_size(ps); j++) {
            json_t *p = json_array_get(ps, j);
            ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "kind")));
            ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "question")));
            ck_assert(json_is_array(json_object_get(p, "claims")));
            json_t *a;
            size_t k;
            json_array_foreach(json_object_get(p, "answers"), k, a)
                ck_assert_ptr_nonnull(json_object_get(a, "value"));
        }
    }
    json_decref(root);
    fms_strbuf_free(&out);
}
END_TEST

START_TEST(latex_is_a_document)
{
    char *s = render("1.3", FMS_FORMAT_LATEX);
    ck_assert_ptr_eq(strstr(s, "\\documentclass{article}"), s);
    ck_assert_ptr_nonnull(strstr(s, "\\end{document}\n"));
    ck_assert_ptr_null(strstr(s, "\xCE\xB5")); /* no raw Greek letter in the TeX */
    int depth = 0;
    for (const char *p = s; *p; p++)
        depth += *p == '{' && (p == s || p[-1] != '\\') ? 1 : *p == '}' && p[-1] != '\\' ? -1 : 0;
    ck_assert_int_eq(depth, 0);
    free(s);
}
END_TEST

START_TEST(query_json_object)
{
    fms_strbuf out = { 0 };
    ck_assert_int_eq(fms_render_query(set->data, 0.9L, 0.1L, 0.5L, 1, &out, NULL), FMS_OK);
    json_t *root = json_loads(out.data, 0, NULL);
    ck_assert_ptr_nonnull(root);
    static const char *const keys[] = { "t", "x_t", "components", "velocity", "x1_mean", "eps_mean" };
    ck_assert_uint_eq(json_object_size(root), 6);
    for (int i = 0; i < 6; i++)
        ck_assert_ptr_nonnull(json_object_get(root, keys[i]));
    json_t *b = json_array_get(json_object_get(root, "components"), 1);
    ck_assert_uint_eq(json_object_size(b), 7);
    ck_assert_close(json_number_value(json_object_get(b, "eps")), 9.5, TOL_TIGHT, 0);
    json_decref(root);
    fms_strbuf_free(&out);
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_render_query(set->data, 1.0L, 0.0L, 0.5L, 1, &out, &err), FMS_EDOM);
    fms_strbuf_free(&out);
}
END_TEST

START_TEST(formats_and_errors)
{
    fms_format f;
    ck_assert_int_eq(fms_render_format_parse("md", &f), FMS_OK);
    ck_assert_int_eq(f, FMS_FORMAT_MARKDOWN);
    ck_assert_int_eq(fms_render_format_parse("html", &f), FMS_EINVAL);
    fms_strbuf out = { 0 };
    ck_assert_int_eq(fms_render_exercise(set, key, 99, -1, FMS_FORMAT_TEXT, &out, NULL), FMS_ENOTFOUND);
    ck_assert_int_eq(fms_render_exercise(set, key, 0, 7, FMS_FORMAT_TEXT, &out, NULL), FMS_ENOTFOUND);
    fms_strbuf_free(&out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, text_1_3_shows_the_work);
    tcase_add_test(tc, text_fits_78_columns);
    tcase_add_test(tc, markdown_is_tex);
    tcase_add_test(tc, latex_is_a_document);
    tcase_add_test(tc, json_is_structured);
    tcase_add_test(tc, query_json_object);
    tcase_add_test(tc, formats_and_errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_exset.c — exercise sets from INI files (exset.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

START_TEST(builtin_sheet)
{
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_load_builtin(&set, &err), FMS_OK);
    ck_assert_str_eq(set->title, "Flow Matching II (Discussion 11)");
    ck_assert_uint_eq(set->data->n, 2);
    ck_assert_uint_eq(set->n, 6);
    const fms_exercise *x = &set->ex[fms_exset_find(set, "1.3")];
    ck_assert_int_eq(x->kind, FMS_EX_POINT);
    ck_assert_double_eq(x->t, 0.9);
    ck_assert_uint_eq(x->nparts, 4);
    ck_assert_int_eq(x->parts[2].kind, FMS_PART_SHARE);
    /* A question continued on an indented line is joined with a space. */
    ck_assert_str_eq(x->parts[2].question,
                     "How often does the training loop produce supervision toward A vs. toward B at this (x_t, t)?");
    const fms_exercise *c = &set->ex[fms_exset_find(set, "1.4")];
    ck_assert_int_eq(c->kind, FMS_EX_COMPARE);
    ck_assert_str_eq(set->ex[c->compare[1]].id, "1.3");
    ck_assert_int_eq(set->ex[fms_exset_find(set, "2.2")].kind, FMS_EX_EULER_EPS);
    fms_exset_free(set);
}
END_TEST

START_TEST(resolve_ids)
{
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    long ex, part;
    fms_error err;
    ck_assert_int_eq(fms_exset_resolve(set, "1.3c", &ex, &part, NULL), FMS_OK);
    ck_assert_str_eq(set->ex[ex].id, "1.3");
    ck_assert_int_eq(part, 2);
    ck_assert_int_eq(fms_exset_resolve(set, "2.1", &ex, &part, NULL), FMS_OK);
    ck_assert_int_eq(part, -1);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_resolve(set, "1.2d", &ex, &part, &err), FMS_ENOTFOUND);
    ck_assert_str_eq(err.msg, "exercise 1.2 has parts a to c; there is no part d");
    ck_assert_int_eq(fms_exset_resolve(set, "9.9", &ex, &part, NULL), FMS_ENOTFOUND);
    ck_assert_int_eq(fms_exset_resolve(set, "", &ex, &part, NULL), FMS_ENOTFOUND);
    ck_assert_int_eq(fms_exset_resolve(set, "2.1a", &ex, &part, NULL), FMS_ENOTFOUND);
    fms_exset_free(set);
}
END_TEST

/* Each bad file must fail at the named line with a message containing the text. */
static const struct {
    const char *file;
    long line;
    const char *text;
} bad_files[] = {
    { "junk_line.ini", 3, "expected 'name = value'" },
    { "t_one.ini", 5, "t = 1 is outside [0, 1)" },
    { "t_negative.ini", 5, "t = -0.2 is outside [0, 1)" },
    { "xt_word.ini", 6, "x_t = 'half' is not a number" },
    { "missing_xt.ini", 4, "has no x_t" },
    { "unknown_part.ini", 7, "unknown part kind 'velocity'" },
    { "dup_label.ini", 3, "data label 'A' is used twice (first at line 2)" },
    { "zero_prob.ini", 3, "must be positive, not 0" },
    { "no_data.ini", 0, "there is no [data] section" },
    { "compare_unknown.ini", 10, "compare names '1.9'" },
    { "dup_key.ini", 6, "'t' is given twice in [1.1]" },
    { "t_nan.ini", 5, "t = 'nan' is not a number" },
    { "xt_huge.ini", 6, "too large" },
    { "unknown_key.ini", 8, "unknown key 'typo'" },
    { "open_section.ini", 4, "expected 'name = value'" },
    { "nul_byte.ini", 2, "NUL byte" },
    { "empty.ini", 0, "there is no [data] section" },
    { "long_line.ini", 7, "line is too long" },
    /* Strict UTF-8 (base/utf8.h): a surrogate and an overlong form are refused. */
    { "text_surrogate.ini", 10, "'a' in [1.1] is not valid UTF-8 text" },
    { "title_overlong.ini", 3, "the title is not valid UTF-8 text" },
};

START_TEST(bad_files_fail_at_their_line)
{
    char path[4096];
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        snprintf(path, sizeof path, "%s/tests/data/bad/%s", FMS_SRCDIR, bad_files[i].file);
        fms_exset *set = (fms_exset *)1;
        fms_error err;
        fms_error_clear(&err);
        fms_status st = fms_exset_load_file(path, &set, &err);
        ck_assert_msg(st == FMS_EINVAL, "%s: status %d", bad_files[i].file, st);
        ck_assert_ptr_null(set);
        ck_assert_msg(err.line == bad_files[i].line, "%s: line %ld, expected %ld (%s)", bad_files[i].file, err.line,
                      bad_files[i].line, err.msg);
        ck_assert_msg(strstr(err.msg, bad_files[i].text) != NULL, "%s: message '%s'", bad_files[i].file, err.msg);
        ck_assert_str_eq(err.file, path);
    }
}
END_TEST

START_TEST(missing_file)
{
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_load_file("/nonexistent/sheet.ini", &set, &err), FMS_EIO);
    ck_assert(strstr(err.msg, "cannot open") != NULL);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_load_file(FMS_SRCDIR "/tests", &set, &err), FMS_EIO);
}
END_TEST

START_TEST(inline_text_cases)
{
    static const struct {
        const char *text;
        fms_status st;
        long line;
    } cases[] = {
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\n", FMS_OK, 0 },
        { "[data]\r\nA = 1, 2\r\n[1]\r\nt = 0.2\r\nx_t = 1\r\nparts = limit\r\n", FMS_OK, 0 },
        { "\xEF\xBB\xBF[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\n", FMS_OK, 0 },
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\n[1]\nt = 0.3\n", FMS_EINVAL, 7 },
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\ne = What?\n", FMS_EINVAL, 7 },
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\n  continued\n", FMS_EINVAL, 7 },
        { "[data]\nA = 1\n[1]\ncompare = 1, 1\n", FMS_EINVAL, 4 },
        { "[data]\nA = 1\n[1.5a]\nt = 0.2\n", FMS_EINVAL, 3 },
        { "[data]\nA = 1\n[2]\nkind = euler_eps\nt = 0.5\n", FMS_EINVAL, 5 },
        { "[data]\nA = 1\n[2]\nkind = magic\n", FMS_EINVAL, 4 },
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\ntext = \xC3\x28\n", FMS_EINVAL, 7 },
        { "[data]\nA = 1\n[1]\nt = 0.99999999999999999\nx_t = 1\nparts = eps\n", FMS_EINVAL, 4 },
        { "A = 1\n", FMS_EINVAL, 1 },
        { "[data]\nA = 1\n", FMS_EINVAL, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fms_exset *set = NULL;
        fms_error err;
        fms_error_clear(&err);
        fms_status st = fms_exset_load_string("inline", cases[i].text, strlen(cases[i].text), &set, &err);
        ck_assert_msg(st == cases[i].st, "case %zu: status %d (%s)", i, st, err.msg);
        if (st != FMS_OK)
            ck_assert_msg(err.line == cases[i].line, "case %zu: line %ld, expected %ld (%s)", i, err.line,
                          cases[i].line, err.msg);
        fms_exset_free(set);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exset");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, builtin_sheet);
    tcase_add_test(tc, resolve_ids);
    tcase_add_test(tc, bad_files_fail_at_their_line);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, inline_text_cases);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

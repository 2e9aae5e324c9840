/* test_sheet.c — reading answer sheets (sheet.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_sheet *parse(const char *text, size_t len)
{
    fms_sheet *sh = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_sheet_parse(text, len, &sh, &err) == FMS_OK, "%s", err.msg);
    return sh;
}

START_TEST(lines_comments_and_blanks)
{
    const char text[] = "# a comment\n\n  1.3a.B =  9.5   # trailing comment\n1.1d=-0.5\n\t\n2.1 = (x - eps)/t\n";
    fms_sheet *sh = parse(text, sizeof text - 1);
    ck_assert_uint_eq(sh->n, 3);
    ck_assert_str_eq(sh->entries[0].id, "1.3a.B");
    ck_assert_str_eq(sh->entries[0].answer, "9.5");
    ck_assert_int_eq(sh->entries[0].line, 3);
    ck_assert_str_eq(sh->entries[1].id, "1.1d");
    ck_assert_str_eq(sh->entries[1].answer, "-0.5");
    ck_assert_int_eq(sh->entries[1].line, 4);
    ck_assert_str_eq(sh->entries[2].answer, "(x - eps)/t");
    ck_assert_int_eq(sh->entries[2].line, 6);
    fms_sheet_free(sh);
}
END_TEST

START_TEST(crlf_cr_bom_and_no_final_newline)
{
    const char text[] = "\xEF\xBB\xBF" "1.1a.A = 0.5\r\n1.1a.B = 0.5\r1.1b.A = 0\r\n\r\n1.1b.B = -1";
    fms_sheet *sh = parse(text, sizeof text - 1);
    ck_assert_uint_eq(sh->n, 4);
    ck_assert_str_eq(sh->entries[0].id, "1.1a.A");
    ck_assert_str_eq(sh->entries[0].answer, "0.5");
    ck_assert_str_eq(sh->entries[1].answer, "0.5");
    ck_assert_int_eq(sh->entries[2].line, 3);
    ck_assert_str_eq(sh->entries[3].answer, "-1");
    ck_assert_int_eq(sh->entries[3].line, 5);
    fms_sheet_free(sh);
}
END_TEST

START_TEST(odd_lines_are_kept_for_the_report)
{
    const char text[] = "1.1a.A 0.5\n= 3\n1.1a.B =\n1.1a.B = 1 = 2\n";
    fms_sheet *sh = parse(text, sizeof text - 1);
    ck_assert_uint_eq(sh->n, 4);
    ck_assert_ptr_null(sh->entries[0].answer);      /* no '=' */
    ck_assert_str_eq(sh->entries[0].id, "1.1a.A 0.5");
    ck_assert_str_eq(sh->entries[1].id, "");
    ck_assert_str_eq(sh->entries[2].answer, "");    /* blank answer */
    ck_assert_str_eq(sh->entries[3].answer, "1 = 2"); /* split at the first '=' */
    fms_sheet_free(sh);
}
END_TEST

START_TEST(long_lines_are_not_read)
{
    size_t n = 100 * 1024;
    char *text = malloc(n + 32);
    ck_assert_ptr_nonnull(text);
    memcpy(text, "1.1a.A = ", 9);
    memset(text + 9, '1', n);
    memcpy(text + 9 + n, "\n1.1a.B = 0.5\n", 14);
    fms_sheet *sh = parse(text, 9 + n + 14);
    ck_assert_uint_eq(sh->n, 2);
    ck_assert_int_eq(sh->entries[0].too_long, 1);
    ck_assert_str_eq(sh->entries[0].id, "1.1a.A");
    ck_assert_str_eq(sh->entries[0].answer, "");
    ck_assert_int_eq(sh->entries[1].too_long, 0);
    ck_assert_str_eq(sh->entries[1].answer, "0.5");
    fms_sheet_free(sh);
    free(text);
}
END_TEST

START_TEST(not_text_is_refused)
{
    fms_sheet *sh = NULL;
    fms_error err;
    fms_error_clear(&err);
    const char nul[] = "1.1a.A = 0.5\n\0\x01\x02";
    ck_assert_int_eq(fms_sheet_parse(nul, sizeof nul - 1, &sh, &err), FMS_EINVAL);
    ck_assert_ptr_null(sh);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL"));
    fms_error_clear(&err);
    const char latin1[] = "1.1a.A = \xe9\n";
    ck_assert_int_eq(fms_sheet_parse(latin1, sizeof latin1 - 1, &sh, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "UTF-8"));
    const char cut[] = "1.1a.A = \xe2\x88";   /* a character cut short at the end */
    ck_assert_int_eq(fms_sheet_parse(cut, sizeof cut - 1, &sh, NULL), FMS_EINVAL);
    const char overlong[] = "\xc0\xaf";
    ck_assert_int_eq(fms_sheet_parse(overlong, 2, &sh, NULL), FMS_EINVAL);
    const char surrogate[] = "\xed\xa0\x80";
    ck_assert_int_eq(fms_sheet_parse(surrogate, 3, &sh, NULL), FMS_EINVAL);
    char *big = calloc(FMS_SHEET_MAX_BYTES + 2, 1);
    ck_assert_ptr_nonnull(big);
    memset(big, '\n', FMS_SHEET_MAX_BYTES + 1);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_sheet_parse(big, FMS_SHEET_MAX_BYTES + 1, &sh, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "larger"));
    free(big);
}
END_TEST

START_TEST(empty_sheets)
{
    fms_sheet *sh = parse("", 0);
    ck_assert_uint_eq(sh->n, 0);
    fms_sheet_free(sh);
    const char bom[] = "\xEF\xBB\xBF\n# nothing\n";
    sh = parse(bom, strlen(bom));
    ck_assert_uint_eq(sh->n, 0);
    fms_sheet_free(sh);
}
END_TEST

START_TEST(read_from_a_stream)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    fputs("1.3c.B = exp(-45)\n", f);
    rewind(f);
    fms_sheet *sh = NULL;
    ck_assert_int_eq(fms_sheet_read(f, &sh, NULL), FMS_OK);
    fclose(f);
    ck_assert_uint_eq(sh->n, 1);
    ck_assert_str_eq(sh->entries[0].answer, "exp(-45)");
    fms_sheet_free(sh);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sheet");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, lines_comments_and_blanks);
    tcase_add_test(tc, crlf_cr_bom_and_no_final_newline);
    tcase_add_test(tc, odd_lines_are_kept_for_the_report);
    tcase_add_test(tc, long_lines_are_not_read);
    tcase_add_test(tc, not_text_is_refused);
    tcase_add_test(tc, empty_sheets);
    tcase_add_test(tc, read_from_a_stream);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_sheet.c — reading answer sheets (sheet.h). */
#include <jansson.h>
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
    char *big = calloc(FMS_SHEET_MAX_BYTES + 2, 1);
    ck_assert_ptr_nonnull(big);
    memset(big, '\n', FMS_SHEET_MAX_BYTES + 1);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_sheet_parse(big, FMS_SHEET_MAX_BYTES + 1, &sh, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "larger"));
    free(big);
}
END_TEST

/* Whether s is valid UTF-8 (jansson checks it). */
static int utf8_ok(const char *s)
{
    json_t *j = json_string(s);
    json_decref(j);
    return j != NULL;
}

START_TEST(latin1_costs_one_answer_not_the_sheet)
{
    /* A Latin-1 "é" in a comment costs nothing. */
    const char comment[] = "# r\xe9ponses de No\xebl\n1.1a.A = 0.5\n";
    fms_sheet *sh = parse(comment, sizeof comment - 1);
    ck_assert_uint_eq(sh->n, 1);
    ck_assert_int_eq(sh->entries[0].bad_bytes, 0);
    ck_assert_str_eq(sh->entries[0].answer, "0.5");
    ck_assert_int_eq(sh->encoding, FMS_SHEET_NOT_UTF8);
    ck_assert_int_eq(sh->bad_line, 1);
    fms_sheet_free(sh);
    /* In an answer it marks that entry, kept as U+FFFD: valid UTF-8 for the reports. */
    const char answer[] = "1.1a.A = 0.5\n1.1a.B = \xb7 0.5\n1.1b.A = 0\n";
    sh = parse(answer, sizeof answer - 1);
    ck_assert_uint_eq(sh->n, 3);
    ck_assert_int_eq(sh->entries[1].bad_bytes, 1);
    ck_assert_str_eq(sh->entries[1].answer, "\xef\xbf\xbd 0.5");
    ck_assert_int_eq(sh->entries[2].bad_bytes, 0);
    ck_assert_int_eq(sh->bad_line, 2);
    fms_sheet_free(sh);
    /* Cut, overlong and surrogate sequences are bytes that are not UTF-8 too. */
    static const char *const bad[] = { "1.1a.A = \xe2\x88", "\xc0\xaf = 1", "x = \xed\xa0\x80", "\xfd\xfe = \xff" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sh = parse(bad[i], strlen(bad[i]));
        ck_assert_uint_eq(sh->n, 1);
        ck_assert_int_eq(sh->entries[0].bad_bytes, 1);
        ck_assert(utf8_ok(sh->entries[0].id));
        ck_assert(sh->entries[0].answer == NULL || utf8_ok(sh->entries[0].answer));
        fms_sheet_free(sh);
    }
}
END_TEST

/* text (ASCII, NUL-terminated) as UTF-16 of the given byte order, with a BOM or not. */
static size_t to_utf16(const char *text, int be, int bom, char *out)
{
    size_t m = 0;
    if (bom) {
        out[m++] = be ? '\xfe' : '\xff';
        out[m++] = be ? '\xff' : '\xfe';
    }
    for (const char *s = text; *s; s++) {
        out[m++] = be ? 0 : *s;
        out[m++] = be ? *s : 0;
    }
    return m;
}

START_TEST(utf16_is_decoded)
{
    const char *text = "1.1a.A = 0.5\r\n1.3c.B = exp(-45)\r\n";
    for (int be = 0; be < 2; be++)
        for (int bom = 0; bom < 2; bom++) {
            char buf[128];
            size_t n = to_utf16(text, be, bom, buf);
            fms_sheet *sh = parse(buf, n);
            ck_assert_uint_eq(sh->n, 2);
            ck_assert_str_eq(sh->entries[1].id, "1.3c.B");
            ck_assert_str_eq(sh->entries[1].answer, "exp(-45)");
            ck_assert_int_eq(sh->entries[1].line, 2);
            ck_assert_int_eq(sh->encoding, be ? FMS_SHEET_UTF16BE : FMS_SHEET_UTF16LE);
            fms_sheet_free(sh);
        }
    /* ε (U+03B5) and 𝜀 (U+1D700, a surrogate pair) in UTF-16LE; a lone surrogate is U+FFFD. */
    const char eps[] = "\xff\xfe" "a\0=\0\xb5\x03\x35\xd8\x00\xdf" "\x00\xd8";
    fms_sheet *sh = parse(eps, sizeof eps - 1);
    ck_assert_str_eq(sh->entries[0].answer, "\xce\xb5\xf0\x9d\x9c\x80\xef\xbf\xbd");
    fms_sheet_free(sh);
    /* NUL bytes at random places are still binary. */
    const char bin[] = "1.1a.A\0\0= 0.5\n";
    ck_assert_int_eq(fms_sheet_parse(bin, sizeof bin - 1, &sh, NULL), FMS_EINVAL);
}
END_TEST

START_TEST(approx_lines)
{
    /* The sheet writes "≈ 0"; "1.3d ≈ 0" answers 1.3d with "≈ 0". */
    const char text[] = "1.3d \xe2\x89\x88 0\n1.3c.B = \xe2\x89\x88 0\n";
    fms_sheet *sh = parse(text, sizeof text - 1);
    ck_assert_uint_eq(sh->n, 2);
    ck_assert_str_eq(sh->entries[0].id, "1.3d");
    ck_assert_str_eq(sh->entries[0].answer, "\xe2\x89\x88 0");
    ck_assert_str_eq(sh->entries[1].answer, "\xe2\x89\x88 0");
    fms_sheet_free(sh);
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
    tcase_add_test(tc, latin1_costs_one_answer_not_the_sheet);
    tcase_add_test(tc, utf16_is_decoded);
    tcase_add_test(tc, approx_lines);
    tcase_add_test(tc, empty_sheets);
    tcase_add_test(tc, read_from_a_stream);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

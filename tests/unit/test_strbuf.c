/* test_strbuf.c — the growable text buffer and the library's strdup (strbuf.h). */
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

START_TEST(empty_buffer)
{
    fms_strbuf b = { 0 };
    ck_assert_str_eq(fms_strbuf_str(&b), "");
    ck_assert_int_eq(fms_strbuf_status(&b), FMS_OK);
    fms_strbuf_reset(&b); /* before any append */
    ck_assert_str_eq(fms_strbuf_str(&b), "");
    fms_strbuf_free(&b);
    fms_strbuf_free(&b);
}
END_TEST

START_TEST(appends)
{
    fms_strbuf b = { 0 };
    fms_strbuf_puts(&b, "x_t = ");
    fms_strbuf_printf(&b, "%.3g, t = %d", 0.5, 0);
    fms_strbuf_putn(&b, "; ignored", 1);
    fms_strbuf_puts(&b, "");
    ck_assert_str_eq(fms_strbuf_str(&b), "x_t = 0.5, t = 0;");
    ck_assert_uint_eq(b.len, strlen("x_t = 0.5, t = 0;"));
    fms_strbuf_reset(&b);
    ck_assert_str_eq(fms_strbuf_str(&b), "");
    ck_assert_uint_eq(b.len, 0);
    fms_strbuf_puts(&b, "again");
    ck_assert_str_eq(fms_strbuf_str(&b), "again");
    ck_assert_int_eq(fms_strbuf_status(&b), FMS_OK);
    fms_strbuf_free(&b);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
}
END_TEST

/* Longer than printf's first buffer (256 bytes) and than the first capacity,
 * and many small appends that make the buffer grow several times. */
START_TEST(grows)
{
    char big[1001];
    memset(big, 'a', 1000);
    big[1000] = '\0';
    fms_strbuf b = { 0 };
    fms_strbuf_printf(&b, "<%s>", big);
    ck_assert_uint_eq(b.len, 1002);
    ck_assert_int_eq(fms_strbuf_str(&b)[0], '<');
    ck_assert_int_eq(fms_strbuf_str(&b)[1001], '>');
    ck_assert_uint_eq(strlen(fms_strbuf_str(&b)), 1002);
    for (int i = 0; i < 10000; i++)
        fms_strbuf_putn(&b, &"0123456789"[i % 10], 1);
    ck_assert_uint_eq(b.len, 11002);
    ck_assert_int_eq(fms_strbuf_str(&b)[11001], '9');
    ck_assert_uint_ge(b.cap, b.len + 1);
    fms_strbuf_free(&b);
}
END_TEST

/* A failed allocation is sticky: later appends do nothing, the status says so. */
START_TEST(failure_is_sticky)
{
    fms_strbuf b = { 0 };
    fms_strbuf_puts(&b, "kept");
    b.failed = 1;
    fms_strbuf_puts(&b, " lost");
    fms_strbuf_printf(&b, "%d", 42);
    ck_assert_str_eq(fms_strbuf_str(&b), "kept");
    ck_assert_int_eq(fms_strbuf_status(&b), FMS_ENOMEM);
    fms_strbuf_free(&b);
    ck_assert_int_eq(fms_strbuf_status(&b), FMS_OK);
}
END_TEST

START_TEST(dup)
{
    char *a = fms_strbuf_dup("t = 0.9");
    ck_assert_str_eq(a, "t = 0.9");
    char *e = fms_strbuf_dup("");
    ck_assert_str_eq(e, "");
    char *n = fms_strbuf_dupn("1.3c = 2.86e-20", 4);
    ck_assert_str_eq(n, "1.3c");
    char *z = fms_strbuf_dupn("abc", 0);
    ck_assert_str_eq(z, "");
    ck_assert_ptr_null(fms_strbuf_dupn("abc", (size_t)-1));
    free(a);
    free(e);
    free(n);
    free(z);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("strbuf");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, empty_buffer);
    tcase_add_test(tc, appends);
    tcase_add_test(tc, grows);
    tcase_add_test(tc, failure_is_sticky);
    tcase_add_test(tc, dup);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

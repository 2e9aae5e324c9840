/* test_status.c — status codes, error details and GSL's error handler (status.h). */
#include <stdarg.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_log.h>

#include "fmsolve.h"
#include "testutil.h"

START_TEST(every_status_has_a_name)
{
    static const fms_status all[] = { FMS_OK, FMS_EDOM, FMS_ERANGE, FMS_EINVAL,
                                      FMS_ENOMEM, FMS_EIO, FMS_ENOTFOUND, FMS_EGSL };
    const size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        ck_assert_ptr_nonnull(fms_status_str(all[i]));
        ck_assert_str_ne(fms_status_str(all[i]), "unknown error");
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(fms_status_str(all[i]), fms_status_str(all[j]));
    }
    ck_assert_str_eq(fms_status_str(FMS_OK), "success");
    ck_assert_str_eq(fms_status_str((fms_status)99), "unknown error");
    ck_assert_str_eq(fms_status_str((fms_status)-1), "unknown error");
}
END_TEST

START_TEST(clear_and_set)
{
    fms_error err;
    memset(&err, 'x', sizeof err);
    fms_error_clear(&err);
    ck_assert_int_eq(err.status, FMS_OK);
    ck_assert_int_eq(err.line, 0);
    ck_assert_str_eq(err.file, "");
    ck_assert_str_eq(err.msg, "");
    fms_error_clear(NULL);

    ck_assert_int_eq(fms_error_set(&err, FMS_EINVAL, 7, "'%s' is not %d", "x", 3), FMS_EINVAL);
    ck_assert_int_eq(err.status, FMS_EINVAL);
    ck_assert_int_eq(err.line, 7);
    ck_assert_str_eq(err.msg, "'x' is not 3");
    /* Only the first failure is kept: it names the root cause. */
    ck_assert_int_eq(fms_error_set(&err, FMS_ENOMEM, 9, "later"), FMS_ENOMEM);
    ck_assert_int_eq(err.status, FMS_EINVAL);
    ck_assert_int_eq(err.line, 7);
    ck_assert_str_eq(err.msg, "'x' is not 3");
    /* No error record: the status alone comes back. */
    ck_assert_int_eq(fms_error_set(NULL, FMS_EIO, 1, "ignored"), FMS_EIO);
}
END_TEST

START_TEST(long_messages_end_on_a_character)
{
    /* 600 × "é" (2 bytes) and 600 × "€" (3 bytes) overflow the message. */
    char two[1201], three[1801];
    for (int i = 0; i < 600; i++) {
        memcpy(two + 2 * i, "\xC3\xA9", 2);
        memcpy(three + 3 * i, "\xE2\x82\xAC", 3);
    }
    two[1200] = '\0';
    three[1800] = '\0';
    for (int prefix = 0; prefix < 3; prefix++) {
        const char *texts[] = { two, three };
        for (int t = 0; t < 2; t++) {
            fms_error err;
            fms_error_clear(&err);
            fms_error_set(&err, FMS_EINVAL, 0, "%.*s%s", prefix, "ab", texts[t]);
            size_t n = strlen(err.msg);
            ck_assert_uint_lt(n, FMS_ERROR_MSG_MAX);
            ck_assert_uint_ge(n, FMS_ERROR_MSG_MAX - 4);
            ck_assert_msg(fms_utf8_valid(err.msg, n), "prefix %d, text %d: not UTF-8", prefix, t);
        }
    }
}
END_TEST

START_TEST(file_names)
{
    fms_error err;
    fms_error_clear(&err);
    fms_error_set_file(&err, "sheets/a.ini");
    ck_assert_str_eq(err.file, "sheets/a.ini");
    fms_error_set_file(&err, NULL);
    ck_assert_str_eq(err.file, "");
    fms_error_set_file(NULL, "x");
    /* 400 bytes of "é": cut to 255 bytes, the half character at the end dropped. */
    char name[401];
    for (int i = 0; i < 200; i++)
        memcpy(name + 2 * i, "\xC3\xA9", 2);
    name[400] = '\0';
    fms_error_set_file(&err, name);
    ck_assert_uint_eq(sizeof err.file, 256);
    ck_assert_uint_eq(strlen(err.file), 254);
    ck_assert(fms_utf8_valid(err.file, strlen(err.file)));
}
END_TEST

/* vset is set with the arguments in a va_list. */
static fms_status set_via_v(fms_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fms_status st = fms_error_vset(err, FMS_ERANGE, 3, fmt, ap);
    va_end(ap);
    return st;
}

START_TEST(vset_takes_a_va_list)
{
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(set_via_v(&err, "%d + %s", 1, "two"), FMS_ERANGE);
    ck_assert_int_eq(err.line, 3);
    ck_assert_str_eq(err.msg, "1 + two");
}
END_TEST

/* The library switched GSL's handler off before main (status.c): a GSL
 * domain error returns its code instead of aborting this process. */
START_TEST(gsl_handler_is_off_before_main)
{
    gsl_sf_result r;
    ck_assert_int_eq(gsl_sf_log_e(-1.0, &r), GSL_EDOM);
    /* The handler in place is GSL's "off" handler, not the default (NULL). */
    gsl_error_handler_t *before = gsl_set_error_handler_off();
    ck_assert(before != NULL);
    ck_assert(gsl_set_error_handler(before) == before);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_status_has_a_name);
    tcase_add_test(tc, clear_and_set);
    tcase_add_test(tc, long_messages_end_on_a_character);
    tcase_add_test(tc, file_names);
    tcase_add_test(tc, vset_takes_a_va_list);
    tcase_add_test(tc, gsl_handler_is_off_before_main);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

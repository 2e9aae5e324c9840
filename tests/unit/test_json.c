/* test_json.c — the one JSON dump (json.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fmsolve.h"
#include "testutil.h"

START_TEST(text_uses_the_project_flags)
{
    json_t *o = json_object();
    json_object_set_new(o, "zeta", json_integer(1));   /* insertion order, not sorted */
    json_object_set_new(o, "alpha", json_real(0.1));   /* 17 significant digits */
    json_object_set_new(o, "name", json_string("\xCE\xB5 \xE2\x88\x92 x"));  /* UTF-8, not \u escapes */
    json_object_set_new(o, "list", json_pack("[i, n]", 2));
    char *s = fms_json_text(o);
    ck_assert_str_eq(s, "{\n"
                        "  \"zeta\": 1,\n"
                        "  \"alpha\": 0.10000000000000001,\n"
                        "  \"name\": \"\xCE\xB5 \xE2\x88\x92 x\",\n"
                        "  \"list\": [\n"
                        "    2,\n"
                        "    null\n"
                        "  ]\n"
                        "}");
    free(s);
    json_decref(o);
}
END_TEST

START_TEST(text_of_any_value)
{
    json_t *v = json_string("Flow \"matching\"");
    char *s = fms_json_text(v);
    ck_assert_str_eq(s, "\"Flow \\\"matching\\\"\"");
    free(s);
    json_decref(v);
    ck_assert_ptr_null(fms_json_text(NULL));
}
END_TEST

START_TEST(append_adds_a_newline_and_releases)
{
    fms_strbuf out = { 0 };
    fms_strbuf_puts(&out, "before\n");
    fms_error err;
    fms_error_clear(&err);
    json_t *a = json_array();
    json_array_append_new(a, json_real(-2.5));
    ck_assert_int_eq(fms_json_append(&out, a, &err), FMS_OK); /* a is released (ASan checks) */
    ck_assert_str_eq(fms_strbuf_str(&out), "before\n[\n  -2.5\n]\n");
    /* NULL stands for a failed allocation while building the value. */
    ck_assert_int_eq(fms_json_append(&out, NULL, &err), FMS_ENOMEM);
    ck_assert_int_eq(err.status, FMS_ENOMEM);
    ck_assert_ptr_nonnull(strstr(err.msg, "JSON"));
    ck_assert_int_eq(fms_json_append(&out, NULL, NULL), FMS_ENOMEM);
    ck_assert_str_eq(fms_strbuf_str(&out), "before\n[\n  -2.5\n]\n");
    fms_strbuf_free(&out);
}
END_TEST

START_TEST(num_is_null_when_not_finite)
{
    static const double bad[] = { NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < 3; i++) {
        json_t *v = fms_json_num(bad[i]);
        ck_assert(json_is_null(v));
        json_decref(v);
    }
    json_t *v = fms_json_num(-0.25);
    ck_assert(json_is_real(v));
    ck_assert_double_eq(json_real_value(v), -0.25);
    json_decref(v);
}
END_TEST

/* 17 digits: every double reads back to itself. */
START_TEST(reals_round_trip)
{
    static const double xs[] = { 2.8625185805493936e-20, 1.0 / 3.0, -9.509, 1e300, 5e-324, 0.1 + 0.2, 3.49e19 };
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        json_t *v = fms_json_num(xs[i]);
        char *s = fms_json_text(v);
        json_t *back = json_loads(s, JSON_DECODE_ANY, NULL);
        ck_assert_msg(back != NULL && json_real_value(back) == xs[i], "%s", s);
        json_decref(back);
        json_decref(v);
        free(s);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, text_uses_the_project_flags);
    tcase_add_test(tc, text_of_any_value);
    tcase_add_test(tc, append_adds_a_newline_and_releases);
    tcase_add_test(tc, num_is_null_when_not_finite);
    tcase_add_test(tc, reals_round_trip);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

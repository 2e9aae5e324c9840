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

/* Element i of the streamed arrays below: nested, with a string that holds a newline. */
static json_t *element(size_t i, void *ctx)
{
    (void)ctx;
    return json_pack("{s:I, s:s, s:[i, {s:b}], s:{}}", "i", (json_int_t)i, "text", "two\nlines", "nested", 1,
                     "deep", 1, "empty");
}

/* The root of the streamed tests, with `items` filled by element() up to n or empty. */
static json_t *root_with(size_t n)
{
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, element(i, NULL));
    return json_pack("{s:s, s:o, s:[], s:i}", "title", "\"items\": []", "items", items, "after", "last", 7);
}

START_TEST(streamed_array_is_byte_identical)
{
    static const size_t sizes[] = { 0, 1, 3, 50 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        fms_strbuf tree = { 0 }, stream = { 0 };
        ck_assert_int_eq(fms_json_append(&tree, root_with(sizes[k]), NULL), FMS_OK);
        ck_assert_int_eq(fms_json_append_streamed(&stream, root_with(0), "items", sizes[k], element, NULL, NULL), FMS_OK);
        ck_assert_str_eq(fms_strbuf_str(&stream), fms_strbuf_str(&tree));
        fms_strbuf_free(&tree);
        fms_strbuf_free(&stream);
    }
}
END_TEST

START_TEST(streamed_array_needs_its_member)
{
    fms_strbuf out = { 0 };
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_json_append_streamed(&out, root_with(0), "tests", 2, element, NULL, &err), FMS_EINVAL);
    ck_assert_int_eq(fms_json_append_streamed(&out, NULL, "items", 2, element, NULL, &err), FMS_ENOMEM);
    fms_strbuf_free(&out);
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
    tcase_add_test(tc, streamed_array_is_byte_identical);
    tcase_add_test(tc, streamed_array_needs_its_member);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

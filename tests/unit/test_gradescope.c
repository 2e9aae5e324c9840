/* test_gradescope.c — results.json for Gradescope (gradescope.h): the
 * specification's fields, and no expected answer before publication. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmsolve.h"
#include "testutil.h"

/* Grades sheet on the built-in set and returns the results.json, parsed. */
static json_t *results(const char *sheet_text)
{
    fms_exset *set = NULL;
    fms_key *key = NULL;
    fms_sheet *sheet = NULL;
    fms_grade *g = NULL;
    fms_test_load_builtin(&set, &key);
    ck_assert_int_eq(fms_sheet_parse(sheet_text, strlen(sheet_text), &sheet, NULL), FMS_OK);
    ck_assert_int_eq(fms_grade_sheet(key, set->data, sheet, &g, NULL), FMS_OK);
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_gradescope_results(set, g, "A note.", &b, NULL), FMS_OK);
    json_t *root = json_loads(fms_strbuf_str(&b), 0, NULL);
    ck_assert_ptr_nonnull(root);
    fms_strbuf_free(&b);
    fms_grade_free(g);
    fms_sheet_free(sheet);
    fms_test_free_builtin(set, key);
    return root;
}

START_TEST(visible_tests_never_show_the_answer)
{
    json_t *root = results("1.3a.B = 9.5\n1.3c.B = 0\n1.3d = 1\n2.1 = (x_t + eps)/t\nbogus = 3\n");
    ck_assert_double_eq(json_number_value(json_object_get(root, "score")), 1.0);
    ck_assert_str_eq(json_string_value(json_object_get(root, "visibility")), "visible");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(root, "output")), "A note."));
    json_t *tests = json_object_get(root, "tests"), *t;
    size_t i;
    int answers = 0, visible = 0, unknown = 0;
    double sum = 0;
    json_array_foreach(tests, i, t) {
        const char *name = json_string_value(json_object_get(t, "name"));
        const char *out = json_string_value(json_object_get(t, "output"));
        const char *vis = json_string_value(json_object_get(t, "visibility"));
        ck_assert(name && out && vis);
        ck_assert(json_is_number(json_object_get(t, "score")) && json_is_number(json_object_get(t, "max_score")));
        sum += json_number_value(json_object_get(t, "score"));
        if (strcmp(vis, "visible") == 0) {
            visible++;
            unknown += strcmp(name, "lines not graded") == 0;
            /* The exact values of the items answered wrong appear nowhere visible. */
            ck_assert_msg(strstr(out, "2.86") == NULL && strstr(out, "-2.86") == NULL, "%s: %s", name, out);
            ck_assert_msg(strstr(out, "(x_t - eps)/t") == NULL, "%s: %s", name, out);
            ck_assert_msg(strstr(out, "Expected") == NULL, "%s: %s", name, out);
        } else {
            ck_assert_str_eq(vis, "after_published");
            ck_assert_double_eq(json_number_value(json_object_get(t, "max_score")), 0.0);
            ck_assert_int_eq(strncmp(out, "Expected: ", 10), 0);
            answers++;
        }
    }
    ck_assert_int_eq(visible, 31); /* 30 items and the lines not graded */
    ck_assert_int_eq(unknown, 1);
    ck_assert_int_eq(answers, 29); /* one per item not correct */
    ck_assert_int_eq((int)sum, 1);
    json_t *b = json_array_get(tests, 19); /* 1.3c.B */
    ck_assert_str_eq(json_string_value(json_object_get(b, "name")), "1.3c.B");
    ck_assert_str_eq(json_string_value(json_object_get(b, "output")),
                     "Incorrect (ZERO_FOR_TINY, line 2): 0 for a share that is tiny but not 0. You wrote: 0");
    json_decref(root);
}
END_TEST

START_TEST(failures_and_metadata)
{
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_gradescope_failure("No file was submitted.", &b, NULL), FMS_OK);
    json_t *root = json_loads(fms_strbuf_str(&b), 0, NULL);
    ck_assert_double_eq(json_number_value(json_object_get(root, "score")), 0.0);
    ck_assert_uint_eq(json_array_size(json_object_get(root, "tests")), 0);
    json_decref(root);
    fms_strbuf_free(&b);
    char path[] = "/tmp/fms_meta_XXXXXX";
    int fd = mkstemp(path);
    const char meta[] = "{\"users\": [{\"email\": \"ada@example.org\", \"id\": 1234, \"name\": \"Ada\"}]}";
    ck_assert_int_eq(write(fd, meta, sizeof meta - 1), (ssize_t)(sizeof meta - 1));
    close(fd);
    char id[64];
    ck_assert_int_eq(fms_gradescope_student(path, "email", id, sizeof id, NULL), FMS_OK);
    ck_assert_str_eq(id, "ada@example.org");
    ck_assert_int_eq(fms_gradescope_student(path, "id", id, sizeof id, NULL), FMS_OK);
    ck_assert_str_eq(id, "1234");
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_gradescope_student(path, "sid", id, sizeof id, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "'sid'"));
    ck_assert_int_eq(fms_gradescope_student(path, "email", id, 8, NULL), FMS_EINVAL);
    unlink(path);
    ck_assert_int_eq(fms_gradescope_student(path, "email", id, sizeof id, NULL), FMS_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gradescope");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, visible_tests_never_show_the_answer);
    tcase_add_test(tc, failures_and_metadata);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_classgrade.c — a class graded in one pass (classgrade.h): names
 * matched to ids, each student on their own variant, the CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_roster *roster(const char *text)
{
    fms_roster *r = NULL;
    ck_assert_int_eq(fms_roster_parse("r.csv", text, strlen(text), NULL, &r, NULL), FMS_OK);
    return r;
}

START_TEST(names_are_matched_not_guessed)
{
    fms_roster *r = roster("id\nada\nab\nab_c\nbob.smith\n");
    const char *why = NULL;
    ck_assert_int_eq(fms_class_match(r, "ada.txt", &why), 0);
    ck_assert_int_eq(fms_class_match(r, "ada.TXT", &why), 0);
    ck_assert_int_eq(fms_class_match(r, "ada_hw3_final.txt", &why), 0);
    ck_assert_int_eq(fms_class_match(r, "bob.smith.txt", &why), 3);
    ck_assert_int_eq(fms_class_match(r, "ab_c.txt", &why), 2);   /* ID.txt wins over ab_ + c */
    ck_assert_int_eq(fms_class_match(r, "ab_d.txt", &why), 1);
    ck_assert_int_eq(fms_class_match(r, "ab_c_x.txt", &why), -1); /* ab_ and ab_c_ both fit */
    ck_assert_ptr_nonnull(strstr(why, "ambiguous"));
    ck_assert_int_eq(fms_class_match(r, "Ada.txt", &why), -1);    /* ids are exact */
    ck_assert_ptr_nonnull(strstr(why, "no student"));
    ck_assert_int_eq(fms_class_match(r, "ada", &why), -1);
    ck_assert_ptr_nonnull(strstr(why, ".txt"));
    ck_assert_int_eq(fms_class_match(r, "ada.pdf", &why), -1);
    ck_assert_int_eq(fms_class_match(r, "_ada.txt", &why), -1);
    ck_assert_int_eq(fms_class_match(r, ".txt", &why), -1);
    fms_roster_free(r);
}
END_TEST

/* Writes text to folder/name. */
static void put(const char *folder, const char *name, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    ck_assert_int_eq(fms_fileio_write(path, text, len, 0644, NULL), FMS_OK);
}

/* The answer key of student id's variant, as a sheet. */
static char *key_sheet(const fms_variant *v, const fms_secret *s, const char *id)
{
    fms_exset *set = NULL;
    fms_key *key = NULL;
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_variant_draw(v, fms_keyedhash_seed(s, id), NULL, &set, NULL), FMS_OK);
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    ck_assert_int_eq(fms_render_key(key, &b, NULL), FMS_OK);
    char *t = fms_strbuf_dup(fms_strbuf_str(&b));
    fms_strbuf_free(&b);
    fms_key_free(key);
    fms_exset_free(set);
    return t;
}

START_TEST(a_small_class)
{
    size_t len;
    char *text = fms_read_source("exercises/discussion11-variants.ini", &len);
    fms_variant *v = NULL;
    ck_assert_int_eq(fms_variant_parse("v.ini", text, len, &v, NULL), FMS_OK);
    free(text);
    fms_secret secret = { .len = 6 };
    memcpy(secret.bytes, "s3cr3t", 6);
    fms_roster *r = roster("id,name\nada,A\nbob,B\ncy,C\ndee,D\neve,E\n");
    char dir[] = "/tmp/fms_class_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *ada = key_sheet(v, &secret, "ada"), *bob = key_sheet(v, &secret, "bob");
    put(dir, "ada.txt", ada, strlen(ada));
    put(dir, "bob_late.txt", ada, strlen(ada)); /* ada's answers: wrong on bob's variant */
    put(dir, "cy.txt", bob, strlen(bob));
    put(dir, "cy_v2.txt", bob, strlen(bob));
    put(dir, "dee.txt", "1.1a.A = 0.5\n\0\n", 15);
    put(dir, "zed.txt", "x = 1\n", 6);
    put(dir, ".DS_Store", "junk", 4);
    fms_class_opts o = { .exercises = v, .secret = &secret, .roster = r, .folder = dir, .feedback = 1 };
    fms_class *c = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_class_grade(&o, &c, &err) == FMS_OK, "%s", err.msg);
    ck_assert_uint_eq(c->n, 5);
    ck_assert_uint_eq(c->nitems, 30);
    ck_assert_uint_eq(c->ngraded, 2);
    ck_assert_int_eq(c->rows[0].status, FMS_CLASS_GRADED);
    ck_assert_double_eq(c->rows[0].points, 30.0);
    ck_assert_double_eq(c->rows[0].max, 30.0);
    ck_assert_int_eq(c->rows[1].status, FMS_CLASS_GRADED);
    ck_assert_double_lt(c->rows[1].points, 30.0);   /* another student's key does not pass */
    ck_assert_int_eq(c->rows[2].status, FMS_CLASS_DUPLICATE);
    ck_assert_ptr_nonnull(strstr(c->rows[2].note, "cy.txt, cy_v2.txt"));
    ck_assert_int_eq(c->rows[3].status, FMS_CLASS_UNREADABLE);
    ck_assert_ptr_nonnull(strstr(c->rows[3].note, "NUL"));
    ck_assert_int_eq(c->rows[4].status, FMS_CLASS_MISSING);
    ck_assert_uint_eq(c->nstray, 1);
    ck_assert_str_eq(c->stray[0].file, "zed.txt");
    ck_assert_ptr_nonnull(strstr(c->rows[0].feedback, "score: 30/30"));
    fms_strbuf csv = { 0 };
    ck_assert_int_eq(fms_class_csv(c, &csv, NULL), FMS_OK);
    const char *s = fms_strbuf_str(&csv);
    ck_assert_int_eq(strncmp(s, "id,points,maximum,1.1a.A,1.1a.B,", 32), 0);
    ck_assert_ptr_nonnull(strstr(s, ",2.1,2.2,status\r\nada,30,30,1,1,1,"));
    ck_assert_ptr_nonnull(strstr(s, "\r\ncy,,30,,,"));
    ck_assert_ptr_nonnull(strstr(s, ",\"duplicate: several submissions (cy.txt, cy_v2.txt); keep one\"\r\n"));
    ck_assert_ptr_nonnull(strstr(s, "\r\neve,,30,"));
    fms_strbuf_free(&csv);
    fms_class_free(c);
    /* Without the secret, a template with choices cannot be graded. */
    o.secret = NULL;
    ck_assert_int_eq(fms_class_grade(&o, &c, &err), FMS_EINVAL);
    ck_assert_ptr_null(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(ada);
    free(bob);
    fms_roster_free(r);
    fms_variant_free(v);
}
END_TEST

START_TEST(a_missing_folder_is_an_error)
{
    fms_variant *v = NULL;
    ck_assert_int_eq(fms_variant_load_builtin(&v, NULL), FMS_OK);
    fms_roster *r = roster("id\nada\n");
    fms_class_opts o = { .exercises = v, .roster = r, .folder = "/nonexistent/folder" };
    fms_class *c = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_class_grade(&o, &c, &err), FMS_EIO);
    ck_assert_str_eq(err.file, "/nonexistent/folder");
    fms_roster_free(r);
    fms_variant_free(v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("classgrade");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, names_are_matched_not_guessed);
    tcase_add_test(tc, a_small_class);
    tcase_add_test(tc, a_missing_folder_is_an_error);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

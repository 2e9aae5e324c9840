/* test_fileio.c — reading with a budget, writing whole, folders (fileio.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmsolve.h"
#include "testutil.h"

/* A fresh temporary folder (its path in dir). */
static void temp_folder(char dir[64])
{
    strcpy(dir, "/tmp/fms_fileio_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* The number of entries of dir besides . and .. (temporary files included). */
static size_t count_entries(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    ck_assert_int_eq(fscanf(p, "%zu", &n), 1);
    pclose(p);
    return n;
}

START_TEST(write_then_read)
{
    char dir[64], path[128];
    temp_folder(dir);
    ck_assert_int_eq(fms_fileio_join(dir, "a.txt", path, sizeof path), FMS_OK);
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_fileio_write(path, "hello\n", 6, 0644, &err), FMS_OK);
    ck_assert_int_eq(fms_fileio_write(path, "bye\n", 4, 0600, &err), FMS_OK); /* replaces */
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 077, 0);
    char *text;
    size_t len;
    ck_assert_int_eq(fms_fileio_read(path, 100, &text, &len, &err), FMS_OK);
    ck_assert_str_eq(text, "bye\n");
    free(text);
    ck_assert_int_eq(fms_fileio_read(path, 3, &text, &len, &err), FMS_EINVAL); /* over the budget */
    ck_assert_uint_eq(count_entries(dir), 1);                                 /* no temporary left */
    char **names;
    size_t n;
    ck_assert_int_eq(fms_fileio_write(path, "", 0, 0644, &err), FMS_OK);
    fms_fileio_join(dir, ".hidden", path, sizeof path);
    ck_assert_int_eq(fms_fileio_write(path, "x", 1, 0644, &err), FMS_OK);
    fms_fileio_join(dir, "B.txt", path, sizeof path);
    ck_assert_int_eq(fms_fileio_write(path, "x", 1, 0644, &err), FMS_OK);
    ck_assert_int_eq(fms_fileio_list(dir, &names, &n, &err), FMS_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(names[0], "B.txt");
    ck_assert_str_eq(names[1], "a.txt");
    fms_fileio_list_free(names, n);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(failures_leave_nothing)
{
    char dir[64], path[128], sub[128];
    temp_folder(dir);
    fms_error err;
    fms_error_clear(&err);
    fms_fileio_join(dir, "file", path, sizeof path);
    ck_assert_int_eq(fms_fileio_write(path, "x", 1, 0644, &err), FMS_OK);
    /* A folder under a file cannot be made, nor can a file be written there. */
    fms_fileio_join(path, "sub", sub, sizeof sub);
    ck_assert_int_eq(fms_fileio_folder(sub, &err), FMS_EIO);
    ck_assert_str_eq(err.file, sub);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_fileio_write(sub, "x", 1, 0644, &err), FMS_EIO);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_fileio_folder(path, &err), FMS_EIO); /* a file, not a folder */
    ck_assert_uint_eq(count_entries(dir), 1);
    fms_fileio_join(dir, "made", sub, sizeof sub);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_fileio_folder(sub, &err), FMS_OK);
    ck_assert_int_eq(fms_fileio_folder(sub, &err), FMS_OK); /* already there */
    char *text;
    size_t len;
    ck_assert_int_eq(fms_fileio_read(sub, 100, &text, &len, &err), FMS_EIO); /* a folder */
    char small[8];
    ck_assert_int_eq(fms_fileio_join("abcd", "efgh", small, sizeof small), FMS_EINVAL);
    ck_assert_int_eq(fms_fileio_join("ab/", "c", small, sizeof small), FMS_OK);
    ck_assert_str_eq(small, "ab/c");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fileio");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, write_then_read);
    tcase_add_test(tc, failures_leave_nothing);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

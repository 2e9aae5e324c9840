/* test_ofile.c — output files that appear whole or not at all (base/ofile.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmsolve.h"
#include "testutil.h"

/* A fresh directory for one test; its name in dir. */
static void make_dir(char dir[64])
{
    strcpy(dir, "/tmp/test_ofile.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* The number of entries of dir besides . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 4096);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

START_TEST(commit_writes_whole_file)
{
    char dir[64], path[128];
    make_dir(dir);
    snprintf(path, sizeof path, "%s/out.txt", dir);
    fms_ofile f;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_ofile_open(&f, path, &err), FMS_OK);
    ck_assert_int_eq(entries(dir), 1); /* the temporary file only */
    fputs("figure\n", f.fp);
    ck_assert_int_eq(fms_ofile_commit(&f, &err), FMS_OK);
    ck_assert_ptr_null(f.fp);
    char *got = slurp(path);
    ck_assert_str_eq(got, "figure\n");
    ck_assert_int_eq(entries(dir), 1);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_ne(st.st_mode & 0044, 0); /* not mkstemp's 0600 (umask 022 in the suite) */
    free(got);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* Discarding leaves neither the target nor a temporary file; an old target stays. */
START_TEST(discard_leaves_old_file)
{
    char dir[64], path[128];
    make_dir(dir);
    snprintf(path, sizeof path, "%s/keep.txt", dir);
    FILE *old = fopen(path, "w");
    fputs("old\n", old);
    fclose(old);
    fms_ofile f;
    ck_assert_int_eq(fms_ofile_open(&f, path, NULL), FMS_OK);
    fputs("half a fig", f.fp);
    fms_ofile_discard(&f);
    char *got = slurp(path);
    ck_assert_str_eq(got, "old\n");
    ck_assert_int_eq(entries(dir), 1);
    free(got);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* A 250-byte name is legal; the temporary name must not be longer than NAME_MAX. */
START_TEST(long_names_fit)
{
    char dir[64], path[400];
    make_dir(dir);
    int n = snprintf(path, sizeof path, "%s/", dir);
    memset(path + n, 'n', 246);
    strcpy(path + n + 246, ".png");
    fms_ofile f;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_ofile_open(&f, path, &err) == FMS_OK, "%s", err.msg);
    ck_assert_int_eq(fms_ofile_commit(&f, &err), FMS_OK);
    ck_assert_int_eq(access(path, F_OK), 0);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(missing_directory)
{
    fms_ofile f;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_ofile_open(&f, "/nonexistent-dir-fms/x.png", &err), FMS_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-dir-fms/x.png"));
    ck_assert_ptr_null(f.fp);
}
END_TEST

/* What a signal handler calls removes every open temporary file. */
START_TEST(signal_cleanup)
{
    char dir[64], a[128], b[128];
    make_dir(dir);
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    fms_ofile fa, fb;
    ck_assert_int_eq(fms_ofile_open(&fa, a, NULL), FMS_OK);
    ck_assert_int_eq(fms_ofile_open(&fb, b, NULL), FMS_OK);
    ck_assert_int_eq(entries(dir), 2);
    fms_ofile_discard_all_signal();
    ck_assert_int_eq(entries(dir), 0);
    fms_ofile_discard(&fa);
    fms_ofile_discard(&fb);
    rmdir(dir);
}
END_TEST

int main(void)
{
    umask(022);
    Suite *s = suite_create("ofile");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, commit_writes_whole_file);
    tcase_add_test(tc, discard_leaves_old_file);
    tcase_add_test(tc, long_names_fit);
    tcase_add_test(tc, missing_directory);
    tcase_add_test(tc, signal_cleanup);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_index.c — the hash index over a table of strings (base/index.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

typedef struct row {
    int payload;
    char name[12];
} row;

START_TEST(empty_index)
{
    fms_index ix;
    fms_index_init(&ix, NULL, sizeof(row), 0);
    ck_assert_int_eq(fms_index_find(&ix, "A"), -1);
    ck_assert_int_eq(fms_index_find(&ix, ""), -1);
    fms_index_free(&ix);
    fms_index_free(&ix);
}
END_TEST

/* Many entries (the table grows several times), every one found, misses missed. */
START_TEST(add_and_find)
{
    enum { N = 5000 };
    row *t = calloc(N, sizeof *t);
    fms_index ix;
    fms_index_init(&ix, t[0].name, sizeof *t, 0);
    for (int i = 0; i < N; i++) {
        snprintf(t[i].name, sizeof t[i].name, "P%d", i);
        long dup = 7;
        ck_assert_int_eq(fms_index_add(&ix, (size_t)i, &dup), FMS_OK);
        ck_assert_int_eq(dup, -1);
    }
    ck_assert_uint_eq(ix.n, N);
    ck_assert_uint_ge(ix.cap, 2 * ix.n);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(fms_index_find(&ix, t[i].name), i);
    ck_assert_int_eq(fms_index_find(&ix, "P5000"), -1);
    ck_assert_int_eq(fms_index_find(&ix, "p1"), -1);
    ck_assert_int_eq(fms_index_find(&ix, "P"), -1);
    fms_index_free(&ix);
    free(t);
}
END_TEST

START_TEST(duplicates_are_reported)
{
    row t[4] = { { 0, "A" }, { 0, "B" }, { 0, "A" }, { 0, "a" } };
    fms_index ix;
    fms_index_init(&ix, t[0].name, sizeof *t, 0);
    long dup;
    for (size_t i = 0; i < 2; i++)
        ck_assert_int_eq(fms_index_add(&ix, i, &dup), FMS_OK);
    ck_assert_int_eq(fms_index_add(&ix, 2, &dup), FMS_OK);
    ck_assert_int_eq(dup, 0);
    ck_assert_int_eq(fms_index_add(&ix, 3, &dup), FMS_OK);
    ck_assert_int_eq(dup, -1);
    ck_assert_uint_eq(ix.n, 3);
    ck_assert_int_eq(fms_index_find(&ix, "a"), 3);
    fms_index_free(&ix);
}
END_TEST

/* A fold index keeps the first of the case variants and finds it for any of them. */
START_TEST(fold)
{
    row t[4] = { { 0, "1.3c.B" }, { 0, "1.3c.b" }, { 0, "1.3C.B" }, { 0, "2.1" } };
    fms_index ix;
    ck_assert_int_eq(fms_index_build(&ix, t[0].name, sizeof *t, 4, 1, NULL), FMS_OK);
    ck_assert_uint_eq(ix.n, 2);
    ck_assert_int_eq(fms_index_find(&ix, "1.3c.b"), 0);
    ck_assert_int_eq(fms_index_find(&ix, "1.3C.b"), 0);
    ck_assert_int_eq(fms_index_find(&ix, "2.1"), 3);
    ck_assert_int_eq(fms_index_find(&ix, "1.3c"), -1);
    fms_index_free(&ix);
}
END_TEST

/* After the table moves, rebase keeps the index valid. */
START_TEST(rebase)
{
    row *t = calloc(2, sizeof *t);
    fms_index ix;
    fms_index_init(&ix, t[0].name, sizeof *t, 0);
    strcpy(t[0].name, "x");
    strcpy(t[1].name, "y");
    fms_index_add(&ix, 0, NULL);
    fms_index_add(&ix, 1, NULL);
    row *u = calloc(64, sizeof *u);
    memcpy(u, t, 2 * sizeof *t);
    free(t);
    fms_index_rebase(&ix, u[0].name);
    ck_assert_int_eq(fms_index_find(&ix, "y"), 1);
    fms_index_free(&ix);
    free(u);
}
END_TEST

/* Probes per lookup stay small: linear probing at load ≤ 1/2 averages below
 * 2.5 per hit; allow 4 (the key is random, the bound is on expectations). */
START_TEST(few_probes)
{
    enum { N = 20000 };
    row *t = calloc(N, sizeof *t);
    for (int i = 0; i < N; i++)
        snprintf(t[i].name, sizeof t[i].name, "L%d", i);
    fms_index ix;
    ck_assert_int_eq(fms_index_build(&ix, t[0].name, sizeof *t, N, 0, NULL), FMS_OK);
    unsigned long long before = fms_index_probes();
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(fms_index_find(&ix, t[i].name), i);
    double per = (double)(fms_index_probes() - before) / N;
    ck_assert_msg(per < 4.0, "%.2f probes per lookup", per);
    fms_index_free(&ix);
    free(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("index");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, empty_index);
    tcase_add_test(tc, add_and_find);
    tcase_add_test(tc, duplicates_are_reported);
    tcase_add_test(tc, fold);
    tcase_add_test(tc, rebase);
    tcase_add_test(tc, few_probes);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_scale.c — load, key, check and render cost time linear in the input.
 *
 * Wall time is no test on a shared machine; this suite counts work instead:
 * every string comparison the library makes (strcmp, strcasecmp, strncmp
 * and memcmp are wrapped at link time, -Wl,--wrap, so each call the library
 * makes is counted) plus every slot its hash indexes inspect
 * (fms_index_probes).  A scan of the whole set per item — the quadratic
 * loading of issue 14 — multiplies this count by 4 when the input doubles;
 * linear work by 2.  Each test doubles one size and fails past a factor of 3.
 *
 * Sizes: K = 2,000 → 4,000 data points and 1,000 → 2,000 exercises by
 * default; with FMS_LONG=1 also K = 20,000 → 40,000 and 5,000 → 10,000
 * exercises (CI).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fmsolve.h"
#include "testutil.h"

/* ---- counted comparisons ------------------------------------------------ */

static unsigned long long compares;

int __real_strcmp(const char *a, const char *b);
int __real_strcasecmp(const char *a, const char *b);
int __real_strncmp(const char *a, const char *b, size_t n);
int __real_memcmp(const void *a, const void *b, size_t n);

int __wrap_strcmp(const char *a, const char *b);
int __wrap_strcasecmp(const char *a, const char *b);
int __wrap_strncmp(const char *a, const char *b, size_t n);
int __wrap_memcmp(const void *a, const void *b, size_t n);

int __wrap_strcmp(const char *a, const char *b)
{
    compares++;
    return __real_strcmp(a, b);
}

int __wrap_strcasecmp(const char *a, const char *b)
{
    compares++;
    return __real_strcasecmp(a, b);
}

int __wrap_strncmp(const char *a, const char *b, size_t n)
{
    compares++;
    return __real_strncmp(a, b, n);
}

int __wrap_memcmp(const void *a, const void *b, size_t n)
{
    compares++;
    return __real_memcmp(a, b, n);
}

static unsigned long long ops(void)
{
    return compares + fms_index_probes();
}

/* ---- inputs --------------------------------------------------------------- */

/* A short label for point k: letters in base 52, which keeps the generated
 * sets small. */
static void label(size_t k, char out[8])
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    size_t n = 0;
    do {
        out[n++] = letters[k % 52];
        k /= 52;
    } while (k);
    out[n] = '\0';
}

/* A set of k points and e point exercises (every part kind), a compare and 2.1. */
static void make_set(fms_strbuf *t, size_t k, size_t e)
{
    fms_strbuf_puts(t, "[data]\n");
    for (size_t i = 0; i < k; i++) {
        char l[8];
        label(i, l);
        fms_strbuf_printf(t, "%s=%zu\n", l, i % 10);
    }
    for (size_t i = 0; i < e; i++)
        fms_strbuf_printf(t, "[%zu.1]\nt=0.%zu\nx_t=0.25\nparts=eps,target,share,limit\n", i + 1, i % 9 + 1);
    fms_strbuf_puts(t, "[0.1]\ncompare=1.1,2.1\n[0.2]\nkind=eps_to_velocity\n");
}

/* The work of one round: load, look up every id and label, key, look up
 * every key id, grade the key as a sheet, render the worked answers of one
 * exercise as JSON and the whole set as text. */
static unsigned long long round_ops(size_t k, size_t e)
{
    fms_strbuf t = { 0 }, sheet = { 0 }, out = { 0 };
    make_set(&t, k, e);
    unsigned long long before = ops();
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_exset_load_string("scale.ini", t.data, t.len, &set, &err) == FMS_OK, "%s", err.msg);
    for (size_t i = 0; i < set->n; i++)
        ck_assert_int_eq(fms_exset_find(set, set->ex[i].id), (long)i);
    for (size_t i = 0; i < set->data->n; i++)
        ck_assert_int_eq(fms_data_find(set->data, set->data->labels[i]), (long)i);
    fms_key *key = NULL;
    ck_assert_int_eq(fms_key_build(set, &key, &err), FMS_OK);
    for (size_t i = 0; i < key->n; i++)
        ck_assert_ptr_eq(fms_key_find(key, key->items[i].id), &key->items[i]);
    ck_assert_int_eq(fms_render_key(key, &sheet, &err), FMS_OK);
    fms_strbuf_puts(&sheet, "1.1c = 1 : 2\n1.1c = 1 : 2\n1.1c = 1 : 2\n");
    fms_sheet *sh = NULL;
    ck_assert_int_eq(fms_sheet_parse(sheet.data, sheet.len, &sh, &err), FMS_OK);
    fms_grade *g = NULL;
    ck_assert_int_eq(fms_grade_sheet(key, set->data, sh, &g, &err), FMS_OK);
    ck_assert_uint_eq(g->ncorrect, key->n - k); /* 1.1c's shares are answered twice */
    /* Markdown adds a constant's worth of comparisons per byte (TeX
     * spelling); text and JSON walk the same items. */
    ck_assert_int_eq(fms_render_exercise(set, key, 0, -1, FMS_FORMAT_JSON, &out, &err), FMS_OK);
    ck_assert_int_eq(fms_render_all(set, key, FMS_FORMAT_TEXT, &out, &err), FMS_OK);
    unsigned long long used = ops() - before;
    fms_grade_free(g);
    fms_sheet_free(sh);
    fms_key_free(key);
    fms_exset_free(set);
    fms_strbuf_free(&t);
    fms_strbuf_free(&sheet);
    fms_strbuf_free(&out);
    return used;
}

static int long_runs(void)
{
    const char *v = getenv("FMS_LONG");
    return v && strcmp(v, "1") == 0;
}

/* Doubles (k, e) to (2k, e) or (k, 2e) and fails past a factor of 3. */
static void doubling(size_t k, size_t e, int points)
{
    unsigned long long a = round_ops(k, e);
    unsigned long long b = points ? round_ops(2 * k, e) : round_ops(k, 2 * e);
    double ratio = (double)b / (double)a;
    printf("scale: %s %zu -> %zu: %llu -> %llu counted operations (x%.2f)\n", points ? "points" : "exercises",
           points ? k : e, points ? 2 * k : 2 * e, a, b, ratio);
    ck_assert_msg(ratio <= 3.0, "doubling the %s from %zu multiplied the work by %.2f (%llu -> %llu)",
                  points ? "data points" : "exercises", points ? k : e, ratio, a, b);
}

START_TEST(points_double)
{
    doubling(2000, 2, 1);
    if (long_runs())
        doubling(20000, 2, 1);
}
END_TEST

START_TEST(exercises_double)
{
    doubling(2, 1000, 0);
    if (long_runs())
        doubling(2, 4000, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scale");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, points_double);
    tcase_add_test(tc, exercises_double);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

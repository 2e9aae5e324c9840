/* test_key.c — the answer key (key.h), on the seed sheet and on a variant
 * sheet whose answers are worked out here independently, from the
 * definitions in long double without log-sum-exp. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_exset *load(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", FMS_SRCDIR, rel);
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_exset_load_file(path, &set, &err) == FMS_OK, "%s:%ld: %s", path, err.line, err.msg);
    return set;
}

static double item(const fms_key *key, const char *id)
{
    const fms_key_item *it = fms_key_find(key, id);
    ck_assert_msg(it != NULL, "no key item %s", id);
    return it->value;
}

START_TEST(seed_values)
{
    fms_exset *set = NULL;
    fms_key *key = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    /* The sheet by hand: ε = (x_t − t x1)/(1 − t), u = x1 − ε, w_B(1.3) = 1/(1 + e^45). */
    ck_assert_close(item(key, "1.3a.B"), (0.5 + 0.9 * 0.5) / (1 - 0.9), TOL_CLOSE, 0);
    ck_assert_close(item(key, "1.3b.B"), -0.5 - 9.5, TOL_CLOSE, 0);
    ck_assert_close(item(key, "1.3c.B"), 1.0 / (1.0 + exp(45.0)), TOL_CLOSE, 0);
    ck_assert_close(item(key, "1.1d"), 0.5 * 0 + 0.5 * -1, TOL_TIGHT, 0);
    ck_assert_close(item(key, "1.1d.x1"), 0.0, 0, TOL_ZERO);
    ck_assert_close(item(key, "1.2c"), 0.0, 0, TOL_ZERO);
    char v[FMS_KEY_VALUE_MAX];
    fms_key_item_value(fms_key_find(key, "1.3c.B"), v);
    ck_assert_str_eq(v, "2.86251858054939e-20");
    fms_key_item_value(fms_key_find(key, "1.3a.B"), v);
    ck_assert_str_eq(v, "9.5");
    fms_key_item_value(fms_key_find(key, "2.1"), v);
    ck_assert_str_eq(v, "(x_t - eps)/t");
    ck_assert_int_eq(fms_key_find(key, "2.2")->kind, FMS_ITEM_FORMULA);
    ck_assert_ptr_nonnull(fms_key_find(key, "1.4.w(1.3).B"));
    ck_assert_ptr_null(fms_key_find(key, "1.2d"));
    fms_key_free(key);
    fms_exset_free(set);
}
END_TEST

/* The variant's data, typed in again here on purpose (not read from the file). */
static const double VX[] = { -1.25, 0.375, 2.385 }, VP[] = { 0.2, 0.5, 0.3 };
static const char *const VL[] = { "L", "M", "R" };

static void independent(double t, double xt, long double eps[3], long double u[3], long double w[3], long double *v,
                        long double *x1)
{
    long double den = 0, num = 0, mx = 0, a[3];
    for (int k = 0; k < 3; k++) {
        eps[k] = ((long double)xt - (long double)t * VX[k]) / (1.0L - t);
        u[k] = VX[k] - eps[k];
        a[k] = VP[k] * expl(-eps[k] * eps[k] / 2);
        den += a[k];
    }
    for (int k = 0; k < 3; k++) {
        w[k] = a[k] / den;
        num += w[k] * u[k];
        mx += w[k] * VX[k];
    }
    *v = num;
    *x1 = mx;
}

START_TEST(variant_values)
{
    fms_exset *set = load("tests/data/sets/three-points-t0.ini");
    fms_key *key = NULL;
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    static const struct {
        const char *id;
        double t, xt;
        const char *letters; /* eps, target, share, limit part letters ('-' for none) */
    } pts[] = { { "1.1", 0.0, 0.7, "abcd" }, { "1.2", 0.35, -0.42, "abcd" }, { "1.3", 0.8125, 1.9, "--ab" } };
    char id[64];
    for (int i = 0; i < 3; i++) {
        long double eps[3], u[3], w[3], v, x1;
        independent(pts[i].t, pts[i].xt, eps, u, w, &v, &x1);
        for (int k = 0; k < 3; k++) {
            if (pts[i].letters[0] != '-') {
                snprintf(id, sizeof id, "%s%c.%s", pts[i].id, pts[i].letters[0], VL[k]);
                ck_assert_close(item(key, id), (double)eps[k], TOL_ROUTE, TOL_TIGHT);
            }
            if (pts[i].letters[1] != '-') {
                snprintf(id, sizeof id, "%s%c.%s", pts[i].id, pts[i].letters[1], VL[k]);
                ck_assert_close(item(key, id), (double)u[k], TOL_ROUTE, TOL_TIGHT);
            }
            snprintf(id, sizeof id, "%s%c.%s", pts[i].id, pts[i].letters[2], VL[k]);
            ck_assert_close(item(key, id), (double)w[k], TOL_COND, 0);
        }
        snprintf(id, sizeof id, "%s%c", pts[i].id, pts[i].letters[3]);
        ck_assert_close(item(key, id), (double)v, TOL_COND, TOL_TIGHT);
        snprintf(id, sizeof id, "%s%c.x1", pts[i].id, pts[i].letters[3]);
        ck_assert_close(item(key, id), (double)x1, TOL_COND, TOL_TIGHT);
    }
    /* At t = 0 the shares are the priors. */
    ck_assert_close(item(key, "1.1c.M"), 0.5, TOL(4), 0);
    ck_assert_close(item(key, "1.4.w(1.1).R"), 0.3, TOL(4), 0);
    fms_key_free(key);
    fms_exset_free(set);
}
END_TEST

START_TEST(changing_the_data_changes_every_number)
{
    fms_exset *a = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&a, NULL), FMS_OK);
    size_t len;
    const char *text = fms_exset_builtin_text(&len);
    char *copy = malloc(len + 1);
    memcpy(copy, text, len + 1);
    char *line = strstr(copy, "A = 0.5, 0.5");
    ck_assert_ptr_nonnull(line);
    memcpy(line, "A = 0.7, 0.6", 12);
    fms_exset *b = NULL;
    ck_assert_int_eq(fms_exset_load_string("moved", copy, len, &b, NULL), FMS_OK);
    fms_key *ka = NULL, *kb = NULL;
    ck_assert_int_eq(fms_key_build(a, &ka, NULL), FMS_OK);
    ck_assert_int_eq(fms_key_build(b, &kb, NULL), FMS_OK);
    ck_assert_uint_eq(ka->n, kb->n);
    for (size_t i = 0; i < ka->n; i++) {
        const fms_key_item *x = &ka->items[i], *y = &kb->items[i];
        ck_assert_str_eq(x->id, y->id);
        if (x->kind == FMS_ITEM_FORMULA)
            continue;
        /* B's noise does not depend on A's value; everything else must move. */
        int b_noise = strstr(x->id, "a.B") != NULL || strstr(x->id, "b.B") != NULL;
        /* At t = 0 the noise is x_t itself, whatever the data. */
        b_noise = b_noise || strncmp(x->id, "1.1a.", 5) == 0;
        if (!b_noise)
            ck_assert_msg(x->value != y->value || x->log_value != y->log_value, "%s did not change", x->id);
    }
    fms_key_free(ka);
    fms_key_free(kb);
    fms_exset_free(a);
    fms_exset_free(b);
    free(copy);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("key");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_values);
    tcase_add_test(tc, variant_values);
    tcase_add_test(tc, changing_the_data_changes_every_number);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

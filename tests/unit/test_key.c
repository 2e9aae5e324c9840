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

/* A set in memory: the seed's data and the given exercise sections. */
static fms_exset *load_text(const char *sections)
{
    char text[2048];
    snprintf(text, sizeof text, "[set]\ntitle = t\n[data]\nA = 0.5, 0.5\nB = -0.5, 0.5\n%s", sections);
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_exset_load_string("mem", text, strlen(text), &set, &err) == FMS_OK, "%s", err.msg);
    return set;
}

static void value_of(const fms_key *key, const char *id, char out[FMS_KEY_VALUE_MAX])
{
    const fms_key_item *it = fms_key_find(key, id);
    ck_assert_msg(it != NULL, "no key item %s", id);
    fms_key_item_value(it, out);
}

START_TEST(tiny_values_are_numbers_with_right_digits)
{
    /* Issue 9 (11): at t = 0.999, x_t = A, v = w_B·u_B = −8.0591516071881873095e-216928
     * (40-digit mpmath) underflows a double; (13): ℓ_B ≈ −5·10^5 leaves about 11
     * digits, and the key prints no more. */
    fms_exset *set = load_text("[1.1]\nt = 0.999\nx_t = 0.5\nparts = eps, target, share, limit\n"
                               "[1.2]\nt = 0.9\nx_t = 0.45\nparts = eps, limit\n");
    fms_key *key = NULL;
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    char v[FMS_KEY_VALUE_MAX];
    value_of(key, "1.1d", v);
    ck_assert_msg(strncmp(v, "-8.05915160", 11) == 0 && strcmp(strchr(v, 'e'), "e-216928") == 0, "%s", v);
    ck_assert_int_lt((int)strlen(v), (int)strlen("-8.05915160718819e-216928"));
    ck_assert_double_eq(item(key, "1.1d"), 0.0); /* the double underflows; the key does not */
    value_of(key, "1.1c.B", v);
    ck_assert_msg(strncmp(v, "8.05915160", 10) == 0 && strcmp(strchr(v, 'e'), "e-216931") == 0, "%s", v);
    value_of(key, "1.1b.A", v);
    ck_assert_str_eq(v, "0"); /* x_t is A: u_A = 0 exactly */
    /* x_t = t·x_A in decimal (0.45 = 0.9·0.5): ε_A is 0, not the binary residue 1e-20. */
    value_of(key, "1.2a.A", v);
    ck_assert_str_eq(v, "0");
    value_of(key, "1.2a.B", v);
    ck_assert_str_eq(v, "9");
    value_of(key, "1.2b", v);
    ck_assert_str_eq(v, "0.5"); /* 0.49999999999999997423: 0.5 to 15 digits */
    fms_key_free(key);
    fms_exset_free(set);
}
END_TEST

START_TEST(far_shares_print_only_proven_digits)
{
    /* References (40-digit mpmath): w_Q = 2.0831851591682840741e-17198, w_R = 5.6097921262715049311e-4455.
     * Fifteen digits were printed before, the last three wrong; now every printed digit is right. */
    fms_exset *set = load("tests/data/sets/near-one-tiny-shares.ini");
    fms_key *key = NULL;
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    char v[FMS_KEY_VALUE_MAX];
    value_of(key, "1.3c.Q", v);
    const char *q = "2.0831851591682840741";
    size_t nd = (size_t)(strchr(v, 'e') - v);
    ck_assert_msg(nd >= 10 && strcmp(strchr(v, 'e'), "e-17198") == 0, "%s", v);
    /* the reference rounded to the printed digits: here its next digit is below 5, so a prefix */
    ck_assert_msg(strncmp(v, q, nd) == 0 && q[nd] < '5', "%s against %s", v, q);
    value_of(key, "1.3c.R", v);
    ck_assert_msg(strncmp(v, "5.60979212627", 13) == 0 && strcmp(strchr(v, 'e'), "e-4455") == 0, "%s", v);
    fms_key_free(key);
    fms_exset_free(set);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("key");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_values);
    tcase_add_test(tc, variant_values);
    tcase_add_test(tc, changing_the_data_changes_every_number);
    tcase_add_test(tc, tiny_values_are_numbers_with_right_digits);
    tcase_add_test(tc, far_shares_print_only_proven_digits);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

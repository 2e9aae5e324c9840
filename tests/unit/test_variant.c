/* test_variant.c — exercise templates drawn per seed (variant.h).
 *
 * The pinned texts and indices were computed by a separate Python
 * implementation of the generator documented in variant.h (decimal ranges
 * with Python's decimal module), so they check the definition, not just
 * this code's past output. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_variant *parse(const char *text)
{
    fms_variant *v = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_variant_parse("t.ini", text, strlen(text), &v, &err) == FMS_OK, "%s", err.msg);
    return v;
}

/* The concrete text of v for seed (which must draw). */
static char *draw_text(const fms_variant *v, uint64_t seed)
{
    fms_strbuf b = { 0 };
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_variant_draw(v, seed, &b, NULL, &err) == FMS_OK, "line %ld: %s", err.line, err.msg);
    char *s = fms_strbuf_dup(fms_strbuf_str(&b));
    fms_strbuf_free(&b);
    return s;
}

START_TEST(generator_is_pinned)
{
    ck_assert_uint_eq(fms_variant_index(0, 0, 0, 0, 1000003), 177408);
    ck_assert_uint_eq(fms_variant_index(1, 2, 3, 4, 1000003), 454892);
    ck_assert_uint_eq(fms_variant_index(42, 1, 0, 0, 1000003), 971082);
    ck_assert_uint_eq(fms_variant_index(INT64_MAX, 5, 2, 999, 1000003), 800785);
    ck_assert_uint_eq(fms_variant_index(UINT64_MAX, 0, 0, 0, 1000003), 217646);
    ck_assert_uint_eq(fms_variant_index(7, 1, 2, 3, 1), 0);
}
END_TEST

static const char pinned[] = "[set]\ntitle = Pinned\n[data]\nA = {0.5, 1, 1.5}, 0.5\nB = [-1 : 0.25 : -0.25], {1, 2}\n"
                             "[1.1]\nt = [0 : 0.1 : 0.9]\nx_t = {-0.5, 0, 0.5}\nparts = share\n"
                             "text = At t = ${t} and x_t = ${x_t}.\n";

START_TEST(seeds_are_pinned)
{
    static const struct {
        uint64_t seed;
        const char *text;
    } cases[] = {
        { 0, "[set]\ntitle = Pinned\n[data]\nA = 1.5, 0.5\nB = -0.75, 1\n[1.1]\nt = 0.9\nx_t = 0.5\nparts = share\n"
             "text = At t = 0.9 and x_t = 0.5.\n" },
        { 1, "[set]\ntitle = Pinned\n[data]\nA = 1, 0.5\nB = -1, 2\n[1.1]\nt = 0\nx_t = 0\nparts = share\n"
             "text = At t = 0 and x_t = 0.\n" },
        { 3, "[set]\ntitle = Pinned\n[data]\nA = 1, 0.5\nB = -1, 2\n[1.1]\nt = 0.8\nx_t = -0.5\nparts = share\n"
             "text = At t = 0.8 and x_t = \xE2\x88\x92" "0.5.\n" },
        { INT64_MAX, "[set]\ntitle = Pinned\n[data]\nA = 0.5, 0.5\nB = -0.75, 1\n[1.1]\nt = 0.8\nx_t = 0.5\n"
                     "parts = share\ntext = At t = 0.8 and x_t = 0.5.\n" },
    };
    fms_variant *v = parse(pinned);
    ck_assert_uint_eq(fms_variant_nslots(v), 5);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = draw_text(v, cases[i].seed);
        ck_assert_str_eq(s, cases[i].text);
        free(s);
    }
    fms_variant_free(v);
}
END_TEST

/* The distinct values the first slot of "[data]\nA = SLOT, 1 ..." takes over 300 seeds, joined by spaces. */
static void values_of(const char *slot, char *out, size_t cap)
{
    char text[256];
    snprintf(text, sizeof text, "[data]\nA = %s, 1\n[1.1]\nt = 0\nx_t = 0\nparts = eps\n", slot);
    fms_variant *v = parse(text);
    char seen[64][16];
    size_t n = 0;
    for (uint64_t s = 0; s < 300; s++) {
        char *t = draw_text(v, s);
        char val[16];
        ck_assert_int_eq(sscanf(strstr(t, "A = ") + 4, "%15[^,]", val), 1);
        size_t k = 0;
        while (k < n && strcmp(seen[k], val) != 0)
            k++;
        if (k == n && n < 64)
            strcpy(seen[n++], val);
        free(t);
    }
    /* In the order of the values (they are drawn in any order). */
    out[0] = '\0';
    for (size_t done = 0; done < n; done++) {
        size_t best = n;
        for (size_t k = 0; k < n; k++)
            if (seen[k][0] && (best == n || strtod(seen[k], NULL) < strtod(seen[best], NULL)))
                best = k;
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", done ? " " : "", seen[best]);
        seen[best][0] = '\0';
    }
    fms_variant_free(v);
}

START_TEST(ranges_are_decimal)
{
    char got[512];
    values_of("[-1 : 0.25 : 1]", got, sizeof got);
    ck_assert_str_eq(got, "-1 -0.75 -0.5 -0.25 0 0.25 0.5 0.75 1");
    values_of("[0.1 : 0.1 : 0.3]", got, sizeof got); /* 0.1 + 0.2 is 0.3 here */
    ck_assert_str_eq(got, "0.1 0.2 0.3");
    values_of("[1.05 : 0.1 : 1.3]", got, sizeof got); /* HI need not be reached */
    ck_assert_str_eq(got, "1.05 1.15 1.25");
    values_of("[ -2 : 2 : 2 ]", got, sizeof got);
    ck_assert_str_eq(got, "-2 0 2");
    values_of("{ 2.5e-3 , 7 }", got, sizeof got); /* choices as typed */
    ck_assert_str_eq(got, "2.5e-3 7");
    values_of("[5 : 1 : 5]", got, sizeof got);
    ck_assert_str_eq(got, "5");
}
END_TEST

/* log of the shares of a point exercise, computed here from the definitions
 * (engine.h) in long double, independently of the engine. */
static void shares(const fms_exset *set, const fms_exercise *x, long double *logw)
{
    const fms_data *d = set->data;
    long double a[16], m = -INFINITY, sum = 0;
    ck_assert_uint_le(d->n, 16);
    for (size_t k = 0; k < d->n; k++) {
        long double eps = (x->x_t_l - x->t_l * d->x_l[k]) / x->one_minus_t_l;
        a[k] = d->log_prob_l[k] - eps * eps / 2;
        if (a[k] > m)
            m = a[k];
    }
    for (size_t k = 0; k < d->n; k++)
        sum += expl(a[k] - m);
    for (size_t k = 0; k < d->n; k++)
        logw[k] = a[k] - m - logl(sum);
}

/* The k-th largest of n log shares (k = 0: the largest). */
static long double kth_largest(const long double *lw, size_t n, size_t k)
{
    long double sorted[16];
    memcpy(sorted, lw, n * sizeof *lw);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (sorted[j] > sorted[i]) {
                long double t = sorted[i];
                sorted[i] = sorted[j];
                sorted[j] = t;
            }
    return sorted[k];
}

START_TEST(thousand_variants_keep_their_sections)
{
    size_t len;
    char *text = fms_read_source("exercises/discussion11-variants.ini", &len);
    fms_variant *v = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_variant_parse("discussion11-variants.ini", text, len, &v, &err), FMS_OK);
    free(text);
    int distinct_t13 = 0;
    double first_t13 = -1;
    for (uint64_t seed = 0; seed < 1000; seed++) {
        fms_exset *set = NULL;
        ck_assert_msg(fms_variant_draw(v, seed * 0x9E3779B97F4A7C15ULL, NULL, &set, &err) == FMS_OK,
                      "seed %llu: line %ld: %s", (unsigned long long)seed, err.line, err.msg);
        const fms_exercise *x11 = &set->ex[fms_exset_find(set, "1.1")];
        const fms_exercise *x12 = &set->ex[fms_exset_find(set, "1.2")];
        const fms_exercise *x13 = &set->ex[fms_exset_find(set, "1.3")];
        long double lw[16];
        /* 1.1: keep = t0, prior */
        ck_assert(x11->t_l == 0.0L);
        shares(set, x11, lw);
        for (size_t k = 0; k < set->data->n; k++)
            ck_assert_close((double)lw[k], set->data->log_prob[k], 0, 1e-12);
        /* 1.2: keep = mixed(0.01) */
        shares(set, x12, lw);
        for (size_t k = 0; k < set->data->n; k++)
            ck_assert((double)lw[k] >= log(0.01));
        /* 1.3: keep = identifies(1e-10); its x_t is 1.1's */
        shares(set, x13, lw);
        long double runner = kth_largest(lw, 2, 1);
        ck_assert(kth_largest(lw, 2, 0) > logl(0.5L));
        ck_assert_msg(runner < logl(1e-10L), "seed %llu: runner-up share exp(%Lg)", (unsigned long long)seed, runner);
        ck_assert(x13->x_t_l == x11->x_t_l);
        if (first_t13 < 0)
            first_t13 = x13->t;
        distinct_t13 |= x13->t != first_t13;
        fms_exset_free(set);
    }
    ck_assert(distinct_t13); /* the seeds do draw */
    fms_variant_free(v);
}
END_TEST

START_TEST(thousand_three_point_variants)
{
    size_t len;
    char *text = fms_read_source("exercises/three-points-unequal-variants.ini", &len);
    fms_variant *v = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_variant_parse("three-points-unequal-variants.ini", text, len, &v, &err), FMS_OK);
    free(text);
    for (uint64_t seed = 0; seed < 1000; seed++) {
        fms_exset *set = NULL;
        ck_assert_msg(fms_variant_draw(v, seed, NULL, &set, &err) == FMS_OK, "seed %llu: line %ld: %s",
                      (unsigned long long)seed, err.line, err.msg);
        long double lw[16];
        size_t n = set->data->n;
        ck_assert_uint_eq(n, 3);
        shares(set, &set->ex[fms_exset_find(set, "1.1")], lw); /* keep = mixed(1e-3) */
        ck_assert(kth_largest(lw, n, n - 1) >= logl(1e-3L));
        shares(set, &set->ex[fms_exset_find(set, "1.2")], lw); /* keep = toward(B) */
        ck_assert(lw[1] == kth_largest(lw, n, 0));
        shares(set, &set->ex[fms_exset_find(set, "1.3")], lw); /* keep = identifies(1e-6) */
        ck_assert(kth_largest(lw, n, 1) < logl(1e-6L));
        fms_exset_free(set);
    }
    fms_variant_free(v);
}
END_TEST

START_TEST(keep_redraws_only_its_section)
{
    /* 1.1 keeps nothing; 1.3 must identify a point, which only its larger t do. */
    const char text[] = "[data]\nA = 0.5, 0.5\nB = -0.5, 0.5\n[1.1]\nt = {0, 0.5}\nx_t = 0.5\nparts = share\n"
                        "[1.3]\nt = {0.1, 0.2, 0.9}\nx_t = 0.5\nkeep = identifies(1e-10)\nparts = share\n";
    fms_variant *v = parse(text);
    for (uint64_t seed = 0; seed < 50; seed++) {
        char *s = draw_text(v, seed);
        ck_assert_ptr_nonnull(strstr(s, "t = 0.9\nx_t = 0.5\n; keep = identifies(1e-10)\n"));
        /* The keep line became a comment; lines stay where they were. */
        size_t lines = 0;
        for (const char *c = s; *c; c++)
            lines += *c == '\n';
        ck_assert_uint_eq(lines, 12);
        free(s);
    }
    fms_variant_free(v);
}
END_TEST

START_TEST(unsatisfiable_keeps_are_errors)
{
    static const struct {
        const char *text;
        long line;
        const char *msg;
    } cases[] = {
        { "[data]\nA = 0.5\nB = -0.5\n[1.1]\nt = {0.1, 0.2}\nx_t = 0\nkeep = identifies(1e-10)\nparts = share\n", 7,
          "none of 1000 draws of [1.1]" },
        { "[data]\nA = {0.5, 1}\nB = -0.5\n[1.1]\nt = 0.5\nx_t = 0\nkeep = t0\nparts = share\n", 7,
          "has no choice of its own" },
        { "[data]\nA = 0.5\n[1.1]\nt = {0, 0.5}\nx_t = 0\nkeep = toward(Z)\nparts = share\n", 6, "names no data point" },
        { "[data]\nA = 0.5\n[1.1]\nt = 0\nx_t = 0\nparts = share\n[1.2]\ncompare = 1.1, 1.1\n", 8, "twice" },
        { "[data]\nA = 0.5\n[1.1]\nt = 0\nx_t = 0\nparts = eps\n[2.1]\nkind = euler_eps\nkeep = t0\n", 9,
          "only for point exercises" },
        { "[data]\nA = 0.5\n[1.1]\nt = [0 : 0.5 : 1]\nx_t = 0\nparts = eps\n", 4, "(in the variant drawn for seed" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fms_variant *v = parse(cases[i].text);
        fms_error err;
        fms_error_clear(&err);
        fms_status st = FMS_OK;
        for (uint64_t seed = 0; st == FMS_OK && seed < 20; seed++)
            st = fms_variant_draw(v, seed, NULL, NULL, &err);
        ck_assert_msg(st == FMS_EINVAL, "case %zu: %s", i, err.msg);
        ck_assert_int_eq(err.line, cases[i].line);
        ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL, "case %zu: %s", i, err.msg);
        ck_assert_str_eq(err.file, "t.ini");
        fms_variant_free(v);
    }
}
END_TEST

START_TEST(bad_templates_name_their_line)
{
    static const struct {
        const char *text;
        long line;
        const char *msg;
    } cases[] = {
        { "[data]\nA = {0.5, 1, 0.5\n", 2, "without a closing '}'" },
        { "[data]\nA = {0.5, x}\n", 2, "choice 'x' is not a number" },
        { "[data]\nA = {0.5, , 1}\n", 2, "every choice must be a number" },
        { "[data]\nA = {}\n", 2, "every choice must be a number" },
        { "[data]\nA = [0 : 1]\n", 2, "is not a range" },
        { "[data]\nA = [0 : 1 : 2 : 3]\n", 2, "is not a range" },
        { "[data]\nA = [0 : 1e-3 : 2]\n", 2, "is not a range" },
        { "[data]\nA = [0 : 0 : 2]\n", 2, "the step must be positive" },
        { "[data]\nA = [2 : 1 : 0]\n", 2, "HI is below LO" },
        { "[data]\nA = [0 : 0.0000000001 : 100000000000]\n", 2, "too many digits" },
        { "[data]\nA = [0 : 1 : 1000000000000]\n", 2, "more than 10^9 values" },
        { "[data]\nA = 1\n[1.1]\nkeep = t1\n", 4, "unknown predicate 't1'" },
        { "[data]\nA = 1\n[1.1]\nkeep = identifies(2)\n", 4, "between 0 and 1" },
        { "[data]\nA = 1\n[1.1]\nkeep = identifies\n", 4, "needs an argument" },
        { "[data]\nA = 1\n[1.1]\nkeep = t0(1)\n", 4, "takes no argument" },
        { "[data]\nA = 1\n[1.1]\nkeep = t0,\n", 4, "an empty predicate" },
        { "[data]\nA = 1\n[1.1]\nkeep = t0\nkeep = prior\n", 5, "keep is given twice" },
        { "[data]\nA = 1\nkeep = t0\n", 3, "keep belongs in an exercise section" },
        { "[data]\nA = 1\n[1.1]\nkeep = t0\n  , prior\n", 5, "does not continue" },
        { "[data]\nA = 1\n[1.1]\nx_t = ${y}\n", 4, "[1.1] has no key 'y'" },
        { "[data]\nA = 1\n[1.1]\nx_t = ${2.1:t}\n", 4, "there is no section [2.1]" },
        { "[data]\nA = 1\n[1.1]\nt = ${x_t}\nx_t = ${t}\n", 4, "cycle" },
        { "[data]\nA = 1\n\0[1.1]\n", 3, "NUL" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fms_variant *v = NULL;
        fms_error err;
        fms_error_clear(&err);
        size_t len = strlen(cases[i].text);
        if (strcmp(cases[i].msg, "NUL") == 0)
            len += 1 + strlen(cases[i].text + len + 1);
        fms_status st = fms_variant_parse("bad.ini", cases[i].text, len, &v, &err);
        ck_assert_msg(st == FMS_EINVAL, "case %zu parsed", i);
        ck_assert_msg(err.line == cases[i].line, "case %zu: line %ld, not %ld (%s)", i, err.line, cases[i].line, err.msg);
        ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL, "case %zu: %s", i, err.msg);
        ck_assert_ptr_null(v);
    }
}
END_TEST

START_TEST(plain_files_and_line_ends)
{
    /* A file without choices is its own variant, byte for byte. */
    fms_variant *v = NULL;
    ck_assert_int_eq(fms_variant_load_builtin(&v, NULL), FMS_OK);
    ck_assert_uint_eq(fms_variant_nslots(v), 0);
    size_t len;
    const char *builtin = fms_exset_builtin_text(&len);
    char *s = draw_text(v, 12345);
    ck_assert_str_eq(s, builtin);
    free(s);
    fms_variant_free(v);
    /* A byte-order mark goes, CRLF becomes LF, comments and free text stay; braces in text are text. */
    v = parse("\xEF\xBB\xBF[data]\r\nA = {1} ; one choice\r\n[1.1]\r\nt = 0\r\nx_t = ${data:A}\r\n"
              "parts = eps\r\ntext = {not a choice} [nor a range] at x_t = ${x_t}\r\n    and ${1.1:t}.\r\n");
    s = draw_text(v, 0);
    ck_assert_str_eq(s, "[data]\nA = 1 ; one choice\n[1.1]\nt = 0\nx_t = 1\nparts = eps\n"
                        "text = {not a choice} [nor a range] at x_t = 1\n    and 0.\n");
    free(s);
    fms_variant_free(v);
}
END_TEST

START_TEST(draws_give_loadable_sets)
{
    fms_variant *v = parse(pinned);
    fms_exset *set = NULL;
    fms_strbuf text = { 0 };
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_variant_draw(v, 3, &text, &set, &err), FMS_OK);
    ck_assert_str_eq(set->source, "t.ini");
    ck_assert_str_eq(set->ex[0].text, "At t = 0.8 and x_t = \xE2\x88\x92" "0.5.");
    ck_assert(set->ex[0].x_t_l == -0.5L);
    fms_exset *again = NULL;
    ck_assert_int_eq(fms_exset_load_string("again", fms_strbuf_str(&text), text.len, &again, &err), FMS_OK);
    ck_assert(again->ex[0].t_l == set->ex[0].t_l);
    fms_exset_free(again);
    fms_exset_free(set);
    fms_strbuf_free(&text);
    fms_variant_free(v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("variant");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, generator_is_pinned);
    tcase_add_test(tc, seeds_are_pinned);
    tcase_add_test(tc, ranges_are_decimal);
    tcase_add_test(tc, thousand_variants_keep_their_sections);
    tcase_add_test(tc, thousand_three_point_variants);
    tcase_add_test(tc, keep_redraws_only_its_section);
    tcase_add_test(tc, unsatisfiable_keeps_are_errors);
    tcase_add_test(tc, bad_templates_name_their_line);
    tcase_add_test(tc, plain_files_and_line_ends);
    tcase_add_test(tc, draws_give_loadable_sets);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

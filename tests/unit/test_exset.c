/* test_exset.c — exercise sets from INI files (exset.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

START_TEST(builtin_sheet)
{
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_load_builtin(&set, &err), FMS_OK);
    ck_assert_str_eq(set->title, "Flow Matching II (Discussion 11)");
    ck_assert_uint_eq(set->data->n, 2);
    ck_assert_uint_eq(set->n, 6);
    const fms_exercise *x = &set->ex[fms_exset_find(set, "1.3")];
    ck_assert_int_eq(x->kind, FMS_EX_POINT);
    ck_assert_double_eq(x->t, 0.9);
    ck_assert_uint_eq(x->nparts, 4);
    ck_assert_int_eq(x->parts[2].kind, FMS_PART_SHARE);
    /* A question continued on an indented line is joined with a space. */
    ck_assert_str_eq(x->parts[2].question,
                     "How often does the training loop produce supervision toward A vs. toward B at this (x_t, t)?");
    const fms_exercise *c = &set->ex[fms_exset_find(set, "1.4")];
    ck_assert_int_eq(c->kind, FMS_EX_COMPARE);
    ck_assert_str_eq(set->ex[c->compare[1]].id, "1.3");
    ck_assert_int_eq(set->ex[fms_exset_find(set, "2.2")].kind, FMS_EX_EULER_EPS);
    fms_exset_free(set);
}
END_TEST

START_TEST(resolve_ids)
{
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    long ex, part;
    fms_error err;
    ck_assert_int_eq(fms_exset_resolve(set, "1.3c", &ex, &part, NULL), FMS_OK);
    ck_assert_str_eq(set->ex[ex].id, "1.3");
    ck_assert_int_eq(part, 2);
    ck_assert_int_eq(fms_exset_resolve(set, "2.1", &ex, &part, NULL), FMS_OK);
    ck_assert_int_eq(part, -1);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_resolve(set, "1.2d", &ex, &part, &err), FMS_ENOTFOUND);
    ck_assert_str_eq(err.msg, "exercise 1.2 has parts a to c; there is no part d");
    ck_assert_int_eq(fms_exset_resolve(set, "9.9", &ex, &part, NULL), FMS_ENOTFOUND);
    ck_assert_int_eq(fms_exset_resolve(set, "", &ex, &part, NULL), FMS_ENOTFOUND);
    ck_assert_int_eq(fms_exset_resolve(set, "2.1a", &ex, &part, NULL), FMS_ENOTFOUND);
    fms_exset_free(set);
}
END_TEST

/* Each bad file must fail at the named line with a message containing the text. */
static const struct {
    const char *file;
    long line;
    const char *text;
} bad_files[] = {
    { "junk_line.ini", 3, "expected 'name = value'" },
    { "t_one.ini", 5, "t = 1 is outside [0, 1)" },
    { "t_negative.ini", 5, "t = -0.2 is outside [0, 1)" },
    { "xt_word.ini", 6, "x_t = 'half' is not a number" },
    { "missing_xt.ini", 4, "has no x_t" },
    { "unknown_part.ini", 7, "unknown part kind 'velocity'" },
    { "dup_label.ini", 3, "data label 'A' is used twice (first at line 2)" },
    { "zero_prob.ini", 3, "must be positive, not 0" },
    { "no_data.ini", 0, "there is no [data] section" },
    { "compare_unknown.ini", 10, "compare names '1.9'" },
    { "dup_key.ini", 6, "'t' is given twice in [1.1]" },
    { "t_nan.ini", 5, "t = 'nan' is not a number" },
    { "xt_huge.ini", 6, "too large" },
    { "unknown_key.ini", 8, "unknown key 'typo'" },
    { "open_section.ini", 4, "expected 'name = value'" },
    { "nul_byte.ini", 2, "NUL byte" },
    { "empty.ini", 0, "there is no [data] section" },
    { "long_line.ini", 7, "line is too long" },
    /* Strict UTF-8 (base/utf8.h): a surrogate and an overlong form are refused. */
    { "text_surrogate.ini", 10, "'a' in [1.1] is not valid UTF-8 text" },
    { "title_overlong.ini", 3, "the title is not valid UTF-8 text" },
};

START_TEST(bad_files_fail_at_their_line)
{
    char path[4096];
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        snprintf(path, sizeof path, "%s/tests/data/bad/%s", FMS_SRCDIR, bad_files[i].file);
        fms_exset *set = (fms_exset *)1;
        fms_error err;
        fms_error_clear(&err);
        fms_status st = fms_exset_load_file(path, &set, &err);
        ck_assert_msg(st == FMS_EINVAL, "%s: status %d", bad_files[i].file, st);
        ck_assert_ptr_null(set);
        ck_assert_msg(err.line == bad_files[i].line, "%s: line %ld, expected %ld (%s)", bad_files[i].file, err.line,
                      bad_files[i].line, err.msg);
        ck_assert_msg(strstr(err.msg, bad_files[i].text) != NULL, "%s: message '%s'", bad_files[i].file, err.msg);
        ck_assert_str_eq(err.file, path);
    }
}
END_TEST

START_TEST(missing_file)
{
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_load_file("/nonexistent/sheet.ini", &set, &err), FMS_EIO);
    ck_assert(strstr(err.msg, "cannot open") != NULL);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_load_file(FMS_SRCDIR "/tests", &set, &err), FMS_EIO);
}
END_TEST

START_TEST(inline_text_cases)
{
    static const struct {
        const char *text;
        fms_status st;
        long line;
    } cases[] = {
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\n", FMS_OK, 0 },
        { "[data]\r\nA = 1, 2\r\n[1]\r\nt = 0.2\r\nx_t = 1\r\nparts = limit\r\n", FMS_OK, 0 },
        { "\xEF\xBB\xBF[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\n", FMS_OK, 0 },
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\n[1]\nt = 0.3\n", FMS_EINVAL, 7 },
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\ne = What?\n", FMS_EINVAL, 7 },
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\n  continued\n", FMS_EINVAL, 7 },
        { "[data]\nA = 1\n[1]\ncompare = 1, 1\n", FMS_EINVAL, 4 },
        { "[data]\nA = 1\n[1.5a]\nt = 0.2\n", FMS_EINVAL, 3 },
        { "[data]\nA = 1\n[2]\nkind = euler_eps\nt = 0.5\n", FMS_EINVAL, 5 },
        { "[data]\nA = 1\n[2]\nkind = magic\n", FMS_EINVAL, 4 },
        { "[data]\nA = 1\n[1]\nt = 0.2\nx_t = 1\nparts = eps\ntext = \xC3\x28\n", FMS_EINVAL, 7 },
        { "[data]\nA = 1\n[1]\nt = 0.99999999999999999\nx_t = 1\nparts = eps\n", FMS_EINVAL, 4 },
        { "A = 1\n", FMS_EINVAL, 1 },
        { "[data]\nA = 1\n", FMS_EINVAL, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fms_exset *set = NULL;
        fms_error err;
        fms_error_clear(&err);
        fms_status st = fms_exset_load_string("inline", cases[i].text, strlen(cases[i].text), &set, &err);
        ck_assert_msg(st == cases[i].st, "case %zu: status %d (%s)", i, st, err.msg);
        if (st != FMS_OK)
            ck_assert_msg(err.line == cases[i].line, "case %zu: line %ld, expected %ld (%s)", i, err.line,
                          cases[i].line, err.msg);
        fms_exset_free(set);
    }
}
END_TEST

/* The path keys of [set] (schedule, convention, param) and the kinds convert and euler. */
START_TEST(path_keys)
{
    static const char text[] = "[set]\nschedule = vp:0.5, 10\nconvention = data-at-0\nparam = score\n"
                               "[data]\nA = 1\nB = -1, 3\n"
                               "[1]\nt = 1\nx_t = 0.25\nparts = eps, target, limit\n"
                               "[2]\nkind = convert\nfrom = v\nto = epsilon\n"
                               "[3]\nkind = euler\nmodel = x1\n"
                               "[4]\nkind = eps_to_velocity\n[5]\nkind = euler_eps\n";
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_exset_load_string("inline", text, strlen(text), &set, &err) == FMS_OK, "%s", err.msg);
    ck_assert_int_eq(set->schedule.kind, FMS_SCHEDULE_VP);
    ck_assert(set->schedule.param[0] == 0.5L && set->schedule.param[1] == 10.0L);
    ck_assert_int_eq(set->convention, FMS_DATA_AT_0);
    ck_assert_int_eq(set->param, FMS_PARAM_SCORE);
    ck_assert(!fms_exset_seed_path(set));
    ck_assert_int_eq(set->ex[1].kind, FMS_EX_CONVERT);
    ck_assert_int_eq(set->ex[1].from, FMS_PARAM_V);
    ck_assert_int_eq(set->ex[1].to, FMS_PARAM_EPSILON);
    ck_assert_int_eq(set->ex[2].kind, FMS_EX_EULER);
    ck_assert_int_eq(set->ex[2].model, FMS_PARAM_X1);
    /* Off the seed's path the seed's two derivations are the general ones for an ε-model. */
    ck_assert_int_eq(set->ex[3].kind, FMS_EX_CONVERT);
    ck_assert_int_eq(set->ex[3].from, FMS_PARAM_EPSILON);
    ck_assert_int_eq(set->ex[3].to, FMS_PARAM_VELOCITY);
    ck_assert_int_eq(set->ex[4].kind, FMS_EX_EULER);
    ck_assert_int_eq(set->ex[4].model, FMS_PARAM_EPSILON);
    ck_assert_str_eq(fms_exset_kind_name(FMS_EX_CONVERT), "convert");
    ck_assert_str_eq(fms_exset_kind_name(FMS_EX_EULER), "euler");

    /* t = 1 in data-at-0 is pure noise: α = e^(−T/2), σ = √(1 − e^(−T)), T = b + (B − b)/2. */
    fms_component comp[2];
    fms_affine_result res;
    fms_schedule_point pt;
    ck_assert_int_eq(fms_exset_eval_path(set, &set->ex[0], comp, &res, &pt, &err), FMS_OK);
    const double big_t = 0.5 + 9.5 / 2;
    ck_assert_close((double)pt.alpha, exp(-big_t / 2), TOL_TIGHT, 0);
    ck_assert_close((double)pt.sigma, sqrt(-expm1(-big_t)), TOL_TIGHT, 0);
    for (size_t k = 0; k < 2; k++) {
        double eps = (0.25 - (double)pt.alpha * set->data->x[k]) / (double)pt.sigma;
        ck_assert_close(comp[k].eps, eps, TOL_TIGHT, 0);
        /* score target: the conditional score −ε_k/σ */
        ck_assert_close(fms_exset_target(set, &pt, k, &comp[k]), -eps / (double)pt.sigma, TOL_TIGHT, 0);
    }
    fms_exset_free(set);

    /* The seed's path, whatever the param; the default path when [set] says nothing. */
    static const char seed[] = "[set]\nschedule = condot\nparam = v\n[data]\nA = 1\n[1]\nt = 0.5\nx_t = 0\nparts = target\n";
    ck_assert_int_eq(fms_exset_load_string("inline", seed, strlen(seed), &set, NULL), FMS_OK);
    ck_assert(fms_exset_seed_path(set));
    ck_assert_int_eq(set->param, FMS_PARAM_V);
    ck_assert_int_eq(fms_exset_eval_path(set, &set->ex[0], comp, NULL, &pt, NULL), FMS_OK);
    /* v target α·ε − σ·x1 with ε = (0 − 0.5)/0.5 = −1: 0.5·(−1) − 0.5·1 */
    ck_assert_close(fms_exset_target(set, &pt, 0, &comp[0]), -1.0, TOL_EXACT, 0);
    fms_exset_free(set);
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    ck_assert(fms_exset_seed_path(set));
    ck_assert_int_eq(set->param, FMS_PARAM_VELOCITY);
    ck_assert_int_eq(set->ex[fms_exset_find(set, "2.1")].kind, FMS_EX_EPS_TO_VELOCITY);
    fms_exset_free(set);
}
END_TEST

/* Each refused path file fails at its line with a message that names the culprit. */
START_TEST(path_key_errors)
{
    static const struct {
        const char *text;
        long line;
        const char *msg;
    } cases[] = {
        { "[set]\nschedule = cosin\n[data]\nA = 1\n[1]\nkind = euler\nmodel = v\n", 2, "schedule: unknown schedule" },
        { "[set]\nschedule = vp:5,1\n[data]\nA = 1\n[1]\nkind = euler\nmodel = v\n", 2, "schedule:" },
        { "[set]\nschedule = cosine\nschedule = vp\n[data]\nA = 1\n", 3, "'schedule' is given twice in [set]" },
        { "[set]\nschedule = cosine\n  vp\n[data]\nA = 1\n", 3, "does not continue on an indented line" },
        { "[set]\nconvention = data-at-2\n[data]\nA = 1\n", 2, "convention:" },
        { "[set]\nparam = eps\n[data]\nA = 1\n", 2, "param: unknown parameterization 'eps'" },
        { "[set]\nsched = cosine\n[data]\nA = 1\n", 2, "expected title, schedule, convention or param" },
        { "[data]\nA = 1\n[1]\nkind = convert\nfrom = x1\n", 3, "has no to = velocity, epsilon, x1, score or v" },
        { "[data]\nA = 1\n[1]\nkind = convert\nto = x1\n", 3, "has no from =" },
        { "[data]\nA = 1\n[1]\nkind = convert\nfrom = x1\nto = x1\n", 6, "from and to are both x1" },
        { "[data]\nA = 1\n[1]\nkind = convert\nfrom = y1\nto = x1\n", 5, "from: unknown parameterization 'y1'" },
        { "[data]\nA = 1\n[1]\nkind = euler\n", 3, "has no model =" },
        { "[data]\nA = 1\n[1]\nkind = euler\nmodel = v\nfrom = x1\n", 6, "from is only for exercises of kind convert" },
        { "[data]\nA = 1\n[1]\nt = 0.5\nx_t = 1\nparts = eps\nmodel = v\n", 7, "model is only for exercises of kind euler" },
        { "[data]\nA = 1\n[1]\nkind = convert\nfrom = x1\nto = v\nt = 0.5\n", 7, "t is only for point exercises" },
        { "[data]\nA = 1\n[1]\nkind = convert\nfrom = x1\nto = v\nto = score\n", 7, "'to' is given twice in [1]" },
        /* Point exercises off the seed's path: σ > 0 (t = 1 allowed where it is), the velocity defined. */
        { "[set]\nschedule = cosine\n[data]\nA = 1\n[1]\nt = 1\nx_t = 1\nparts = eps\n", 6, "has σ = 0" },
        { "[set]\nconvention = data-at-0\n[data]\nA = 1\n[1]\nt = 0\nx_t = 1\nparts = eps\n", 6, "has σ = 0" },
        { "[set]\nschedule = ve:0.1,2\n[data]\nA = 1\n[1]\nt = 1.5\nx_t = 1\nparts = eps\n", 6, "outside [0, 1]" },
        { "[set]\nschedule = poly:0.5\n[data]\nA = 1\n[1]\nt = 0\nx_t = 1\nparts = eps\n", 6,
          "the velocity of the schedule poly:0.5 is not defined" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fms_exset *set = NULL;
        fms_error err;
        fms_error_clear(&err);
        fms_status st = fms_exset_load_string("inline", cases[i].text, strlen(cases[i].text), &set, &err);
        ck_assert_msg(st == FMS_EINVAL, "case %zu: status %d", i, st);
        ck_assert_msg(err.line == cases[i].line, "case %zu: line %ld, expected %ld (%s)", i, err.line, cases[i].line,
                      err.msg);
        ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL, "case %zu: message '%s'", i, err.msg);
        fms_exset_free(set);
    }
    /* Accepted: ve has σ > 0 at t = 1; poly:0.5's velocity is not asked for with param = x1; data-at-0 at t = 1. */
    static const char *const good[] = {
        "[set]\nschedule = ve:0.1,2\n[data]\nA = 1\n[1]\nt = 1\nx_t = 1\nparts = eps, target, limit\n",
        "[set]\nschedule = poly:0.5\nparam = x1\n[data]\nA = 1\n[1]\nt = 0\nx_t = 1\nparts = eps, target\n",
        "[set]\nconvention = data-at-0\n[data]\nA = 1\n[1]\nt = 1\nx_t = 1\nparts = limit\n",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        fms_exset *set = NULL;
        fms_error err;
        fms_error_clear(&err);
        ck_assert_msg(fms_exset_load_string("inline", good[i], strlen(good[i]), &set, &err) == FMS_OK, "good %zu: %s",
                      i, err.msg);
        fms_exset_free(set);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exset");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, builtin_sheet);
    tcase_add_test(tc, resolve_ids);
    tcase_add_test(tc, bad_files_fail_at_their_line);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, inline_text_cases);
    tcase_add_test(tc, path_keys);
    tcase_add_test(tc, path_key_errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/* test_math.c — the formula tree (answers/math.h): numbers are rounded and
 * marked "=" or "≈" in one place, formulas parse, and the text and TeX
 * writers give what the sheet and KaTeX/pandoc expect; and the claims'
 * predicates (answers/claims.h) on hand-made points. */
#include <string.h>

#include "answers/claims.h"
#include "answers/math.h"
#include "fmsolve.h"
#include "testutil.h"

static char *text_of(fms_math *m, int tex)
{
    fms_strbuf b = { 0 };
    if (tex)
        fms_math_tex(m, &b);
    else
        fms_math_text(m, &b);
    return b.data ? b.data : strdup("");
}

#define CK_FORMULA(tex, want, ...)                                          \
    do {                                                                    \
        fms_math_pool pool_ = { 0 };                                        \
        fms_math *m_ = fms_math_parse(&pool_, __VA_ARGS__);                 \
        ck_assert_msg(m_ != NULL, "does not parse: %s", #__VA_ARGS__);      \
        char *s_ = text_of(m_, tex);                                        \
        ck_assert_str_eq(s_, want);                                         \
        free(s_);                                                           \
        fms_math_pool_free(&pool_);                                         \
    } while (0)

START_TEST(numbers_know_their_exactness)
{
    fms_num_shown s;
    fms_mnum third = fms_mnum_rational(1.0L / 3, 1e-15L), half = fms_mnum_rational(0.5L, 1e-15L);
    fms_math_num_show(&third, &s);
    ck_assert_str_eq(s.digits, "333333");
    ck_assert_int_eq(s.exact, 0);
    fms_math_num_show(&half, &s);
    ck_assert_int_eq(s.exact, 1);
    /* 5 − 1.5·10^-46 rounds to the double 5, but it is not 5. */
    fms_mnum five = fms_mnum_approx(5);
    fms_math_num_show(&five, &s);
    ck_assert_int_eq(s.exact, 0);
    /* An input is shown in full: 0.123456789 keeps every digit. */
    fms_mnum in = fms_mnum_exact(0.123456789L);
    fms_math_num_show(&in, &s);
    ck_assert_str_eq(s.digits, "123456789");
    ck_assert_int_eq(s.exact, 1);
    /* Far below the range of a double. */
    fms_mnum tiny = fms_mnum_sci(-3.6L, -78173003, FMS_NUM_APPROX);
    fms_strbuf b = { 0 };
    fms_math_num_text(&tiny, &b);
    ck_assert_str_eq(b.data, "\xE2\x88\x92" "3.6\xC2\xB7" "10^-78173003");
    fms_strbuf_free(&b);
    /* Rounding up to the next power of ten renormalises: 9.9999996 → 10. */
    fms_mnum nine = fms_mnum_sci(9.9999996L, -401, FMS_NUM_APPROX);
    fms_math_num_tex(&nine, &b);
    ck_assert_str_eq(b.data, "10^{-400}");
    fms_strbuf_free(&b);
}
END_TEST

START_TEST(relations_follow_the_numbers)
{
    fms_mnum third = fms_mnum_rational(1.0L / 3, 1e-15L), half = fms_mnum_rational(0.5L, 1e-15L);
    CK_FORMULA(0, "u = 0.5", "u =~ %n", &half);
    CK_FORMULA(0, "u \xE2\x89\x88 0.333333", "u =~ %n", &third);
    CK_FORMULA(1, "u \\approx 0.333333", "u =~ %n", &third);
    /* A rounded number on the left makes the relation "≈" too. */
    CK_FORMULA(0, "0.333333 \xE2\x89\x88 0.5", "%n =~ %n", &third, &half);
}
END_TEST

START_TEST(tex_reads_in_katex_and_pandoc)
{
    fms_mnum big = fms_mnum_approx(1.8e8L), tiny = fms_mnum_exact(1e-8L), neg = fms_mnum_exact(-0.5L);
    CK_FORMULA(1, "x_{\\text{clean}}", "x_\"clean\"");
    CK_FORMULA(1, "\\max_k x_k - \\min_k x_k", "max_k(x_k) - min_k(x_k)");
    CK_FORMULA(1, "e^{1.8\\cdot 10^{8}}", "e^{%n}", &big);
    CK_FORMULA(1, "\\exp(-(10^{-8})^{2}/2)", "exp(-%n^2/2)", &tiny);
    CK_FORMULA(1, "\\mathbb{E}[x_1 \\mid x_t, t]", "E[x_1 | x_t, t]");
    CK_FORMULA(1, "\\varepsilon_{\\mathrm{only}}", "eps_%l", "only");
    CK_FORMULA(1, "\\hat{\\varepsilon}", "hat(eps)");
    CK_FORMULA(1, "0.9\\cdot (-0.5)", "%n*%n", &(fms_mnum){ .form = FMS_FORM_PLAIN, .mant = 0.9L }, &neg);
    CK_FORMULA(0, "x1 \xE2\x88\x92 \xCE\xB5", "x_1 - eps");
    CK_FORMULA(0, "x_{t + \xCE\x94t}", "x_{t+Dt}");
    CK_FORMULA(0, "0.5\xC2\xB7(\xE2\x88\x92" "0.5)", "%n*%n", &(fms_mnum){ .form = FMS_FORM_PLAIN, .mant = 0.5L }, &neg);
}
END_TEST

START_TEST(bad_formulas_are_refused)
{
    fms_math_pool pool = { 0 };
    ck_assert_ptr_null(fms_math_parse(&pool, "x_t = (1 - t"));
    ck_assert_ptr_null(fms_math_parse(&pool, "log P(j)"));
    ck_assert_ptr_null(fms_math_parse(&pool, "foo(x)"));
    ck_assert_ptr_null(fms_math_parse(&pool, ""));
    fms_math_pool_free(&pool);
}
END_TEST

/* Facts at (x_t, t) for data given as a spec. */
static fms_facts facts(const char *spec, double t, double x_t, fms_data **d, fms_exercise *x)
{
    ck_assert_int_eq(fms_data_parse(spec, d, NULL), FMS_OK);
    memset(x, 0, sizeof *x);
    x->kind = FMS_EX_POINT;
    x->t = t, x->x_t = x_t, x->t_l = t, x->x_t_l = x_t, x->one_minus_t_l = 1.0L - t;
    fms_facts f;
    ck_assert_int_eq(fms_facts_eval(*d, x, &f, NULL), FMS_OK);
    return f;
}

START_TEST(claims_on_hand_made_points)
{
    fms_data *d;
    fms_exercise x;
    fms_claim c;
    /* Symmetric data at x_t = t·mean: equal noises, the posterior is the prior, v = 0. */
    fms_facts f = facts("A=0.5,B=-0.5", 0.5, 0, &d, &x);
    ck_assert(fms_claim_posterior_is_prior(&f, &c));
    ck_assert_str_eq(fms_claim_get(&c, "reason").label, "equal_candidate_noises");
    ck_assert(fms_claim_velocity_zero(&f, &c));
    fms_facts_free(&f);
    fms_data_free(d);
    /* Close to the prior, not equal: a small shift. */
    f = facts("A=0.001,B=-0.001", 0.5, 0.0001, &d, &x);
    ck_assert(!fms_claim_posterior_is_prior(&f, &c));
    ck_assert(fms_claim_posterior_near_prior(&f, &c));
    ck_assert(!fms_claim_velocity_zero(&f, &c));
    fms_facts_free(&f);
    fms_data_free(d);
    /* Three points, C far out: the rare one named is the runner-up among the rare (B), not C. */
    f = facts("A=0,B=3,C=9", 0.9, 0, &d, &x);
    ck_assert(fms_claim_rare(&f, &c));
    ck_assert_str_eq(fms_claim_get(&c, "label").label, "B");
    ck_assert(fms_claim_dominant(&f, &c));
    ck_assert(fms_claim_xhat_near_point(&f, &c));
    ck_assert_str_eq(fms_claim_get(&c, "label").label, "A");
    fms_facts_free(&f);
    fms_data_free(d);
    /* ε = ±9 gives 2/3 : 1/3 through unequal priors only: wide spread, undecided. */
    f = facts("A=1:2,B=-1:1", 0.9, 0, &d, &x);
    ck_assert(fms_claim_posterior_is_prior(&f, &c));
    ck_assert(!fms_claim_dominant(&f, &c));
    fms_facts_free(&f);
    fms_data_free(d);
    /* The mean is a data point at t = 0. */
    f = facts("A=-1,B=0,C=1", 0, 0.3, &d, &x);
    size_t k = 99;
    ck_assert(fms_claim_mean_is_point(&f, &c, &k));
    ck_assert_uint_eq(k, 1);
    fms_facts_free(&f);
    fms_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("math");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, numbers_know_their_exactness);
    tcase_add_test(tc, relations_follow_the_numbers);
    tcase_add_test(tc, tex_reads_in_katex_and_pandoc);
    tcase_add_test(tc, bad_formulas_are_refused);
    tcase_add_test(tc, claims_on_hand_made_points);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

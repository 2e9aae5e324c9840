/* test_exact.c — bounded evaluation (exact.h).  The reference values were
 * computed from the definitions with 40-digit mpmath (python3-mpmath); each
 * check asks that the reference lie within the bound the module reports, and
 * that the bound be tight enough for the digits the key needs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

/* The seed's data, A = 0.5 and B = −0.5 with equal probabilities. */
static fms_data *seed_data(void)
{
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_parse("A=0.5,B=-0.5", &d, NULL), FMS_OK);
    return d;
}

/* Evaluates at (x_t, t) given as decimal text, as the exercise files do. */
static void eval_text(const fms_data *d, const char *t, const char *x, fms_exact_component *comp,
                      fms_exact_posterior *post)
{
    long double tl, om, xl;
    ck_assert_int_eq(fms_numfmt_parse_ld(t, &tl), FMS_OK);
    ck_assert_int_eq(fms_numfmt_parse_one_minus(t, &om), FMS_OK);
    ck_assert_int_eq(fms_numfmt_parse_ld(x, &xl), FMS_OK);
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_exact_eval(d, tl, om, xl, comp, post, &err) == FMS_OK, "%s", err.msg);
}

/* eval_text on the seed's data. */
static void eval_seed(const char *t, const char *x, fms_exact_component comp[2], fms_exact_posterior *post)
{
    fms_data *d = seed_data();
    eval_text(d, t, x, comp, post);
    fms_data_free(d);
}

/* Asserts that the reference m_ref·10^e_ref lies within x's bound, and that the bound is below max_rel. */
static void assert_within(const fms_sci *x, long double m_ref, long long e_ref, double max_rel, const char *what)
{
    ck_assert_msg(x->rel_err <= max_rel, "%s: bound %g above %g", what, x->rel_err, max_rel);
    long double m = x->mant;
    long long e = x->e10;
    while (e < e_ref) { /* bring both to the reference's power of ten */
        m /= 10.0L;
        e++;
    }
    while (e > e_ref) {
        m *= 10.0L;
        e--;
    }
    long double diff = fabsl(m - m_ref);
    ck_assert_msg(diff <= (long double)x->rel_err * fabsl(m) * 1.0001L + 1e-18L * fabsl(m),
                  "%s: %.20Lge%lld against %.20Lge%lld, bound %g", what, x->mant, x->e10, m_ref, e_ref, x->rel_err);
}

static int is_exact_zero(const fms_sci *x)
{
    return x->mant == 0.0L && x->rel_err == 0.0;
}

START_TEST(seed_1_3_velocity_is_v_not_zero)
{
    /* Issue 9 (10): (x_t − ε̂)/t printed 0 for v = −2.86·10^-19. */
    fms_exact_component c[2];
    fms_exact_posterior p;
    eval_seed("0.9", "0.5", c, &p);
    assert_within(&p.velocity, -2.8625185805493936444L, -19, 1e-16, "v");
    assert_within(&p.velocity_from_eps, -2.8625185805493936444L, -19, 1e-16, "(x_t - eps)/t");
    assert_within(&c[1].weight, 2.8625185805493936444L, -20, 1e-16, "w_B");
    assert_within(&p.eps_mean, 5.0000000000000000026L, -1, 1e-17, "eps_mean");
    ck_assert(is_exact_zero(&c[0].u)); /* x_t is the point A: u_A = 0 exactly */
    char s[FMS_NUM_MAX];
    fms_numfmt_key_sci(&p.velocity, 15, s);
    ck_assert_str_eq(s, "-2.86251858054939e-19");
    fms_numfmt_text_sci(&p.velocity_from_eps, 6, s);
    ck_assert_str_eq(s, "\xE2\x88\x92" "2.86252\xC2\xB7" "10^-19");
}
END_TEST

START_TEST(velocity_below_a_double)
{
    /* Issue 9 (11): v underflows a double; it is carried as mantissa and power of ten. */
    fms_exact_component c[2];
    fms_exact_posterior p;
    eval_seed("0.999", "0.5", c, &p);
    assert_within(&p.velocity, -8.0591516071881873095L, -216928, 1e-10, "v");
    assert_within(&c[1].weight, 8.0591516071881873095L, -216931, 1e-10, "w_B");
    /* ℓ_B ≈ −5·10^5: the bound must cut the key below 15 digits but keep about 11. */
    int digits = fms_numfmt_sci_digits(&p.velocity, 15);
    ck_assert_int_ge(digits, 9);
    ck_assert_int_lt(digits, 15);
    char s[FMS_NUM_MAX];
    fms_numfmt_key_sci(&p.velocity, 15, s);
    ck_assert_msg(strncmp(s, "-8.059151607", 12) == 0 && strstr(s, "e-216928") != NULL, "%s", s);
}
END_TEST

START_TEST(exact_zero_noise_keeps_the_tiny_mean)
{
    /* x_t = t·x_A in decimal (0.45 = 0.9·0.5): ε_A = 0 exactly, so ε̂ = w_B·ε_B = 2.3·10^-17, not 0 ± 1e-20. */
    fms_exact_component c[2];
    fms_exact_posterior p;
    eval_seed("0.9", "0.45", c, &p);
    ck_assert(is_exact_zero(&c[0].eps));
    assert_within(&p.eps_mean, 2.3190813982394828473L, -17, 1e-15, "eps_mean");
    assert_within(&p.velocity, 4.9999999999999997423L, -1, 1e-17, "v");
}
END_TEST

START_TEST(symmetric_sum_is_zero_within_its_bound)
{
    fms_exact_posterior p;
    eval_seed("0.5", "0", NULL, &p);
    ck_assert(p.velocity.mant == 0.0L);
    ck_assert(p.x1_mean.mant == 0.0L);
    ck_assert(p.eps_mean.mant == 0.0L);
    ck_assert_int_le(p.velocity.e10, -17); /* zero to within 10^-17 of terms of size 1 */
    char s[FMS_NUM_MAX];
    fms_numfmt_key_sci(&p.velocity, 15, s);
    ck_assert_str_eq(s, "0");
}
END_TEST

START_TEST(t_zero_has_no_eps_form)
{
    fms_exact_component c[2];
    fms_exact_posterior p;
    eval_seed("0", "0.5", c, &p);
    ck_assert(isnan(p.velocity_from_eps.mant));
    assert_within(&p.velocity, -5.0L, -1, 1e-17, "v"); /* E[x1] − x = 0 − 0.5 */
    assert_within(&c[0].weight, 5.0L, -1, 1e-17, "w_A");
    assert_within(&c[0].eps, 5.0L, -1, 1e-17, "eps_A");
}
END_TEST

START_TEST(log_odds_keep_their_digits)
{
    /* Issue 9 (12): the odds exponent is used in full. */
    fms_data *d = seed_data();
    long double t, om, x;
    fms_numfmt_parse_ld("0.9", &t);
    fms_numfmt_parse_one_minus("0.9", &om);
    fms_numfmt_parse_ld("0.5", &x);
    fms_exact_odds o;
    ck_assert_int_eq(fms_exact_log_odds(d, t, om, x, 0, 1, &o, NULL), FMS_OK);
    ck_assert(fabsl(o.log_odds - 45.0L) <= o.log_odds_err + 1e-18L);
    ck_assert(o.log_odds_err < 1e-16);
    assert_within(&o.odds, 3.4934271057485095348L, 19, 1e-16, "e^45");
    fms_numfmt_parse_ld("0.999", &t);
    fms_numfmt_parse_one_minus("0.999", &om);
    ck_assert_int_eq(fms_exact_log_odds(d, t, om, x, 0, 1, &o, NULL), FMS_OK);
    ck_assert(fabsl(o.log_odds - 499500.0L) <= o.log_odds_err + 1e-12L);
    assert_within(&o.odds, 1.2408253979340349698L, 216930, 1e-11, "e^499500");
    char s[FMS_NUM_MAX];
    fms_numfmt_text_sci(&o.log, 9, s);
    ck_assert_str_eq(s, "499500");
    ck_assert_int_eq(fms_exact_log_odds(d, t, om, x, 0, 2, &o, NULL), FMS_EINVAL);
    fms_data_free(d);
}
END_TEST

START_TEST(unequal_weights_and_errors)
{
    /* The variant sheet's 1.2: t = 0.35, x_t = −0.42 (references from mpmath). */
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_parse("L=-1.25:0.2,M=0.375:0.5,R=2.385:0.3", &d, NULL), FMS_OK);
    fms_exact_component c[3];
    fms_exact_posterior p;
    eval_text(d, "0.35", "-0.42", c, &p);
    assert_within(&p.velocity, 6.254423375460167638042L, -1, 1e-16, "v");
    assert_within(&c[1].weight, 5.860616949832348790031L, -1, 1e-16, "w_M");
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exact_eval(d, 1.0L, 0.0L, 0.0L, c, &p, &err), FMS_EDOM);
    ck_assert_int_eq(fms_exact_eval(NULL, 0.5L, 0.5L, 0.0L, c, &p, &err), FMS_EINVAL);
    fms_data_free(d);
}
END_TEST

static Suite *exact_suite(void)
{
    Suite *s = suite_create("exact");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_1_3_velocity_is_v_not_zero);
    tcase_add_test(tc, velocity_below_a_double);
    tcase_add_test(tc, exact_zero_noise_keeps_the_tiny_mean);
    tcase_add_test(tc, symmetric_sum_is_zero_within_its_bound);
    tcase_add_test(tc, t_zero_has_no_eps_form);
    tcase_add_test(tc, log_odds_keep_their_digits);
    tcase_add_test(tc, unequal_weights_and_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fms_run_suite(exact_suite());
}

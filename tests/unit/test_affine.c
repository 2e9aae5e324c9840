/* test_affine.c — the exact model on a general affine path (affine.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static const char *const all_schedules[] = { "condot", "poly:2", "poly:0.5", "cosine",
                                             "linear-vp", "vp", "ve:0.01,50" };
#define NSCHED (sizeof all_schedules / sizeof all_schedules[0])

static fms_data *parse_data(const char *spec)
{
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_parse(spec, &d, NULL), FMS_OK);
    return d;
}

static fms_schedule_point at_text(const char *name, fms_time_convention c, const char *t)
{
    fms_schedule s;
    fms_schedule_point p;
    ck_assert_int_eq(fms_schedule_parse(name, &s, NULL), FMS_OK);
    ck_assert_int_eq(fms_schedule_eval_text(&s, c, t, &p, NULL), FMS_OK);
    return p;
}

static fms_affine_result eval(const fms_data *d, const fms_schedule_point *p, long double x_t, fms_component *c)
{
    fms_affine_result r;
    fms_error e;
    fms_error_clear(&e);
    ck_assert_msg(fms_affine_eval(d, p, x_t, c, &r, &e) == FMS_OK, "%s", e.msg);
    return r;
}

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* condot reproduces engine.c bit for bit (components and means). */
START_TEST(condot_is_the_engine)
{
    static const char *const sets[] = { "A=0.5,B=-0.5", "L=-1.25:0.2,M=0.375:0.5,R=2.385:0.3",
                                        "a=0.1,b=0.2:2,c=-0.7:3,d=1.9:0.25,e=-2.2,f=0" };
    static const char *const ts[] = { "0", "0.9", "0.5", "0.37", "0.999999999", "0.1234567", "1e-9", "0.8125" };
    static const char *const xs[] = { "0.5", "-0.4995", "1.3", "0", "40", "-2.385", "0.0000000003" };
    fms_component c1[8], c2[8];
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        fms_data *d = parse_data(sets[i]);
        for (size_t j = 0; j < sizeof ts / sizeof ts[0]; j++)
            for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
                long double t, omt, x;
                ck_assert_int_eq(fms_schedule_time_parse(ts[j], &t, &omt, NULL), FMS_OK);
                ck_assert_int_eq(fms_numfmt_parse_ld(xs[k], &x), FMS_OK);
                fms_posterior post;
                ck_assert_int_eq(fms_engine_eval_lt(d, t, omt, x, c1, &post, NULL), FMS_OK);
                fms_schedule_point p = at_text("condot", FMS_DATA_AT_1, ts[j]);
                fms_affine_result r = eval(d, &p, x, c2);
                ck_assert(same(r.value[FMS_PARAM_VELOCITY], post.velocity));
                ck_assert(same(r.value[FMS_PARAM_X1], post.x1_mean));
                ck_assert(same(r.value[FMS_PARAM_EPSILON], post.eps_mean));
                ck_assert(same(r.log_norm, post.log_norm) && r.argmax == post.argmax && !r.limit);
                for (size_t m = 0; m < d->n; m++) {
                    ck_assert(same(c1[m].eps, c2[m].eps) && same(c1[m].u, c2[m].u));
                    ck_assert(same(c1[m].log_score, c2[m].log_score) && same(c1[m].log_weight, c2[m].log_weight));
                    ck_assert(same(c1[m].weight, c2[m].weight) && same(c1[m].weight_mant, c2[m].weight_mant));
                    ck_assert(c1[m].weight_e10 == c2[m].weight_e10);
                }
            }
        fms_data_free(d);
    }
}
END_TEST

/* At α = 0 the posterior is the prior: the sheet's 2.2 limit E[x1] − x_t. */
START_TEST(alpha_zero_is_the_prior)
{
    fms_data *d = parse_data("P=2.385:1,Q=-1.25:2,R=0.125:5");
    const double mean = fms_data_mean(d);
    fms_component c[3];
    for (size_t i = 0; i < 5; i++) { /* the schedules with α(0) = 0 */
        fms_schedule_point p = at_text(all_schedules[i], FMS_DATA_AT_1, "0");
        fms_affine_result r = eval(d, &p, -0.731L, c);
        for (int k = 0; k < 3; k++)
            ck_assert_close(c[k].weight, d->prob[k], TOL(8), 0);
        ck_assert_close(r.value[FMS_PARAM_X1], mean, TOL(16), 0);
        ck_assert_close(r.value[FMS_PARAM_EPSILON], -0.731, TOL(4), 0);
        ck_assert_close(r.value[FMS_PARAM_SCORE], 0.731, TOL(4), 0);
        ck_assert_close(r.value[FMS_PARAM_V], -mean, TOL(16), 0);
    }
    fms_schedule_point p = at_text("condot", FMS_DATA_AT_1, "0");
    ck_assert_close(eval(d, &p, -0.731L, NULL).value[FMS_PARAM_VELOCITY], mean + 0.731, TOL(16), 0);
    p = at_text("cosine", FMS_DATA_AT_1, "0"); /* α̇ = π/2, σ̇ = 0 */
    ck_assert_close(eval(d, &p, -0.731L, NULL).value[FMS_PARAM_VELOCITY], acos(0.0) * mean, TOL(16), 0);
    p = at_text("poly:2", FMS_DATA_AT_1, "0"); /* α̇ = σ̇ = 0 */
    ck_assert(eval(d, &p, -0.731L, NULL).value[FMS_PARAM_VELOCITY] == 0.0);
    /* the ε-model's conversion is undetermined there; the exact model's limit is the answer */
    fms_data *seed = parse_data("A=0.5,B=-0.5");
    fms_param_conversion cv;
    double exact;
    p = at_text("condot", FMS_DATA_AT_1, "0");
    ck_assert_int_eq(fms_affine_convert(seed, &p, FMS_PARAM_EPSILON, FMS_PARAM_VELOCITY, 0.5L, 0.5L, &cv, &exact, NULL),
                     FMS_OK);
    ck_assert(!cv.determined && exact == -0.5);
    fms_data_free(seed);
    fms_data_free(d);
}
END_TEST

/* poly:N with N < 1 at t = 0: the velocity diverges toward E[x1]. */
START_TEST(infinite_rates)
{
    fms_data *d = parse_data("A=0.5,B=-0.25:3");
    fms_schedule_point p = at_text("poly:0.5", FMS_DATA_AT_1, "0");
    fms_component c[2];
    fms_affine_result r = eval(d, &p, 0.3L, c);
    ck_assert(isinf(r.value[FMS_PARAM_VELOCITY]) && r.value[FMS_PARAM_VELOCITY] < 0); /* E[x1] = −1/16 < 0.3 */
    ck_assert(c[0].u == INFINITY && c[1].u == -INFINITY);
    ck_assert(isfinite(r.value[FMS_PARAM_X1]) && isfinite(r.value[FMS_PARAM_SCORE]));
    r = eval(d, &p, -0.0625L, c); /* x_t = E[x1]: not determined here */
    ck_assert(isnan(r.value[FMS_PARAM_VELOCITY]));
    r = eval(d, &p, 0.5L, c); /* u_A is 0 all along x_t = x_A */
    ck_assert(c[0].u == 0.0 && c[1].u == -INFINITY);
    p = at_text("poly:0.5", FMS_DATA_AT_0, "1"); /* the same point in diffusers' time: sign flipped */
    r = eval(d, &p, 0.3L, NULL);
    ck_assert(r.value[FMS_PARAM_VELOCITY] == INFINITY);
    fms_data_free(d);
}
END_TEST

/* σ = 0: the limits t → 1 at fixed x_t. */
START_TEST(sigma_zero_limits)
{
    fms_data *d = parse_data("A=0.5,B=-0.5");
    fms_component c[2];
    fms_schedule_point p = at_text("condot", FMS_DATA_AT_1, "1");
    fms_affine_result r = eval(d, &p, 0.5L, c); /* at a data point */
    ck_assert(r.limit && r.argmax == 0);
    ck_assert(r.value[FMS_PARAM_X1] == 0.5 && r.value[FMS_PARAM_EPSILON] == 0.5 && r.value[FMS_PARAM_V] == 0.5);
    ck_assert(r.value[FMS_PARAM_VELOCITY] == 0.0 && r.value[FMS_PARAM_SCORE] == -INFINITY);
    ck_assert(c[0].weight == 1.0 && c[0].log_weight == 0.0 && c[0].eps == 0.5 && c[0].u == 0.0);
    ck_assert(c[1].weight == 0.0 && c[1].weight_mant == 0.0 && c[1].eps == INFINITY && c[1].u == -INFINITY);
    r = eval(d, &p, 0.3L, c); /* off the data: everything but x̂1 diverges */
    ck_assert(r.value[FMS_PARAM_X1] == 0.5 && r.value[FMS_PARAM_EPSILON] == -INFINITY);
    ck_assert(r.value[FMS_PARAM_VELOCITY] == INFINITY && r.value[FMS_PARAM_SCORE] == INFINITY);
    r = eval(d, &p, 0.0L, c); /* midway, symmetric: 0 for every t */
    ck_assert(r.value[FMS_PARAM_X1] == 0.0 && r.value[FMS_PARAM_EPSILON] == 0.0);
    ck_assert(r.value[FMS_PARAM_VELOCITY] == 0.0 && r.value[FMS_PARAM_SCORE] == 0.0);
    ck_assert(c[0].weight == 0.5 && c[1].weight == 0.5);
    static const struct {
        const char *sched;
        double velocity, score; /* λ·x_k and −κ·x_k at x_t = x_k = 0.5 */
    } limits[] = { { "poly:2", 0.0, -INFINITY }, { "cosine", 0.0, -0.25 }, { "linear-vp", 0.25, -0.25 },
                   { "vp", 0.0125, -0.25 },      { "vp:0.5,7", 0.0625, -0.25 } };
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        p = at_text(limits[i].sched, FMS_DATA_AT_1, "1");
        r = eval(d, &p, 0.5L, NULL);
        ck_assert_close(r.value[FMS_PARAM_VELOCITY], limits[i].velocity, TOL(4), 0);
        ck_assert_close(r.value[FMS_PARAM_SCORE], limits[i].score, TOL(4), 0);
        p = at_text(limits[i].sched, FMS_DATA_AT_0, "0");
        ck_assert_close(eval(d, &p, 0.5L, NULL).value[FMS_PARAM_VELOCITY], -limits[i].velocity, TOL(4), 0);
    }
    /* a tie between unequal points: κ = ∞ picks the larger |x|; κ = ½ weighs log p + x²/4 */
    fms_data *tie = parse_data("A=0.5,B=-0.25:3");
    p = at_text("condot", FMS_DATA_AT_1, "1");
    ck_assert(eval(tie, &p, 0.125L, NULL).value[FMS_PARAM_X1] == 0.5);
    p = at_text("cosine", FMS_DATA_AT_1, "1");
    double la = log(0.25) + 0.0625, lb = log(0.75) + 0.015625;
    double wa = 1.0 / (1.0 + exp(lb - la));
    ck_assert_close(eval(tie, &p, 0.125L, NULL).value[FMS_PARAM_X1], 0.5 * wa - 0.25 * (1 - wa), TOL(16), 0);
    fms_data_free(tie);
    fms_data_free(d);
}
END_TEST

/* The exact model's outputs are each other's conversions, and data-at-0 mirrors data-at-1. */
START_TEST(outputs_are_consistent)
{
    fms_data *d = parse_data("P=2.385:1,Q=-1.25:2,R=0.125:5,S=-0.0625:1.5");
    static const char *const ts[] = { "0.05", "0.3", "0.5", "0.77", "0.95" };
    for (size_t i = 0; i < NSCHED; i++)
        for (size_t j = 0; j < sizeof ts / sizeof ts[0]; j++) {
            fms_schedule_point p = at_text(all_schedules[i], FMS_DATA_AT_1, ts[j]);
            fms_affine_result r = eval(d, &p, 0.4L, NULL);
            for (int q = 0; q < FMS_PARAM_COUNT; q++) {
                fms_param_conversion cv;
                ck_assert_int_eq(fms_param_convert(FMS_PARAM_X1, (fms_param)q, &p, 0.4L, r.value[FMS_PARAM_X1], &cv,
                                                   NULL), FMS_OK);
                double scale = fabs(cv.scale * r.value[FMS_PARAM_X1]) + fabs(cv.offset);
                ck_assert_close(cv.value, r.value[q], 1e-13, 1e-15 * scale);
            }
            char mirrored[32];
            snprintf(mirrored, sizeof mirrored, "%.17g", 1.0 - atof(ts[j]));
            fms_schedule_point m = at_text(all_schedules[i], FMS_DATA_AT_0, mirrored);
            fms_affine_result rm = eval(d, &m, 0.4L, NULL);
            for (int q = 0; q < FMS_PARAM_COUNT; q++)
                ck_assert_close(rm.value[q], (q == FMS_PARAM_VELOCITY ? -1 : 1) * r.value[q], 1e-13, 1e-15);
        }
    fms_data_free(d);
}
END_TEST

START_TEST(errors)
{
    fms_data *d = parse_data("A=0.5,B=-0.5");
    fms_schedule_point p = at_text("cosine", FMS_DATA_AT_1, "0.5");
    fms_affine_result r;
    fms_error e;
    fms_error_clear(&e);
    ck_assert_int_eq(fms_affine_eval(NULL, &p, 0.0L, NULL, &r, &e), FMS_EINVAL);
    ck_assert_int_eq(fms_affine_eval(d, NULL, 0.0L, NULL, &r, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_affine_eval(d, &p, NAN, NULL, &r, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_affine_eval(d, &p, 1e4000L, NULL, &r, NULL), FMS_EDOM);
    fms_schedule s;
    ck_assert_int_eq(fms_schedule_parse("condot", &s, NULL), FMS_OK);
    ck_assert_int_eq(fms_schedule_eval(&s, FMS_DATA_AT_1, 1.0L, 1e-200L, &p, NULL), FMS_OK);
    fms_error_clear(&e);
    ck_assert_int_eq(fms_affine_eval(d, &p, 0.3L, NULL, &r, &e), FMS_ERANGE); /* ε ≈ 1e199 */
    ck_assert_ptr_nonnull(strstr(e.msg, "too large"));
    fms_data *one = parse_data("A=0.5");
    ck_assert_int_eq(fms_schedule_eval(&s, FMS_DATA_AT_1, 1.0L, 2e-155L, &p, NULL), FMS_OK);
    fms_error_clear(&e);
    ck_assert_int_eq(fms_affine_eval(one, &p, 0.3L, NULL, &r, &e), FMS_ERANGE); /* ε² ≈ 1e308 fits, score ≈ 5e308 */
    ck_assert_ptr_nonnull(strstr(e.msg, "score"));
    fms_data_free(one);
    fms_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("affine");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, condot_is_the_engine);
    tcase_add_test(tc, alpha_zero_is_the_prior);
    tcase_add_test(tc, infinite_rates);
    tcase_add_test(tc, sigma_zero_limits);
    tcase_add_test(tc, outputs_are_consistent);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

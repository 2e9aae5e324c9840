/* test_schedule.c — the schedules, their rates and the time convention (schedule.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static const double PI = 3.141592653589793238;

static const char *const all_schedules[] = { "condot", "poly:2", "poly:0.5", "poly:1", "cosine",
                                             "linear-vp", "vp", "vp:0.5,7", "ve:0.01,50" };
#define NSCHED (sizeof all_schedules / sizeof all_schedules[0])

static fms_schedule sched(const char *name)
{
    fms_schedule s;
    fms_error e;
    fms_error_clear(&e);
    ck_assert_msg(fms_schedule_parse(name, &s, &e) == FMS_OK, "%s: %s", name, e.msg);
    return s;
}

static fms_schedule_point at(const char *name, fms_time_convention c, long double t)
{
    fms_schedule s = sched(name);
    fms_schedule_point p;
    ck_assert_int_eq(fms_schedule_eval(&s, c, t, 1.0L - t, &p, NULL), FMS_OK);
    return p;
}

START_TEST(names_round_trip)
{
    static const char *const in[] = { "condot", " poly:2.50 ", "cosine", "linear-vp", "vp", "vp:0.25,1e2",
                                       "ve:1e-2,50" };
    static const char *const want[] = { "condot", "poly:2.5", "cosine", "linear-vp", "vp:0.1,20", "vp:0.25,100",
                                         "ve:0.01,50" };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        fms_schedule s = sched(in[i]), back;
        char name[FMS_SCHEDULE_NAME_MAX], again[FMS_SCHEDULE_NAME_MAX];
        ck_assert_int_eq(fms_schedule_name(&s, name), FMS_OK);
        ck_assert_str_eq(name, want[i]);
        back = sched(name);
        ck_assert_int_eq(back.kind, s.kind);
        ck_assert(back.param[0] == s.param[0] && back.param[1] == s.param[1]);
        ck_assert_int_eq(fms_schedule_name(&back, again), FMS_OK);
        ck_assert_str_eq(again, name);
    }
    fms_schedule d;
    fms_schedule_default(&d);
    ck_assert_int_eq(d.kind, FMS_SCHEDULE_CONDOT);
    ck_assert_ptr_nonnull(strstr(fms_schedule_forms(), "poly:N"));
}
END_TEST

START_TEST(parse_errors_name_the_bad_part)
{
    static const struct {
        const char *text;
        fms_status st;
        const char *needle;
    } bad[] = {
        { "foo", FMS_EINVAL, "'foo'" },          { "poly", FMS_EINVAL, "poly:N" },
        { "poly:0", FMS_EDOM, "N > 0" },         { "poly:-1", FMS_EDOM, "-1" },
        { "poly:x", FMS_EINVAL, "'x'" },         { "poly:2,3", FMS_EINVAL, "1 parameter" },
        { "vp:0.1", FMS_EINVAL, "2 parameters" }, { "vp:3,1", FMS_EDOM, "0 < b < B" },
        { "vp:0.1,", FMS_EINVAL, "''" },         { "vp:1,2000", FMS_EDOM, "1000" },
        { "ve", FMS_EINVAL, "ve:smin,smax" },    { "ve:2,1", FMS_EDOM, "smin < smax" },
        { "ve:0,1", FMS_EDOM, "smin" },          { "condot:1", FMS_EINVAL, "no parameters" },
        { "", FMS_EINVAL, "condot" },            { "poly:1e999", FMS_EDOM, "1e999" },
        { "COSINE", FMS_EINVAL, "cosine" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fms_schedule s = { FMS_SCHEDULE_COSINE, { 7.0L, 8.0L } };
        fms_error e;
        fms_error_clear(&e);
        ck_assert_int_eq(fms_schedule_parse(bad[i].text, &s, &e), bad[i].st);
        ck_assert_msg(strstr(e.msg, bad[i].needle) != NULL, "%s: %s", bad[i].text, e.msg);
        ck_assert_int_eq(s.kind, FMS_SCHEDULE_COSINE); /* unchanged */
    }
    fms_schedule s;
    ck_assert_int_eq(fms_schedule_parse(NULL, &s, NULL), FMS_EINVAL);
    char longname[400];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ck_assert_int_eq(fms_schedule_parse(longname, &s, NULL), FMS_EINVAL);
    fms_schedule broken = { (fms_schedule_kind)99, { 0, 0 } };
    char name[FMS_SCHEDULE_NAME_MAX];
    ck_assert_int_eq(fms_schedule_name(&broken, name), FMS_EINVAL);
}
END_TEST

START_TEST(values_at_simple_points)
{
    fms_schedule_point p = at("condot", FMS_DATA_AT_1, 0.25L);
    ck_assert(p.alpha == 0.25L && p.sigma == 0.75L && p.alpha_dot == 1.0L && p.sigma_dot == -1.0L);
    ck_assert(p.snr_rate == 1.0L && p.norm_rate == -0.5L && p.norm == 0.625L);
    p = at("poly:2", FMS_DATA_AT_1, 0.5L);
    ck_assert_close((double)p.alpha, 0.25, TOL(2), 0);
    ck_assert_close((double)p.sigma, 0.75, TOL(2), 0);
    ck_assert_close((double)p.alpha_dot, 1.0, TOL(2), 0);
    ck_assert_close((double)p.sigma_dot, -1.0, TOL(2), 0);
    p = at("cosine", FMS_DATA_AT_1, 0.5L);
    ck_assert_close((double)p.alpha, sqrt(0.5), TOL(2), 0);
    ck_assert_close((double)p.sigma, sqrt(0.5), TOL(2), 0);
    ck_assert_close((double)p.alpha_dot, PI / 2 * sqrt(0.5), TOL(2), 0);
    p = at("linear-vp", FMS_DATA_AT_1, 0.6L);
    ck_assert_close((double)p.sigma, 0.8, TOL(2), 0);
    ck_assert_close((double)p.sigma_dot, -0.75, TOL(2), 0);
    p = at("vp", FMS_DATA_AT_1, 1.0L);
    ck_assert(p.alpha == 1.0L && p.sigma == 0.0L && isinf(p.sigma_dot) && p.sigma_dot < 0);
    ck_assert_close((double)p.alpha_dot, 0.05, TOL(2), 0);
    p = at("vp", FMS_DATA_AT_1, 0.0L); /* α(0) = e^{−(b+B)/4} */
    ck_assert_close((double)p.alpha, exp(-(0.1 + 20.0) / 4), TOL(8), 0);
    p = at("ve:0.01,50", FMS_DATA_AT_1, 1.0L);
    ck_assert(p.alpha == 1.0L && p.alpha_dot == 0.0L);
    ck_assert_close((double)p.sigma, 0.01, TOL(2), 0);
    p = at("ve:0.01,50", FMS_DATA_AT_1, 0.0L);
    ck_assert_close((double)p.sigma, 50.0, TOL(4), 0);
    ck_assert_close((double)p.sigma_dot, -50.0 * log(5000.0), TOL(8), 0);
}
END_TEST

/* The rates are the derivatives: central differences in long double. */
START_TEST(rates_are_derivatives)
{
    static const long double ts[] = { 0.1L, 0.3L, 0.5L, 0.77L, 0.9L };
    const long double h = 1e-6L;
    for (size_t i = 0; i < NSCHED; i++)
        for (int c = 0; c < 2; c++)
            for (size_t j = 0; j < sizeof ts / sizeof ts[0]; j++) {
                fms_time_convention conv = (fms_time_convention)c;
                fms_schedule_point p = at(all_schedules[i], conv, ts[j]);
                fms_schedule_point lo = at(all_schedules[i], conv, ts[j] - h);
                fms_schedule_point hi = at(all_schedules[i], conv, ts[j] + h);
                double da = (double)((hi.alpha - lo.alpha) / (2 * h));
                double ds = (double)((hi.sigma - lo.sigma) / (2 * h));
                ck_assert_close((double)p.alpha_dot, da, 1e-7, 1e-9);
                ck_assert_close((double)p.sigma_dot, ds, 1e-7, 1e-9);
            }
}
END_TEST

/* W, ρ and R, taken in closed form, are what their definitions give. */
START_TEST(closed_forms_match_definitions)
{
    for (size_t i = 0; i < NSCHED; i++)
        for (int c = 0; c < 2; c++)
            for (int j = 1; j < 20; j++) {
                fms_schedule_point p = at(all_schedules[i], (fms_time_convention)c, j / 20.0L);
                long double w = p.alpha_dot * p.sigma - p.sigma_dot * p.alpha;
                long double rho = p.alpha_dot * p.alpha + p.sigma_dot * p.sigma;
                long double r = p.alpha * p.alpha + p.sigma * p.sigma;
                double scale = (double)(fabsl(p.alpha_dot) + fabsl(p.sigma_dot));
                ck_assert_close((double)p.snr_rate, (double)w, 1e-15, 0);
                ck_assert_close((double)p.norm_rate, (double)rho, 1e-15, 1e-17 * scale);
                ck_assert_close((double)p.norm, (double)r, 1e-15, 0);
                ck_assert((c == 0) == (p.snr_rate > 0)); /* data-at-1: W > 0 inside */
            }
}
END_TEST

/* Near t = 1 the small quantities keep their relative precision. */
START_TEST(stable_near_the_ends)
{
    fms_schedule s = sched("poly:2");
    fms_schedule_point p;
    ck_assert_int_eq(fms_schedule_eval_text(&s, FMS_DATA_AT_1, "0.999999999999", &p, NULL), FMS_OK);
    ck_assert_close((double)p.sigma, 2e-12 - 1e-24, 1e-15, 0); /* 1 − t² = h(2 − h) */
    s = sched("cosine");
    ck_assert_int_eq(fms_schedule_eval_text(&s, FMS_DATA_AT_1, "0.999999999999", &p, NULL), FMS_OK);
    ck_assert_close((double)p.sigma, sin(PI / 2 * 1e-12), 1e-15, 0);
    ck_assert_int_eq(fms_schedule_eval_text(&s, FMS_DATA_AT_1, "1e-12", &p, NULL), FMS_OK);
    ck_assert_close((double)p.alpha, sin(PI / 2 * 1e-12), 1e-15, 0);
    s = sched("linear-vp");
    ck_assert_int_eq(fms_schedule_eval_text(&s, FMS_DATA_AT_1, "0.999999999999", &p, NULL), FMS_OK);
    ck_assert_close((double)p.sigma, sqrt(1e-12 * (2 - 1e-12)), 1e-15, 0);
    s = sched("vp");
    ck_assert_int_eq(fms_schedule_eval_text(&s, FMS_DATA_AT_1, "0.999999999999", &p, NULL), FMS_OK);
    double T = 1e-12 * 0.1 + 0.5e-24 * 19.9;
    ck_assert_close((double)p.sigma, sqrt(-expm1(-T)), 1e-15, 0);
    /* The same time in data-at-0. */
    ck_assert_int_eq(fms_schedule_eval_text(&s, FMS_DATA_AT_0, "1e-12", &p, NULL), FMS_OK);
    ck_assert_close((double)p.sigma, sqrt(-expm1(-T)), 1e-15, 0);
}
END_TEST

START_TEST(convention_mirrors_time_and_rates)
{
    for (size_t i = 0; i < NSCHED; i++)
        for (int j = 0; j <= 10; j++) {
            long double t = j / 10.0L;
            fms_schedule_point a = at(all_schedules[i], FMS_DATA_AT_0, t);
            fms_schedule s = sched(all_schedules[i]);
            fms_schedule_point b;
            ck_assert_int_eq(fms_schedule_eval(&s, FMS_DATA_AT_1, 1.0L - t, t, &b, NULL), FMS_OK);
            ck_assert(a.alpha == b.alpha && a.sigma == b.sigma && a.norm == b.norm);
            ck_assert(a.alpha_dot == -b.alpha_dot && a.sigma_dot == -b.sigma_dot);
            ck_assert(a.snr_rate == -b.snr_rate && a.lim_lambda == -b.lim_lambda);
            ck_assert(a.t == t && a.conv == FMS_DATA_AT_0);
        }
    long double t1, u1, t2, u2;
    fms_schedule_convention_map(FMS_DATA_AT_0, 0.25L, 0.75L, &t1, &u1);
    ck_assert(t1 == 0.75L && u1 == 0.25L);
    fms_schedule_convention_map(FMS_DATA_AT_0, t1, u1, &t2, &u2);
    ck_assert(t2 == 0.25L && u2 == 0.75L);
    fms_schedule_convention_map(FMS_DATA_AT_1, 0.25L, 0.75L, &t1, &u1);
    ck_assert(t1 == 0.25L && u1 == 0.75L);
    ck_assert_int_eq(fms_schedule_convention_sign(FMS_DATA_AT_1), 1);
    ck_assert_int_eq(fms_schedule_convention_sign(FMS_DATA_AT_0), -1);
    fms_time_convention c;
    ck_assert_int_eq(fms_schedule_convention_parse(" data-at-0 ", &c, NULL), FMS_OK);
    ck_assert_int_eq(c, FMS_DATA_AT_0);
    ck_assert_str_eq(fms_schedule_convention_name(c), "data-at-0");
    ck_assert_str_eq(fms_schedule_convention_name(FMS_DATA_AT_1), "data-at-1");
    ck_assert_str_eq(fms_schedule_convention_name((fms_time_convention)5), "?");
    fms_error e;
    fms_error_clear(&e);
    ck_assert_int_eq(fms_schedule_convention_parse("diffusers", &c, &e), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "data-at-1 or data-at-0"));
}
END_TEST

START_TEST(flags_at_the_ends)
{
    static const struct {
        const char *name;
        unsigned at0, at1;
    } want[] = {
        { "condot", FMS_SCHEDULE_ALPHA_ZERO, FMS_SCHEDULE_SIGMA_ZERO },
        { "poly:2", FMS_SCHEDULE_ALPHA_ZERO | FMS_SCHEDULE_RATE_ZERO, FMS_SCHEDULE_SIGMA_ZERO },
        { "poly:0.5", FMS_SCHEDULE_ALPHA_ZERO | FMS_SCHEDULE_RATE_INFINITE, FMS_SCHEDULE_SIGMA_ZERO },
        { "cosine", FMS_SCHEDULE_ALPHA_ZERO, FMS_SCHEDULE_SIGMA_ZERO },
        { "linear-vp", FMS_SCHEDULE_ALPHA_ZERO, FMS_SCHEDULE_SIGMA_ZERO | FMS_SCHEDULE_RATE_INFINITE },
        { "vp", 0, FMS_SCHEDULE_SIGMA_ZERO | FMS_SCHEDULE_RATE_INFINITE },
        { "ve:0.01,50", 0, 0 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        fms_schedule_point p0 = at(want[i].name, FMS_DATA_AT_1, 0.0L), p1 = at(want[i].name, FMS_DATA_AT_1, 1.0L);
        ck_assert_uint_eq(fms_schedule_point_flags(&p0), want[i].at0);
        ck_assert_uint_eq(fms_schedule_point_flags(&p1), want[i].at1);
        /* data-at-0 swaps the ends */
        fms_schedule_point q0 = at(want[i].name, FMS_DATA_AT_0, 0.0L);
        ck_assert_uint_eq(fms_schedule_point_flags(&q0), want[i].at1);
        for (int j = 1; j < 10; j++) {
            fms_schedule_point p = at(want[i].name, FMS_DATA_AT_1, j / 10.0L);
            ck_assert_uint_eq(fms_schedule_point_flags(&p), 0);
        }
    }
    ck_assert_uint_eq(fms_schedule_point_flags(NULL), 0);
}
END_TEST

/* μ, κ, λ are the limits t → 1 of (1 − α)/σ, (1 − α)/σ², α̇ + σ̇(1 − α)/σ. */
START_TEST(limit_constants)
{
    for (size_t i = 0; i < NSCHED - 1; i++) { /* every schedule but ve reaches σ = 0 */
        fms_schedule s = sched(all_schedules[i]);
        fms_schedule_point end = at(all_schedules[i], FMS_DATA_AT_1, 1.0L), p;
        const long double h = 1e-7L; /* 1 − α ≈ 1e-14 keeps 5 digits for cosine */
        ck_assert_int_eq(fms_schedule_eval(&s, FMS_DATA_AT_1, 1.0L - h, h, &p, NULL), FMS_OK);
        long double one_minus_alpha = -expm1l(logl(p.alpha));
        double mu = (double)(one_minus_alpha / p.sigma), kappa = (double)(one_minus_alpha / (p.sigma * p.sigma));
        double lambda = (double)(p.alpha_dot + p.sigma_dot * one_minus_alpha / p.sigma);
        ck_assert_msg(fabs(mu - (double)end.lim_mu) < 1e-3, "%s: mu %g vs %Lg", all_schedules[i], mu, end.lim_mu);
        if (isinf(end.lim_kappa))
            ck_assert(kappa > 1e6);
        else
            ck_assert_msg(fabs(kappa - (double)end.lim_kappa) < 1e-4, "%s: kappa %g", all_schedules[i], kappa);
        ck_assert_msg(fabs(lambda - (double)end.lim_lambda) < 1e-4, "%s: lambda %g vs %Lg", all_schedules[i],
                      lambda, end.lim_lambda);
    }
}
END_TEST

START_TEST(time_errors)
{
    fms_schedule s = sched("cosine");
    fms_schedule_point p;
    long double t, u;
    fms_error e;
    static const char *const bad[] = { "1.5", "-0.1", "abc", "", "0.5x", "1e999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fms_error_clear(&e);
        ck_assert_int_ne(fms_schedule_eval_text(&s, FMS_DATA_AT_1, bad[i], &p, &e), FMS_OK);
        ck_assert(e.msg[0] != '\0');
    }
    ck_assert_int_eq(fms_schedule_time_parse("0.999999999999", &t, &u, NULL), FMS_OK);
    ck_assert(u == 1e-12L);
    ck_assert_int_eq(fms_schedule_eval(&s, FMS_DATA_AT_1, 0.5L, 0.25L, &p, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_schedule_eval(&s, FMS_DATA_AT_1, NAN, 0.5L, &p, NULL), FMS_EDOM);
    ck_assert_int_eq(fms_schedule_eval(&s, (fms_time_convention)3, 0.5L, 0.5L, &p, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_schedule_eval(NULL, FMS_DATA_AT_1, 0.5L, 0.5L, &p, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_schedule_eval_d(&s, FMS_DATA_AT_1, 0.3, &p, NULL), FMS_OK);
    ck_assert_int_eq(fms_schedule_eval_d(&s, FMS_DATA_AT_1, 1.0000001, &p, NULL), FMS_EDOM);
    /* α = t^N underflowing extended precision is reported, not returned as 0 */
    fms_schedule big = sched("poly:900");
    fms_error_clear(&e);
    ck_assert_int_eq(fms_schedule_eval_text(&big, FMS_DATA_AT_1, "1e-12", &p, &e), FMS_ERANGE);
    ck_assert_ptr_nonnull(strstr(e.msg, "alpha"));
}
END_TEST


/* Random text from the names' alphabet: no crash, and whatever parses
 * prints a canonical name that parses back to the same schedule. */
START_TEST(random_names_round_trip)
{
    static const char alphabet[] = "condtplyvecsinar-:.,0123456789e+ \t";
    unsigned long long state = 7;
    int parsed = 0;
    for (int i = 0; i < 20000; i++) {
        char text[48];
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t n = (size_t)(state >> 59) + 6; /* 6 to 37 characters */
        for (size_t j = 0; j < n; j++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            text[j] = alphabet[(state >> 33) % (sizeof alphabet - 1)];
        }
        text[n] = '\0';
        if (i % 3 == 0) /* a known name before the noise */
            memcpy(text, i % 2 ? "vp:" : "poly:", i % 2 ? 3 : 5);
        fms_schedule s, back;
        char name[FMS_SCHEDULE_NAME_MAX];
        fms_param p;
        fms_time_convention c;
        (void)fms_param_parse(text, &p, NULL);
        (void)fms_schedule_convention_parse(text, &c, NULL);
        if (fms_schedule_parse(text, &s, NULL) != FMS_OK)
            continue;
        parsed++;
        ck_assert_int_eq(fms_schedule_name(&s, name), FMS_OK);
        ck_assert_int_eq(fms_schedule_parse(name, &back, NULL), FMS_OK);
        ck_assert(back.kind == s.kind && back.param[0] == s.param[0] && back.param[1] == s.param[1]);
        fms_schedule_point pt;
        fms_status st = fms_schedule_eval(&s, FMS_DATA_AT_1, 0.5L, 0.5L, &pt, NULL);
        ck_assert(st == FMS_OK || (st == FMS_ERANGE && s.kind == FMS_SCHEDULE_POLY)); /* 0.5^N underflows */
    }
    ck_assert_int_gt(parsed, 40);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schedule");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, names_round_trip);
    tcase_add_test(tc, parse_errors_name_the_bad_part);
    tcase_add_test(tc, values_at_simple_points);
    tcase_add_test(tc, rates_are_derivatives);
    tcase_add_test(tc, closed_forms_match_definitions);
    tcase_add_test(tc, stable_near_the_ends);
    tcase_add_test(tc, convention_mirrors_time_and_rates);
    tcase_add_test(tc, flags_at_the_ends);
    tcase_add_test(tc, limit_constants);
    tcase_add_test(tc, time_errors);
    tcase_add_test(tc, random_names_round_trip);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

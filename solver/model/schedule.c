/* schedule.c — see schedule.h for the formulas, domains and numerics. */
#include "model/schedule.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/numfmt.h"

/* The largest vp β_max and the ve range (see schedule.h for why). */
#define VP_B_MAX 1000.0L
#define VE_SIGMA_MIN 1e-100L
#define VE_SIGMA_MAX 1e100L

typedef void (*eval_fn)(const long double *p, long double t, long double omt, fms_schedule_point *o);
typedef fms_status (*check_fn)(const long double *p, fms_error *err);

static void eval_condot(const long double *p, long double t, long double omt, fms_schedule_point *o);
static void eval_poly(const long double *p, long double t, long double omt, fms_schedule_point *o);
static void eval_cosine(const long double *p, long double t, long double omt, fms_schedule_point *o);
static void eval_linear_vp(const long double *p, long double t, long double omt, fms_schedule_point *o);
static void eval_vp(const long double *p, long double t, long double omt, fms_schedule_point *o);
static void eval_ve(const long double *p, long double t, long double omt, fms_schedule_point *o);
static fms_status check_poly(const long double *p, fms_error *err);
static fms_status check_vp(const long double *p, fms_error *err);
static fms_status check_ve(const long double *p, fms_error *err);

/* One row per kind, in the enum's order. */
static const struct kind_info {
    const char *name;
    int nparams;
    const char *form;     /* the accepted form, for messages */
    const char *defaults; /* the parameters when none are given, or NULL when they are required */
    eval_fn eval;
    check_fn check;
} kinds[] = {
    { "condot", 0, "condot", NULL, eval_condot, NULL },
    { "poly", 1, "poly:N (N > 0, e.g. poly:2)", NULL, eval_poly, check_poly },
    { "cosine", 0, "cosine", NULL, eval_cosine, NULL },
    { "linear-vp", 0, "linear-vp", NULL, eval_linear_vp, NULL },
    { "vp", 2, "vp:b,B (0 < b < B <= 1000; plain vp is vp:0.1,20)", "0.1,20", eval_vp, check_vp },
    { "ve", 2, "ve:smin,smax (1e-100 <= smin < smax <= 1e100, e.g. ve:0.01,50)", NULL, eval_ve, check_ve },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const char forms[] = "condot, poly:N, cosine, linear-vp, vp[:b,B] or ve:smin,smax";

const char *fms_schedule_forms(void)
{
    return forms;
}

void fms_schedule_default(fms_schedule *out)
{
    if (out) {
        out->kind = FMS_SCHEDULE_CONDOT;
        out->param[0] = out->param[1] = 0.0L;
    }
}

/* ---- the schedules (data-at-1 time; t and omt = 1 − t both exact) ---- */

/* Fields shared by the schedules whose σ reaches 0 at t = 1. */
static void set_limits(fms_schedule_point *o, long double mu, long double kappa, long double lambda)
{
    o->lim_mu = mu;
    o->lim_kappa = kappa;
    o->lim_lambda = lambda;
}

static void eval_condot(const long double *p, long double t, long double omt, fms_schedule_point *o)
{
    (void)p;
    o->alpha = t;
    o->sigma = omt;
    o->alpha_dot = 1.0L;
    o->sigma_dot = -1.0L;
    o->snr_rate = 1.0L;
    o->norm_rate = t - omt;
    o->norm = t * t + omt * omt;
    set_limits(o, 1.0L, INFINITY, 0.0L);
}

static void eval_poly(const long double *p, long double t, long double omt, fms_schedule_point *o)
{
    const long double n = p[0];
    /* log t from whichever of t and 1 − t is exact and small. */
    const long double logt = omt < 0.5L ? log1pl(-omt) : logl(t);
    o->alpha = expl(n * logt);
    o->sigma = -expm1l(n * logt);
    /* N·t^(N−1): at t = 0, powl gives 0, 1 or +∞ for N > 1, N = 1, N < 1. */
    o->alpha_dot = n * (t == 0.0L ? powl(0.0L, n - 1.0L) : expl((n - 1.0L) * logt));
    o->sigma_dot = -o->alpha_dot;
    o->snr_rate = o->alpha_dot; /* α̇(σ + α) with α + σ = 1 */
    o->norm_rate = o->alpha_dot * (o->alpha - o->sigma);
    o->norm = o->alpha * o->alpha + o->sigma * o->sigma;
    if (isinf(o->alpha_dot)) {
        o->dir_alpha = 1.0L;
        o->dir_sigma = -1.0L;
    }
    set_limits(o, 1.0L, INFINITY, 0.0L);
}

static long double half_pi(void)
{
    return acosl(0.0L);
}

static void eval_cosine(const long double *p, long double t, long double omt, fms_schedule_point *o)
{
    (void)p;
    const long double h = half_pi();
    /* sin and cos of an argument in [0, π/4] only: both well conditioned there. */
    o->alpha = t <= 0.5L ? sinl(h * t) : cosl(h * omt);
    o->sigma = omt <= 0.5L ? sinl(h * omt) : cosl(h * t);
    o->alpha_dot = h * o->sigma;
    o->sigma_dot = -h * o->alpha;
    o->snr_rate = h;
    o->norm_rate = 0.0L;
    o->norm = 1.0L;
    set_limits(o, 0.0L, 0.5L, 0.0L);
}

/* The rates of linear-vp and vp, whose σ̇ = (σ̇σ)/σ and W = (Wσ)/σ are infinite
 * at σ = 0 (t = 1), where (α̇, σ̇) points along (0, −1); α² + σ² = 1. */
static void set_variance_preserving(fms_schedule_point *o, long double sigma_dot_sigma, long double snr_rate_sigma,
                                    long double lambda)
{
    if (o->sigma > 0.0L) {
        o->sigma_dot = sigma_dot_sigma / o->sigma;
        o->snr_rate = snr_rate_sigma / o->sigma;
    } else {
        o->sigma_dot = -INFINITY;
        o->snr_rate = INFINITY;
        o->dir_sigma = -1.0L;
    }
    o->norm_rate = 0.0L;
    o->norm = 1.0L;
    set_limits(o, 0.0L, 0.5L, lambda);
}

static void eval_linear_vp(const long double *p, long double t, long double omt, fms_schedule_point *o)
{
    (void)p;
    o->alpha = t;
    o->sigma = sqrtl(omt * (1.0L + t));
    o->alpha_dot = 1.0L;
    set_variance_preserving(o, -t, 1.0L, 0.5L);
}

static void eval_vp(const long double *p, long double t, long double omt, fms_schedule_point *o)
{
    (void)t;
    const long double b = p[0], big = p[1];
    const long double beta = b + omt * (big - b);
    const long double T = omt * (b + 0.5L * omt * (big - b));
    o->alpha = expl(-0.5L * T);
    o->sigma = sqrtl(-expm1l(-T));
    o->alpha_dot = 0.5L * beta * o->alpha;
    set_variance_preserving(o, -0.5L * beta * o->alpha * o->alpha, 0.5L * beta * o->alpha, 0.25L * b);
}

static void eval_ve(const long double *p, long double t, long double omt, fms_schedule_point *o)
{
    (void)t;
    const long double lr = logl(p[1] / p[0]);
    o->alpha = 1.0L;
    o->sigma = p[0] * expl(omt * lr);
    o->alpha_dot = 0.0L;
    o->sigma_dot = -lr * o->sigma;
    o->snr_rate = lr * o->sigma;
    o->norm_rate = -lr * o->sigma * o->sigma;
    o->norm = 1.0L + o->sigma * o->sigma;
    set_limits(o, 0.0L, 0.0L, 0.0L);
}

/* ---- parameters ---- */

static fms_status check_poly(const long double *p, fms_error *err)
{
    if (!(p[0] > 0.0L))
        return fms_error_set(err, FMS_EDOM, 0, "schedule poly:N needs an exponent N > 0, not %Lg", p[0]);
    return FMS_OK;
}

static fms_status check_vp(const long double *p, fms_error *err)
{
    if (!(p[0] > 0.0L && p[0] < p[1] && p[1] <= VP_B_MAX))
        return fms_error_set(err, FMS_EDOM, 0,
                             "schedule vp:b,B needs 0 < b < B <= %Lg, not b = %Lg, B = %Lg", VP_B_MAX, p[0], p[1]);
    return FMS_OK;
}

static fms_status check_ve(const long double *p, fms_error *err)
{
    if (!(p[0] >= VE_SIGMA_MIN && p[0] < p[1] && p[1] <= VE_SIGMA_MAX))
        return fms_error_set(err, FMS_EDOM, 0,
                             "schedule ve:smin,smax needs %Lg <= smin < smax <= %Lg, not smin = %Lg, smax = %Lg",
                             VE_SIGMA_MIN, VE_SIGMA_MAX, p[0], p[1]);
    return FMS_OK;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies text without surrounding blanks into buf; 0 when it does not fit. */
static int trim_copy(const char *text, char *buf, size_t size)
{
    while (is_blank(*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && is_blank(text[n - 1]))
        n--;
    if (n >= size)
        return 0;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return 1;
}

/* Reads the comma-separated parameters of kind k from list into p. */
static fms_status parse_params(const struct kind_info *k, const char *list, long double p[2], fms_error *err)
{
    char buf[FMS_SCHEDULE_NAME_MAX];
    snprintf(buf, sizeof buf, "%s", list);
    int count = 0;
    for (char *item = buf, *next; item != NULL; item = next) {
        next = strchr(item, ',');
        if (next)
            *next++ = '\0';
        if (count == k->nparams)
            return fms_error_set(err, FMS_EINVAL, 0, "schedule %s takes %d parameter%s, not '%s': use %s", k->name,
                                 k->nparams, k->nparams == 1 ? "" : "s", list, k->form);
        fms_status st = fms_numfmt_parse_ld(item, &p[count]);
        if (st != FMS_OK)
            return fms_error_set(err, st == FMS_ERANGE ? FMS_EDOM : FMS_EINVAL, 0,
                                 "schedule %s: parameter '%s' is not a finite decimal number: use %s", k->name, item,
                                 k->form);
        count++;
    }
    if (count != k->nparams)
        return fms_error_set(err, FMS_EINVAL, 0, "schedule %s takes %d parameters, not '%s': use %s", k->name,
                             k->nparams, list, k->form);
    return k->check ? k->check(p, err) : FMS_OK;
}

fms_status fms_schedule_parse(const char *text, fms_schedule *out, fms_error *err)
{
    char buf[FMS_SCHEDULE_NAME_MAX];
    if (text == NULL || out == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "no schedule given: use %s", forms);
    if (!trim_copy(text, buf, sizeof buf))
        return fms_error_set(err, FMS_EINVAL, 0, "schedule name too long: use %s", forms);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = '\0';
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kind_info *k = &kinds[i];
        if (strcmp(buf, k->name) != 0)
            continue;
        long double p[2] = { 0.0L, 0.0L };
        const char *list = colon ? colon + 1 : k->defaults;
        if (list == NULL && k->nparams > 0)
            return fms_error_set(err, FMS_EINVAL, 0, "schedule %s needs its parameter%s: use %s", k->name,
                                 k->nparams == 1 ? "" : "s", k->form);
        if (list != NULL && k->nparams == 0)
            return fms_error_set(err, FMS_EINVAL, 0, "schedule %s takes no parameters, not '%s'", k->name, list);
        fms_status st = list ? parse_params(k, list, p, err) : FMS_OK;
        if (st != FMS_OK)
            return st;
        out->kind = (fms_schedule_kind)i;
        out->param[0] = p[0];
        out->param[1] = p[1];
        return FMS_OK;
    }
    return fms_error_set(err, FMS_EINVAL, 0, "unknown schedule '%s': use %s", buf, forms);
}

/* The shortest %Lg form of v that reads back (as decimal text) to v, in
 * plain digits for integers below 10^17 ("20", not "2e+01"). */
static void shortest(long double v, char out[FMS_NUM_MAX])
{
    for (int prec = 1; prec <= 21; prec++) {
        long double back;
        snprintf(out, FMS_NUM_MAX, "%.*Lg", prec, v);
        if (fms_numfmt_parse_ld(out, &back) != FMS_OK || back != v)
            continue;
        const int digits = fabsl(v) >= 1.0L && fabsl(v) < 1e17L ? (int)floorl(log10l(fabsl(v))) + 1 : 0;
        if (digits > prec)
            snprintf(out, FMS_NUM_MAX, "%.*Lg", digits, v);
        return;
    }
}

static int schedule_valid(const fms_schedule *s)
{
    if (s == NULL || (unsigned)s->kind >= NKINDS)
        return 0;
    const struct kind_info *k = &kinds[s->kind];
    for (int i = 0; i < k->nparams; i++)
        if (!isfinite(s->param[i]))
            return 0;
    return k->check == NULL || k->check(s->param, NULL) == FMS_OK;
}

fms_status fms_schedule_name(const fms_schedule *s, char out[FMS_SCHEDULE_NAME_MAX])
{
    if (out == NULL || !schedule_valid(s))
        return FMS_EINVAL;
    const struct kind_info *k = &kinds[s->kind];
    char a[FMS_NUM_MAX], b[FMS_NUM_MAX];
    if (k->nparams == 0)
        snprintf(out, FMS_SCHEDULE_NAME_MAX, "%s", k->name);
    else if (k->nparams == 1) {
        shortest(s->param[0], a);
        snprintf(out, FMS_SCHEDULE_NAME_MAX, "%s:%s", k->name, a);
    } else {
        shortest(s->param[0], a);
        shortest(s->param[1], b);
        snprintf(out, FMS_SCHEDULE_NAME_MAX, "%s:%s,%s", k->name, a, b);
    }
    return FMS_OK;
}

/* ---- time and convention ---- */

fms_status fms_schedule_time_parse(const char *text, long double *t, long double *one_minus_t, fms_error *err)
{
    long double v, w;
    if (text == NULL || t == NULL || one_minus_t == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "no time given");
    if (fms_numfmt_parse_ld(text, &v) != FMS_OK || fms_numfmt_parse_one_minus(text, &w) != FMS_OK)
        return fms_error_set(err, FMS_EINVAL, 0, "t = '%s' is not a decimal number", text);
    if (!(v >= 0.0L && v <= 1.0L))
        return fms_error_set(err, FMS_EDOM, 0, "t = %s is outside [0, 1]", text);
    *t = v;
    *one_minus_t = w;
    return FMS_OK;
}

static const char *const conv_names[] = { "data-at-1", "data-at-0" };

fms_status fms_schedule_convention_parse(const char *text, fms_time_convention *out, fms_error *err)
{
    char buf[32];
    if (text != NULL && out != NULL && trim_copy(text, buf, sizeof buf))
        for (int i = 0; i < 2; i++)
            if (strcmp(buf, conv_names[i]) == 0) {
                *out = (fms_time_convention)i;
                return FMS_OK;
            }
    return fms_error_set(err, FMS_EINVAL, 0, "unknown time convention '%.40s': use data-at-1 or data-at-0",
                         text ? text : "");
}

const char *fms_schedule_convention_name(fms_time_convention c)
{
    return (unsigned)c < 2 ? conv_names[c] : "?";
}

void fms_schedule_convention_map(fms_time_convention c, long double t, long double one_minus_t,
                                 long double *t1, long double *one_minus_t1)
{
    const int swap = c == FMS_DATA_AT_0;
    *t1 = swap ? one_minus_t : t;
    *one_minus_t1 = swap ? t : one_minus_t;
}

int fms_schedule_convention_sign(fms_time_convention c)
{
    return c == FMS_DATA_AT_0 ? -1 : 1;
}

/* ---- evaluation ---- */

static fms_status check_time(long double t, long double omt, fms_error *err)
{
    if (!isfinite(t) || !isfinite(omt))
        return fms_error_set(err, FMS_EDOM, 0, "t must be a finite number in [0, 1], not %Lg", t);
    if (!(t >= 0.0L && t <= 1.0L))
        return fms_error_set(err, FMS_EDOM, 0, "t = %Lg is outside [0, 1]", t);
    if (!(omt >= 0.0L && omt <= 1.0L && fabsl((1.0L - t) - omt) <= 1e-15L))
        return fms_error_set(err, FMS_EDOM, 0, "1 - t = %Lg does not match t = %Lg", omt, t);
    return FMS_OK;
}

fms_status fms_schedule_eval(const fms_schedule *s, fms_time_convention conv, long double t,
                             long double one_minus_t, fms_schedule_point *out, fms_error *err)
{
    if (out == NULL || !schedule_valid(s) || (unsigned)conv > FMS_DATA_AT_0)
        return fms_error_set(err, FMS_EINVAL, 0, "invalid schedule, convention or output");
    fms_status st = check_time(t, one_minus_t, err);
    if (st != FMS_OK)
        return st;
    long double t1, omt1;
    fms_schedule_convention_map(conv, t, one_minus_t, &t1, &omt1);
    fms_schedule_point o;
    memset(&o, 0, sizeof o);
    kinds[s->kind].eval(s->param, t1, omt1, &o);
    if ((o.alpha == 0.0L && t1 > 0.0L) || (o.sigma == 0.0L && omt1 > 0.0L))
        return fms_error_set(err, FMS_ERANGE, 0, "%s underflows at t = %Lg for schedule %s",
                             o.alpha == 0.0L ? "alpha" : "sigma", t, kinds[s->kind].name);
    o.conv = conv;
    o.t = t;
    o.one_minus_t = one_minus_t;
    if (conv == FMS_DATA_AT_0) {
        /* d/dt in the caller's time is −d/dt in data-at-1 time. */
        o.alpha_dot = -o.alpha_dot;
        o.sigma_dot = -o.sigma_dot;
        o.snr_rate = -o.snr_rate;
        o.norm_rate = -o.norm_rate;
        o.dir_alpha = -o.dir_alpha;
        o.dir_sigma = -o.dir_sigma;
        o.lim_lambda = -o.lim_lambda;
    }
    *out = o;
    return FMS_OK;
}

fms_status fms_schedule_eval_d(const fms_schedule *s, fms_time_convention conv, double t,
                               fms_schedule_point *out, fms_error *err)
{
    return fms_schedule_eval(s, conv, (long double)t, 1.0L - (long double)t, out, err);
}

fms_status fms_schedule_eval_text(const fms_schedule *s, fms_time_convention conv, const char *t_text,
                                  fms_schedule_point *out, fms_error *err)
{
    long double t, omt;
    fms_status st = fms_schedule_time_parse(t_text, &t, &omt, err);
    return st != FMS_OK ? st : fms_schedule_eval(s, conv, t, omt, out, err);
}

unsigned fms_schedule_point_flags(const fms_schedule_point *p)
{
    if (p == NULL)
        return 0;
    unsigned f = 0;
    if (p->alpha == 0.0L)
        f |= FMS_SCHEDULE_ALPHA_ZERO;
    if (p->sigma == 0.0L)
        f |= FMS_SCHEDULE_SIGMA_ZERO;
    if (p->snr_rate == 0.0L)
        f |= FMS_SCHEDULE_RATE_ZERO;
    if (!isfinite(p->alpha_dot) || !isfinite(p->sigma_dot))
        f |= FMS_SCHEDULE_RATE_INFINITE;
    return f;
}

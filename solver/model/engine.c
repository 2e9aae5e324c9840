/* engine.c — see engine.h for the formulas and the numerics. */
#include "model/engine.h"

#include <float.h>
#include <math.h>

#include "base/numfmt.h"

fms_status fms_engine_check_query(double t, double x_t, fms_error *err)
{
    if (!isfinite(t))
        return fms_error_set(err, FMS_EDOM, 0, "t must be a finite number in [0, 1), not %g", t);
    if (t < 0.0 || t >= 1.0)
        return fms_error_set(err, FMS_EDOM, 0,
                             t == 1.0 ? "t = 1 is outside [0, 1): at t = 1, x_t = x1 and the noise is not identifiable"
                                      : "t = %g is outside [0, 1)", t);
    if (!isfinite(x_t))
        return fms_error_set(err, FMS_EDOM, 0, "x_t must be a finite number, not %g", x_t);
    return FMS_OK;
}

fms_status fms_engine_eval(const fms_data *d, double t, double x_t,
                           fms_component *comp, fms_posterior *post, fms_error *err)
{
    fms_status st = fms_engine_check_query(t, x_t, err);
    if (st != FMS_OK)
        return st;
    return fms_engine_eval_l(d, t, x_t, comp, post, err);
}

/* a_k − a_m without cancellation: (log p_k − log p_m) − (ε_k − ε_m)(ε_k + ε_m)/2,
 * with both factors formed from the inputs rather than from ε_k and ε_m. */
static long double rel_log_score(const fms_data *d, size_t k, size_t m, long double t, long double one_minus_t,
                                 long double x_t)
{
    long double diff = t * (d->x_l[m] - d->x_l[k]) / one_minus_t;               /* ε_k − ε_m */
    long double sum = (2.0L * x_t - t * (d->x_l[k] + d->x_l[m])) / one_minus_t; /* ε_k + ε_m */
    return (d->log_prob_l[k] - d->log_prob_l[m]) - 0.5L * diff * sum;
}

long double fms_engine_noise(const fms_data *d, size_t k, long double t, long double one_minus_t, long double x_t)
{
    long double num = x_t - t * d->x_l[k];
    long double size = fabsl(x_t) + fabsl(t * d->x_l[k]);
    if (num != 0.0L && fabsl(num) <= 8.0L * LDBL_EPSILON * size && fms_numfmt_is_product(x_t, t, d->x_l[k]))
        return 0.0L;
    return num / one_minus_t;
}

fms_status fms_engine_eval_l(const fms_data *d, long double t, long double x_t,
                             fms_component *comp, fms_posterior *post, fms_error *err)
{
    return fms_engine_eval_lt(d, t, 1.0L - t, x_t, comp, post, err);
}

/* The inputs of fms_engine_eval_lt: data, t in [0, 1) (also as a double),
 * a finite x_t, and 1 − t consistent with t. */
static fms_status check_lt(const fms_data *d, long double t, long double one_minus_t, long double x_t,
                           fms_error *err)
{
    if (d == NULL || d->n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "no data points");
    if (!(isfinite(t) && t >= 0.0L && t < 1.0L))
        return fms_engine_check_query((double)t == 1.0 && t < 1.0L ? NAN : (double)t, 0.0, err);
    if (!isfinite(x_t) || !isfinite((double)x_t))
        return fms_engine_check_query(0.0, (double)x_t, err);
    if (!(one_minus_t > 0.0L && one_minus_t <= 1.0L && fabsl((1.0L - t) - one_minus_t) <= 1e-15L))
        return fms_error_set(err, FMS_EDOM, 0, "1 - t = %Lg does not match t = %Lg", one_minus_t, t);
    return FMS_OK;
}

/* Pass 1: the largest unnormalised log weight a_k = log p_k − ε_k²/2, the
 * pivot of log-sum-exp, and its index.  FMS_ERANGE when a noise ε_k squared
 * leaves the double range (the results are doubles). */
static fms_status find_pivot(const fms_data *d, long double t, long double one_minus_t, long double x_t,
                             long double *amax, size_t *kmax, fms_error *err)
{
    *amax = -INFINITY;
    *kmax = 0;
    for (size_t k = 0; k < d->n; k++) {
        long double eps = (x_t - t * d->x_l[k]) / one_minus_t;
        long double a = d->log_prob_l[k] - 0.5L * eps * eps;
        if (!isfinite(a) || !isfinite((double)(eps * eps)))
            return fms_error_set(err, FMS_ERANGE, 0,
                                 "the noise for x1 = %s at x_t = %Lg, t = %Lg is too large for a double",
                                 d->labels[k], x_t, t);
        if (a > *amax) {
            *amax = a;
            *kmax = k;
        }
    }
    return FMS_OK;
}

fms_status fms_engine_split_weight(const fms_data *d, size_t k, long double l, fms_component *c, fms_error *err)
{
    fms_status st = fms_numfmt_exp10_split(c->log_weight, &c->weight_mant, &c->weight_e10);
    if (st == FMS_ERANGE) {
        c->weight_mant = NAN;
        c->weight_e10 = 0;
        return FMS_OK;
    }
    if (st != FMS_OK)
        return fms_error_set(err, st, 0, "cannot split the weight of %s into a power of ten", d->labels[k]);
    /* Where the weight is a normal double, its own digits are the best mantissa. */
    if (c->weight >= 1e-300) {
        long double m = expl(l);
        long long e = c->weight_e10;
        c->weight_mant = (double)fms_numfmt_scale10l(m, -e);
        if (c->weight_mant >= 10.0) {
            c->weight_mant /= 10.0;
            c->weight_e10++;
        } else if (c->weight_mant < 1.0) {
            c->weight_mant *= 10.0;
            c->weight_e10--;
        }
    }
    return FMS_OK;
}

fms_status fms_engine_eval_lt(const fms_data *d, long double t, long double one_minus_t, long double x_t,
                              fms_component *comp, fms_posterior *post, fms_error *err)
{
    long double amax;
    size_t kmax;
    fms_status st = check_lt(d, t, one_minus_t, x_t, err);
    if (st == FMS_OK)
        st = find_pivot(d, t, one_minus_t, x_t, &amax, &kmax, err);
    if (st != FMS_OK)
        return st;
    /* Pass 2: s = Σ_{k≠kmax} exp(a_k − amax) and the weighted sums; the pivot's
     * term is exactly 1, so log Σ = log1p(s) keeps the digits that log(1 + s)
     * would lose (at the sheet's 1.3 the dominant ℓ is a tiny negative number, not 0).  a_k − amax is
     * formed as a difference of squares, (ε_m − ε_k)(ε_m + ε_k)/2 with
     * ε_m − ε_k = t(x_k − x_m)/(1 − t), because a_k and amax themselves can be
     * −1e17 (t near 1) and their difference would keep no digit. */
    long double s = 0.0L, su = 0.0L, sx = 0.0L, se = 0.0L;
    for (size_t k = 0; k < d->n; k++) {
        long double eps = fms_engine_noise(d, k, t, one_minus_t, x_t);
        long double r = k == kmax ? 1.0L : expl(rel_log_score(d, k, kmax, t, one_minus_t, x_t));
        if (k != kmax)
            s += r;
        su += r * ((d->x_l[k] - x_t) / one_minus_t);
        sx += r * d->x_l[k];
        se += r * eps;
    }
    const long double log_norm_rest = log1pl(s);
    const long double norm = 1.0L + s;

    for (size_t k = 0; comp && k < d->n; k++) {
        long double eps = fms_engine_noise(d, k, t, one_minus_t, x_t);
        long double a = d->log_prob_l[k] - 0.5L * eps * eps;
        long double l = (k == kmax ? 0.0L : rel_log_score(d, k, kmax, t, one_minus_t, x_t)) - log_norm_rest;
        comp[k].eps = (double)eps;
        comp[k].u = (double)((d->x_l[k] - x_t) / one_minus_t);
        comp[k].log_score = (double)a;
        comp[k].log_weight = (double)l;
        comp[k].weight = (double)expl(l);
        st = fms_engine_split_weight(d, k, l, &comp[k], err);
        if (st != FMS_OK)
            return st;
    }
    if (post) {
        post->t = (double)t;
        post->x_t = (double)x_t;
        post->velocity = (double)(su / norm);
        post->x1_mean = (double)(sx / norm);
        post->eps_mean = (double)(se / norm);
        post->log_norm = (double)(amax + log_norm_rest);
        post->argmax = kmax;
        if (!isfinite(post->velocity) || !isfinite(post->eps_mean))
            return fms_error_set(err, FMS_ERANGE, 0, "the velocity at x_t = %Lg, t = %Lg overflows a double", x_t, t);
    }
    return FMS_OK;
}

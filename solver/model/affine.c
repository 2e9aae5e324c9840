/* affine.c — see affine.h for the formulas, the limits and the numerics.
 *
 * The interior evaluation follows engine.c operation for operation, with α
 * and σ in place of t and 1 − t, so that condot reproduces it bit for bit. */
#include "model/affine.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "base/numfmt.h"

/* A bracket this small relative to its terms is 0 to the rounding of the sums. */
#define KNIFE_EDGE (64.0L * LDBL_EPSILON)

/* ε_k = (x_t − α·x_k)/σ. */
static long double eps_of(const fms_data *d, size_t k, const fms_schedule_point *s, long double x_t)
{
    return (x_t - s->alpha * d->x_l[k]) / s->sigma;
}

/* a_k − a_m without cancellation: (log p_k − log p_m) − (ε_k − ε_m)(ε_k + ε_m)/2,
 * with both factors formed from the inputs rather than from ε_k and ε_m. */
static long double rel_log_score(const fms_data *d, size_t k, size_t m, const fms_schedule_point *s,
                                 long double x_t)
{
    long double diff = s->alpha * (d->x_l[m] - d->x_l[k]) / s->sigma;               /* ε_k − ε_m */
    long double sum = (2.0L * x_t - s->alpha * (d->x_l[k] + d->x_l[m])) / s->sigma; /* ε_k + ε_m */
    return (d->log_prob_l[k] - d->log_prob_l[m]) - 0.5L * diff * sum;
}

static int rates_infinite(const fms_schedule_point *s)
{
    return !isfinite(s->alpha_dot) || !isfinite(s->sigma_dot);
}

/* +∞, −∞ or `zero` by the sign of x. */
static long double inf_sign(long double x, long double zero)
{
    return x > 0.0L ? (long double)INFINITY : x < 0.0L ? -(long double)INFINITY : zero;
}

/* u_k = α̇·x_k + σ̇·ε_k = (W·x_k + σ̇·x_t)/σ; where the rates are infinite,
 * ∞·(dir_α·x_k + dir_σ·ε_k), and 0 where that bracket is 0 (affine.h). */
static long double target_of(const fms_data *d, size_t k, const fms_schedule_point *s, long double x_t)
{
    if (rates_infinite(s))
        return inf_sign(s->dir_alpha * d->x_l[k] + s->dir_sigma * eps_of(d, k, s, x_t), 0.0L);
    return (s->snr_rate * d->x_l[k] + s->sigma_dot * x_t) / s->sigma;
}

/* The v-prediction given x1 = x_k: (α·x_t − (α² + σ²)·x_k)/σ. */
static long double vpred_of(const fms_data *d, size_t k, const fms_schedule_point *s, long double x_t)
{
    return (s->alpha * x_t - s->norm * d->x_l[k]) / s->sigma;
}

/* Writes ℓ_k, w_k and its power-of-ten split as engine.c does. */
static fms_status fill_weight(const fms_data *d, size_t k, long double l, fms_component *c, fms_error *err)
{
    c->log_weight = (double)l;
    c->weight = (double)expl(l);
    if (!isfinite(l)) { /* a weight that is exactly 0 in the limit σ → 0 */
        c->weight_mant = 0.0;
        c->weight_e10 = 0;
        return FMS_OK;
    }
    return fms_engine_split_weight(d, k, l, c, err);
}

/* Pass 1: the largest a_k (the pivot of log-sum-exp), or FMS_ERANGE. */
static fms_status find_pivot(const fms_data *d, const fms_schedule_point *s, long double x_t, long double *amax,
                             size_t *kmax, fms_error *err)
{
    *amax = -INFINITY;
    *kmax = 0;
    for (size_t k = 0; k < d->n; k++) {
        long double eps = eps_of(d, k, s, x_t);
        long double a = d->log_prob_l[k] - 0.5L * eps * eps;
        /* Results are doubles: a noise whose square leaves the double range is an error. */
        if (!isfinite(a) || !isfinite((double)(eps * eps)))
            return fms_error_set(err, FMS_ERANGE, 0,
                                 "the noise for x1 = %s at x_t = %Lg, t = %Lg is too large for a double",
                                 d->labels[k], x_t, s->t);
        if (a > *amax) {
            *amax = a;
            *kmax = k;
        }
    }
    return FMS_OK;
}

/* σ > 0: the sums of engine.c, plus the score and the v-prediction. */
static fms_status eval_interior(const fms_data *d, const fms_schedule_point *s, long double x_t,
                                fms_component *comp, fms_affine_result *res, fms_error *err)
{
    long double amax;
    size_t kmax;
    fms_status st = find_pivot(d, s, x_t, &amax, &kmax, err);
    if (st != FMS_OK)
        return st;
    long double sum = 0.0L, su = 0.0L, sx = 0.0L, se = 0.0L, sv = 0.0L;
    for (size_t k = 0; k < d->n; k++) {
        long double r = k == kmax ? 1.0L : expl(rel_log_score(d, k, kmax, s, x_t));
        if (k != kmax)
            sum += r;
        su += r * target_of(d, k, s, x_t);
        sx += r * d->x_l[k];
        se += r * eps_of(d, k, s, x_t);
        sv += r * vpred_of(d, k, s, x_t);
    }
    const long double log_norm_rest = log1pl(sum);
    const long double norm = 1.0L + sum;
    for (size_t k = 0; comp && k < d->n; k++) {
        long double eps = eps_of(d, k, s, x_t);
        long double l = (k == kmax ? 0.0L : rel_log_score(d, k, kmax, s, x_t)) - log_norm_rest;
        comp[k].eps = (double)eps;
        comp[k].u = (double)target_of(d, k, s, x_t);
        comp[k].log_score = (double)(d->log_prob_l[k] - 0.5L * eps * eps);
        if ((st = fill_weight(d, k, l, &comp[k], err)) != FMS_OK)
            return st;
    }
    if (res == NULL)
        return FMS_OK;
    const long double x1 = sx / norm, eps = se / norm;
    res->value[FMS_PARAM_X1] = (double)x1;
    res->value[FMS_PARAM_EPSILON] = (double)eps;
    res->value[FMS_PARAM_VELOCITY] = (double)(su / norm);
    res->value[FMS_PARAM_SCORE] = (double)(-eps / s->sigma);
    res->value[FMS_PARAM_V] = (double)(sv / norm);
    res->log_norm = (double)(amax + log_norm_rest);
    res->argmax = kmax;
    res->limit = 0;
    if (rates_infinite(s)) { /* ∞·(dir_α·x̂1 + dir_σ·ε̂), NaN where the bracket is 0 to rounding */
        long double bracket = s->dir_alpha * x1 + s->dir_sigma * eps;
        if (fabsl(bracket) <= KNIFE_EDGE * (fabsl(x1) + fabsl(eps)))
            bracket = 0.0L;
        res->value[FMS_PARAM_VELOCITY] = (double)inf_sign(bracket, NAN);
    }
    for (int p = 0; p < FMS_PARAM_COUNT; p++)
        if (!isfinite(res->value[p]) && !(p == FMS_PARAM_VELOCITY && rates_infinite(s)))
            return fms_error_set(err, FMS_ERANGE, 0, "the %s at x_t = %Lg, t = %Lg overflows a double",
                                 fms_param_title((fms_param)p), x_t, s->t);
    return FMS_OK;
}

/* The limiting log-weight of point k at σ = 0 (affine.h): −∞ off the points
 * nearest x_t; among them log p_k + κ·x_k²/2, or for κ = ∞ log p_k on the
 * points of largest x_k² and −∞ on the others. */
static long double limit_score(const fms_data *d, size_t k, const fms_schedule_point *s, long double x_t,
                               long double dmin, long double x2max)
{
    long double x = d->x_l[k];
    if (fabsl(x_t - s->alpha * x) != dmin)
        return -INFINITY;
    if (isinf(s->lim_kappa))
        return x * x == x2max ? d->log_prob_l[k] : -INFINITY;
    return d->log_prob_l[k] + 0.5L * s->lim_kappa * x * x;
}

/* log Σ exp(a_k) over the points whose side of x_t is `side` (−1, 0, +1; 2 for all). */
static long double side_lse(const fms_data *d, const long double *a, const fms_schedule_point *s,
                            long double x_t, int side)
{
    long double m = -INFINITY, sum = 0.0L;
    for (size_t k = 0; k < d->n; k++)
        if (a[k] > m && (side == 2 || inf_sign(s->alpha * d->x_l[k] - x_t, 0.0L) == inf_sign(side, 0.0L)))
            m = a[k];
    if (isinf(m))
        return m;
    for (size_t k = 0; k < d->n; k++)
        if (side == 2 || inf_sign(s->alpha * d->x_l[k] - x_t, 0.0L) == inf_sign(side, 0.0L))
            sum += expl(a[k] - m);
    return m + logl(sum);
}

/* The five limits at σ = 0 given x̂1 and the kind of point (affine.h). */
static void limit_values(const fms_schedule_point *s, long double x_t, long double x1, int at_point,
                         int balanced, fms_affine_result *res)
{
    double *v = res->value;
    if (at_point || balanced) {
        const int symmetric = balanced && x_t == 0.0L;
        v[FMS_PARAM_X1] = (double)x_t;
        v[FMS_PARAM_EPSILON] = v[FMS_PARAM_V] = (double)(s->lim_mu * x_t);
        v[FMS_PARAM_SCORE] = x_t == 0.0L ? 0.0 : (double)(-s->lim_kappa * x_t);
        v[FMS_PARAM_VELOCITY] = (double)(s->lim_lambda * x_t);
        if (balanced && !symmetric) {
            v[FMS_PARAM_SCORE] = NAN;
            if (rates_infinite(s))
                v[FMS_PARAM_VELOCITY] = NAN;
        }
        return;
    }
    const long double sg = x_t > x1 ? 1.0L : -1.0L;
    v[FMS_PARAM_X1] = (double)x1;
    v[FMS_PARAM_EPSILON] = v[FMS_PARAM_V] = (double)inf_sign(sg, 0.0L);
    v[FMS_PARAM_SCORE] = (double)inf_sign(-sg, 0.0L);
    v[FMS_PARAM_VELOCITY] = (double)inf_sign(sg * s->sigma_dot, 0.0L);
}

/* σ = 0: the limits t → 1 at fixed x_t. */
static fms_status eval_limit(const fms_data *d, const fms_schedule_point *s, long double x_t,
                             fms_component *comp, fms_affine_result *res, fms_error *err)
{
    long double dmin = INFINITY, x2max = 0.0L;
    for (size_t k = 0; k < d->n; k++)
        dmin = fminl(dmin, fabsl(x_t - s->alpha * d->x_l[k]));
    for (size_t k = 0; k < d->n; k++)
        if (fabsl(x_t - s->alpha * d->x_l[k]) == dmin)
            x2max = fmaxl(x2max, d->x_l[k] * d->x_l[k]);
    long double a_small[16], *a = d->n <= 16 ? a_small : malloc(d->n * sizeof *a);
    if (a == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    for (size_t k = 0; k < d->n; k++)
        a[k] = limit_score(d, k, s, x_t, dmin, x2max);
    const long double lse = side_lse(d, a, s, x_t, 2);
    long double x1 = 0.0L, wmax = -1.0L;
    size_t kmax = 0;
    fms_status st = FMS_OK;
    for (size_t k = 0; k < d->n && st == FMS_OK; k++) {
        long double l = a[k] - lse, w = expl(l);
        x1 += w * d->x_l[k];
        if (w > wmax) {
            wmax = w;
            kmax = k;
        }
        if (comp == NULL)
            continue;
        long double gap = x_t - s->alpha * d->x_l[k];
        comp[k].eps = gap == 0.0L ? (double)(s->lim_mu * d->x_l[k]) : (double)inf_sign(gap, 0.0L);
        comp[k].u = gap == 0.0L ? (double)(s->lim_lambda * d->x_l[k]) : (double)inf_sign(gap * s->sigma_dot, 0.0L);
        comp[k].log_score = (double)a[k];
        st = fill_weight(d, k, l, &comp[k], err);
    }
    const int at_point = dmin == 0.0L;
    const int balanced = !at_point && side_lse(d, a, s, x_t, -1) == side_lse(d, a, s, x_t, 1);
    if (a != a_small)
        free(a);
    if (st != FMS_OK || res == NULL)
        return st;
    limit_values(s, x_t, at_point ? d->x_l[kmax] : x1, at_point, balanced, res);
    res->log_norm = (double)lse;
    res->argmax = kmax;
    res->limit = 1;
    return FMS_OK;
}

fms_status fms_affine_eval(const fms_data *d, const fms_schedule_point *s, long double x_t, fms_component *comp,
                           fms_affine_result *res, fms_error *err)
{
    if (d == NULL || d->n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "no data points");
    if (s == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "no schedule point");
    if (!isfinite(x_t) || !isfinite((double)x_t))
        return fms_error_set(err, FMS_EDOM, 0, "x_t must be a finite number, not %Lg", x_t);
    return s->sigma > 0.0L ? eval_interior(d, s, x_t, comp, res, err) : eval_limit(d, s, x_t, comp, res, err);
}

fms_status fms_affine_convert(const fms_data *d, const fms_schedule_point *s, fms_param from, fms_param to,
                              long double x_t, long double y, fms_param_conversion *conv, double *exact,
                              fms_error *err)
{
    fms_status st = fms_param_convert(from, to, s, x_t, y, conv, err);
    if (st != FMS_OK || exact == NULL)
        return st;
    fms_affine_result r;
    st = fms_affine_eval(d, s, x_t, NULL, &r, err);
    if (st == FMS_OK)
        *exact = r.value[to];
    return st;
}

/* exact.c — see exact.h for the formulas and the error model. */
#include "model/exact.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/eft.h"
#include "model/engine.h"

/* long double's unit roundoff. */
#define U (LDBL_EPSILON / 2.0L)
/* How far the raw weights may lie from their sum, in nats (see exact.h). */
#define LOGW_SLACK 16.0L

/* ---- values with an absolute error bound ------------------------------- */

typedef struct bnum {
    long double v; /* the computed value */
    long double e; /* |true − v| ≤ e */
} bnum;

static bnum b_exact(long double x) { return (bnum){ x, 0.0L }; }
static bnum b_in(long double x) { return (bnum){ x, U * fabsl(x) }; } /* an input read from decimal text */
static bnum b_round(long double v, long double e) { return (bnum){ v, e + U * fabsl(v) }; }
static bnum b_neg(bnum a) { return (bnum){ -a.v, a.e }; }
static bnum b_add(bnum a, bnum b) { return b_round(a.v + b.v, a.e + b.e); }
static bnum b_sub(bnum a, bnum b) { return b_round(a.v - b.v, a.e + b.e); }

static bnum b_mul(bnum a, bnum b)
{
    return b_round(a.v * b.v, fabsl(a.v) * b.e + fabsl(b.v) * a.e + a.e * b.e);
}

/* a·b + c with one rounding but for a term of order U² (base/eft.h). */
static bnum b_fma(bnum a, bnum b, bnum c)
{
    const long double tiny = 2.0L * U * U * (fabsl(a.v * b.v) + fabsl(c.v));
    return b_round(fms_eft_fma(a.v, b.v, c.v), fabsl(a.v) * b.e + fabsl(b.v) * a.e + a.e * b.e + c.e + tiny);
}

/* a/b for |b| > its error: |a'/b' − a/b| ≤ (e_a + |a/b|·e_b)/(|b| − e_b). */
static bnum b_div(bnum a, bnum b)
{
    long double q = a.v / b.v;
    return b_round(q, (a.e + fabsl(q) * b.e) / (fabsl(b.v) - b.e));
}

/* A value with its bound as an fms_sci: 0 within the bound when |v| ≤ e. */
static fms_sci sci_of(bnum b)
{
    if (b.v == 0.0L && b.e == 0.0L)
        return (fms_sci){ 0.0L, 0, 0.0 };
    if (fabsl(b.v) <= b.e)
        return (fms_sci){ 0.0L, (long long)ceill(log10l(b.e)), INFINITY };
    return fms_numfmt_sci_from_ld(b.v, (double)(b.e / fabsl(b.v)));
}

/* ---- the posterior ------------------------------------------------------ */

/* The query's inputs as bounded numbers. */
typedef struct query {
    const fms_data *d;
    long double t_raw, x_raw;
    bnum t, om, x_t, two_x;
} query;

/* r_k = a_k − a_m as in engine.c: (log p_k − log p_m) − (ε_k − ε_m)(ε_k + ε_m)/2,
 * ε_k − ε_m = t(x_m − x_k)/(1 − t), ε_k + ε_m = (2x_t − t(x_k + x_m))/(1 − t). */
static bnum rel_score(const query *q, size_t k, size_t m)
{
    if (k == m)
        return b_exact(0.0L);
    const long double lk = q->d->log_prob_l[k], lm = q->d->log_prob_l[m];
    const long double xk = q->d->x_l[k], xm = q->d->x_l[m];
    bnum lpd = lk == lm ? b_exact(0.0L)
                        : b_round(lk - lm, 2.0L * U * (fabsl(lk) + fabsl(lm) + 2.0L * LOGW_SLACK) + 2.0L * U);
    bnum diff = xk == xm ? b_exact(0.0L) : b_div(b_mul(q->t, b_sub(b_in(xm), b_in(xk))), q->om);
    bnum s1 = xk == -xm ? b_exact(0.0L) : b_add(b_in(xk), b_in(xm));
    bnum sum = b_div(b_fma(b_neg(q->t), s1, q->two_x), q->om);
    bnum half = b_mul(diff, sum);
    half.v *= 0.5L;
    half.e *= 0.5L;
    return b_sub(lpd, half);
}

/* ε_k = (x_t − t·x_k)/(1 − t); exactly 0 when x_t = t·x_k in decimal. */
static bnum eps_of(const query *q, size_t k)
{
    long double xk = q->d->x_l[k];
    bnum num = b_fma(b_neg(q->t), b_in(xk), q->x_t);
    /* The decimal test only where the difference is as small as the inputs' rounding. */
    if (fabsl(num.v) <= 8.0L * LDBL_EPSILON * (fabsl(q->x_raw) + fabsl(q->t_raw * xk)) &&
        fms_numfmt_is_product(q->x_raw, q->t_raw, xk))
        return b_exact(0.0L);
    return b_div(num, q->om);
}

/* u_k = (x_k − x_t)/(1 − t); exactly 0 when x_t is the point. */
static bnum u_of(const query *q, size_t k)
{
    long double xk = q->d->x_l[k];
    if (xk == q->x_raw)
        return b_exact(0.0L);
    return b_div(b_sub(b_in(xk), q->x_t), q->om);
}

/* |e^{a} − 1| bound for a ≥ 0. */
static long double grow(long double a)
{
    return expm1l(a) * (1.0L + 4.0L * U);
}

/* L = log Σ_k e^{r_k} = log1p(Σ_{k≠m} e^{r_k}) with its bound (r_m = 0). */
static bnum log_norm(size_t n, const bnum *r, size_t m)
{
    long double s = 0.0L, es = 0.0L;
    for (size_t k = 0; k < n; k++) {
        if (k == m)
            continue;
        long double w = expl(r[k].v);
        s += w;
        es += w * (grow(r[k].e) + 2.0L * U) + LDBL_MIN;
    }
    es += (long double)n * U * s;
    long double l = log1pl(s);
    return (bnum){ l, es / (1.0L + s - fminl(es, s)) + 2.0L * U * l };
}

/* S = Σ_k w_k·c_k, w_k = e^{ℓ_k}, ℓ_k = r_k − L; see exact.h. */
static fms_sci weighted_sum(size_t n, const bnum *r, bnum L, const bnum *c)
{
    /* M: the largest term |w_k·c_k| among c_k ≠ 0. */
    size_t M = n;
    long double best = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        long double lam = r[k].v + logl(fabsl(c[k].v));
        if (c[k].v != 0.0L && lam > best) {
            best = lam;
            M = k;
        }
    }
    if (M == n) { /* every c_k is 0: exactly, or to within its bound */
        long double lb = -INFINITY;
        for (size_t k = 0; k < n; k++)
            if (c[k].e > 0.0L)
                lb = fmaxl(lb, r[k].v - L.v + logl(c[k].e));
        if (lb == -INFINITY)
            return (fms_sci){ 0.0L, 0, 0.0 };
        lb += logl((long double)n) + L.e + 1e-9L;
        return (fms_sci){ 0.0L, (long long)ceill(lb / logl(10.0L)), INFINITY };
    }
    const bnum rM = r[M];
    const bnum lM = b_sub(rM, L); /* ℓ_M */
    const long double logcM = logl(fabsl(c[M].v));
    long double sigma = 0.0L, abs_sum = 0.0L, err = 0.0L;
    for (size_t k = 0; k < n; k++) {
        if (c[k].v == 0.0L) {
            if (c[k].e > 0.0L)
                err += expl(r[k].v - rM.v + logl(c[k].e) - logcM) * (1.0L + grow(r[k].e + rM.e + lM.e)) + LDBL_MIN;
            continue;
        }
        long double logck = logl(fabsl(c[k].v));
        long double z = (r[k].v - rM.v) + (logck - logcM);
        long double tau = expl(z);
        long double rounding = U * (fabsl(r[k].v - rM.v) + fabsl(logck) + fabsl(logcM) + fabsl(z) + 8.0L);
        long double rel_c = c[k].e / fabsl(c[k].v);
        sigma += c[k].v < 0 ? -tau : tau;
        abs_sum += tau;
        err += tau * grow(lM.e + r[k].e + rM.e + rel_c + rounding) + LDBL_MIN;
    }
    err += (long double)n * U * abs_sum;
    /* S = σ·|c_M|·w_M: multiply the mantissas, add the powers of ten. */
    fms_sci w = fms_numfmt_sci_from_log(lM.v, 0.0, 1);
    if (fabsl(sigma) <= err) {
        long double lb = logl(err) + logcM + lM.v + lM.e + 1e-9L;
        return (fms_sci){ 0.0L, (long long)ceill(lb / logl(10.0L)), INFINITY };
    }
    fms_sci p = fms_numfmt_sci_from_ld(sigma * fabsl(c[M].v), 0.0);
    fms_sci s = { p.mant * w.mant, p.e10 + w.e10, (double)(err / fabsl(sigma) + 24.0L * U) };
    if (isnan(w.mant))
        s.rel_err = INFINITY;
    else if (fabsl(s.mant) >= 10.0L) {
        s.mant /= 10.0L;
        s.e10++;
    }
    return s;
}

/* Reads the query's inputs; the domain and the pivot come from the engine itself. */
static fms_status begin(query *q, const fms_data *d, long double t, long double one_minus_t, long double x_t,
                        size_t *pivot, fms_error *err)
{
    fms_posterior post;
    fms_status st = fms_engine_eval_lt(d, t, one_minus_t, x_t, NULL, &post, err);
    if (st != FMS_OK)
        return st;
    q->d = d;
    q->t_raw = t;
    q->x_raw = x_t;
    q->t = b_in(t);
    q->om = b_in(one_minus_t);
    q->x_t = b_in(x_t);
    q->two_x = (bnum){ 2.0L * x_t, 2.0L * q->x_t.e };
    *pivot = post.argmax;
    return FMS_OK;
}

fms_status fms_exact_eval(const fms_data *d, long double t, long double one_minus_t, long double x_t,
                          fms_exact_component *comp, fms_exact_posterior *post, fms_error *err)
{
    query q;
    size_t m;
    fms_status st = begin(&q, d, t, one_minus_t, x_t, &m, err);
    if (st != FMS_OK)
        return st;
    const size_t n = d->n;
    bnum *r = malloc(4 * n * sizeof *r);
    if (r == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    bnum *eps = r + n, *u = r + 2 * n, *x = r + 3 * n;
    for (size_t k = 0; k < n; k++) {
        r[k] = rel_score(&q, k, m);
        eps[k] = eps_of(&q, k);
        u[k] = u_of(&q, k);
        x[k] = b_in(d->x_l[k]);
    }
    const bnum L = log_norm(n, r, m);
    for (size_t k = 0; comp != NULL && k < n; k++) {
        bnum l = b_sub(r[k], L);
        comp[k].eps = sci_of(eps[k]);
        comp[k].u = sci_of(u[k]);
        comp[k].log_weight = l.v;
        comp[k].log_weight_err = (double)l.e;
        comp[k].log_weight_sci = sci_of(l);
        comp[k].weight = fms_numfmt_sci_from_log(l.v, (double)l.e, 1);
    }
    if (post != NULL) {
        post->velocity = weighted_sum(n, r, L, u);
        post->x1_mean = weighted_sum(n, r, L, x);
        post->eps_mean = weighted_sum(n, r, L, eps);
        post->velocity_from_eps = post->velocity;
        if (t == 0.0L)
            post->velocity_from_eps = (fms_sci){ NAN, 0, INFINITY };
        post->argmax = m;
    }
    free(r);
    return FMS_OK;
}

fms_status fms_exact_log_odds(const fms_data *d, long double t, long double one_minus_t, long double x_t, size_t j,
                              size_t k, fms_exact_odds *out, fms_error *err)
{
    query q;
    size_t m;
    fms_status st = begin(&q, d, t, one_minus_t, x_t, &m, err);
    if (st != FMS_OK)
        return st;
    if (j >= d->n || k >= d->n)
        return fms_error_set(err, FMS_EINVAL, 0, "no data point %zu (the data has %zu)", j >= d->n ? j : k, d->n);
    bnum lo = rel_score(&q, j, k);
    out->log_odds = lo.v;
    out->log_odds_err = (double)lo.e;
    out->log = sci_of(lo);
    out->odds = fms_numfmt_sci_from_log(lo.v, (double)lo.e, 1);
    return FMS_OK;
}

/* engine.h — the closed-form flow-matching posterior and marginal velocity.
 *
 * Model (the exercise sheet's training loop): x1 ~ data (points x_k with
 * probabilities p_k), ε ~ N(0, 1), t ~ U(0, 1), x_t = (1 − t)·ε + t·x1, and the
 * regression target u = x1 − ε.  For a query (x_t, t) with 0 ≤ t < 1 each data
 * point k is reached by exactly one noise value, so everything is a finite sum
 * over k:
 *
 *   ε_k = (x_t − t·x_k)/(1 − t)                 the noise that, with x1 = x_k, gives x_t
 *   u_k = x_k − ε_k = (x_k − x_t)/(1 − t)       the regression target in that case
 *   a_k = log p_k − ε_k²/2                      unnormalised log posterior
 *   ℓ_k = a_k − logsumexp_j a_j                 log posterior weight, w_k = exp(ℓ_k)
 *
 * The density of x_t given x1 = x_k is φ(ε_k)/(1 − t); the factor 1/(1 − t) and
 * the Gaussian constant are the same for every k and cancel in ℓ_k.  w_k is
 * the share of the training loop's supervision at (x_t, t) that points toward
 * x_k, and the minimiser of E‖u_θ(x_t, t) − u‖² is the posterior mean
 *
 *   v = Σ w_k·u_k = E[x1 − ε | x_t, t],  x̂1 = Σ w_k·x_k,  ε̂ = Σ w_k·ε_k,
 *   with v = (x̂1 − x_t)/(1 − t) and, for t > 0, v = (x_t − ε̂)/t.
 *
 * Numerics: log-sum-exp about the largest a_k, with log1p of the remaining
 * terms, so ℓ_k is exact to rounding even when w_k underflows a double (the
 * dominant weight's ℓ is −log1p(s), tiny but not 0).  The sums run in
 * long double (x87 extended precision on x86-64): the answers are
 * ill-conditioned near t = 1 (∂ℓ/∂t grows like |ε|/(1 − t)²; at the sheet's
 * t = 0.9 an error of one double ulp in t moves w_B in its 14th digit), so the
 * inputs are carried as parsed from decimal text and every result is rounded
 * to double once, at the end.  GSL splits weights below the range of a
 * double into mantissa and power of ten (gsl_sf_exp_e10_e).  Results are
 * finite for t up to 1 − 1e-9 and |x_t| up to 1e6, and far beyond.
 */
#ifndef FMS_ENGINE_H
#define FMS_ENGINE_H

#include <stddef.h>

#include "model/data.h"
#include "base/status.h"

/* One data point's share of a query. */
typedef struct fms_component {
    double eps;        /* ε_k */
    double u;          /* u_k */
    double log_score;  /* a_k = log p_k − ε_k²/2 */
    double log_weight; /* ℓ_k, always finite */
    double weight;     /* w_k = exp(ℓ_k); 0 only when it underflows a double */
    double weight_mant; /* w_k = weight_mant·10^weight_e10 with 1 ≤ weight_mant < 10, */
    long long weight_e10; /* exact even when weight underflows; NaN mantissa when ℓ_k < −1e15
                             (no digit is known then: write the weight as e^ℓ_k) */
} fms_component;

/* The posterior summary of a query. */
typedef struct fms_posterior {
    double t, x_t;
    double velocity;   /* v = E[x1 − ε | x_t, t] */
    double x1_mean;    /* x̂1 = E[x1 | x_t, t] */
    double eps_mean;   /* ε̂ = E[ε | x_t, t] */
    double log_norm;   /* logsumexp_j a_j */
    size_t argmax;     /* the index of the largest weight (first one on ties) */
} fms_posterior;

/* Checks a query point: returns FMS_OK when t and x_t are finite and
 * 0 ≤ t < 1, else FMS_EDOM with a message in err (may be NULL) that names the
 * bad value.  t = 1 is refused because ε is not identifiable there. */
fms_status fms_engine_check_query(double t, double x_t, fms_error *err);

/* Evaluates the posterior at (x_t, t) for data d.  comp, when not NULL, must
 * hold d->n entries and receives each point's ε_k, u_k, a_k, ℓ_k and w_k;
 * post, when not NULL, receives v, x̂1, ε̂.  Errors: FMS_EDOM for a query
 * outside the domain (see fms_engine_check_query), FMS_EINVAL for a NULL or
 * empty d, FMS_ERANGE when ε_k² overflows a double (|x_t|/(1 − t) above about
 * 1e154), FMS_EGSL if a GSL special function fails. */
fms_status fms_engine_eval(const fms_data *d, double t, double x_t,
                           fms_component *comp, fms_posterior *post, fms_error *err);

/* Like fms_engine_eval for a query given in extended precision (as parsed
 * from decimal text with fms_numfmt_parse_ld); the domain check is made on the
 * extended values, so t just below 1 is accepted while it is below 1. */
fms_status fms_engine_eval_l(const fms_data *d, long double t, long double x_t,
                             fms_component *comp, fms_posterior *post, fms_error *err);

/* Like fms_engine_eval_l with 1 − t given separately (fms_numfmt_parse_one_minus
 * computes it from the decimal text): near t = 1 every answer scales with
 * 1/(1 − t), and 1 − t computed from a rounded t keeps only a few digits.
 * one_minus_t must be in (0, 1] and agree with t (|1 − t − one_minus_t| small);
 * otherwise FMS_EDOM. */
fms_status fms_engine_eval_lt(const fms_data *d, long double t, long double one_minus_t, long double x_t,
                              fms_component *comp, fms_posterior *post, fms_error *err);

/* Writes c's weight w = exp(l) (c->log_weight = l and c->weight already set)
 * as c->weight_mant·10^c->weight_e10, 1 ≤ weight_mant < 10: from the double
 * weight's own digits where it is normal, else from l; a NaN mantissa when |l|
 * is too large for any digit of it to be known.  Errors: those of
 * fms_numfmt_exp10_split other than FMS_ERANGE (l not finite), with a message
 * naming point k.  Used by every evaluation of weights (engine.c, affine.c). */
fms_status fms_engine_split_weight(const fms_data *d, size_t k, long double l, fms_component *c, fms_error *err);

/* ε_k = (x_t − t·x_k)/(1 − t) for point k, as every evaluation above forms
 * it: exactly 0 when x_t = t·x_k holds for the decimals the inputs were read
 * from (0.45 = 0.9·0.5, fms_numfmt_is_product), where the binary difference
 * would leave about 1e-20 and ε̂ would carry it.  The decimal test runs only
 * when the difference is that small. */
long double fms_engine_noise(const fms_data *d, size_t k, long double t, long double one_minus_t, long double x_t);

#endif /* FMS_ENGINE_H */

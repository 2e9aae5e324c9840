/* exact.h — the engine's answers with proven digits: every value with a bound
 * on its error, in a form that never underflows.
 *
 * engine.h computes ε_k, u_k, w_k, v, x̂1, ε̂ as doubles, fast (plots and
 * simulations call it millions of times).  The answer key and the worked
 * answers print those numbers to 15 and 6 digits, and a double cannot say how
 * many of them are right, nor hold v = −3.6·10^-78173003.  This module
 * evaluates the same formulas (engine.h) once more, in long double, and carries
 * with every intermediate value a bound on its absolute error (running error
 * analysis), so that each result is an fms_sci (base/numfmt.h): mantissa,
 * power of ten, relative error bound.  The formatters of numfmt.h then print
 * only the digits the bound supports.
 *
 * Error model.  u = 2^-64 (long double's unit roundoff).  Every input (t,
 * 1 − t, x_t, x_k) is the decimal the user typed, rounded once (relative error
 * ≤ u; 1 − t must come from the decimal digits, fms_numfmt_parse_one_minus).
 * Each operation adds u·|result|; products and quotients propagate relative
 * errors, sums absolute ones.  Differences of two inputs that are equal as
 * long doubles are exactly 0 (so u_k = 0 when x_t is the data point x_k), as
 * is ε_k when x_t = t·x_k holds for the decimals themselves (checked in
 * decimal, with the inputs read back as the decimals of at most 18 significant
 * digits that they were parsed from).  log p_k − log p_j carries
 * 2u·(|log p_k| + |log p_j| + 32) (the raw weights within e^±16 of their sum;
 * 0 for equal weights).  Then, with m the pivot (the largest a_k) and
 * r_k = a_k − a_m = (log p_k − log p_m) − (ε_k − ε_m)(ε_k + ε_m)/2 formed from
 * the inputs as in engine.c:
 *   e(r_k)  from the operations above: about u·|r_k|·(4 + the cancellation in
 *           x_m − x_k and 2x_t − t(x_k + x_m));
 *   e(L)    for L = log1p(Σ_{k≠m} e^{r_k}): Σ e^{r_k}·(e^{e(r_k)} − 1 + 2u)/(1 + s) + n·u;
 *   e(ℓ_k)  = e(r_k) + e(L) + u·|ℓ_k|, ℓ_k = r_k − L;
 *   rel(w_k) = e^{e(ℓ_k)} − 1 + 8u (the split of ℓ_k/ln 10 is done in pairs).
 * So a weight far outside a double keeps about −log10(|ℓ_k|·4u) digits:
 * 1.16·10^-1029605 (ℓ ≈ −2.4·10^6) has about 12 right, not 15.
 * A posterior mean S = Σ w_k·c_k (c = u for v, x for x̂1, ε for ε̂) is summed
 * relative to its largest term M, τ_k = ±exp((r_k − r_M) + log|c_k| − log|c_M|),
 * and S = (Σ τ_k)·|c_M|·w_M with mantissas multiplied, so no term underflows;
 * its bound is Σ_k |τ_k|·(e^{e(ℓ_M) + e(r_k) + e(r_M) + rel(c_k) + rounding} − 1)
 * divided by |Σ τ_k|.  Terms with c_k = 0 exactly drop out; that is how
 * v = w_B·u_B is found exactly when x_t sits on the dominant point A.  A sum
 * that cancels to within its bound (v = 0 for symmetric data) is reported as
 * 0 to within that bound (fms_sci with mant 0 and rel_err INFINITY; a true
 * non-zero value would then be below about 10^-18 of the largest term).
 *
 * The bound is a bound for the inputs as described (each at most 18
 * significant digits); it is not a proof for other inputs.
 * tests/scripts/key_random_mpmath.py checks every printed digit against
 * 60-digit mpmath on random exercise sets.
 */
#ifndef FMS_EXACT_H
#define FMS_EXACT_H

#include <stddef.h>

#include "base/numfmt.h"
#include "base/status.h"
#include "model/data.h"

/* One data point's share of a query, with bounds. */
typedef struct fms_exact_component {
    fms_sci eps;            /* ε_k */
    fms_sci u;              /* u_k */
    fms_sci weight;         /* w_k = exp(ℓ_k), also far below the range of a double */
    long double log_weight; /* ℓ_k */
    double log_weight_err;  /* |ℓ_k − true ℓ_k| ≤ log_weight_err */
    fms_sci log_weight_sci; /* ℓ_k as a number with its bound, to print e^{ℓ_k} */
} fms_exact_component;

/* The posterior means of a query, with bounds. */
typedef struct fms_exact_posterior {
    fms_sci velocity;   /* v = Σ w_k·u_k */
    fms_sci x1_mean;    /* x̂1 = Σ w_k·x_k */
    fms_sci eps_mean;   /* ε̂ = Σ w_k·ε_k */
    /* (x_t − ε̂)/t for t > 0 (NaN mantissa at t = 0), evaluated without
     * cancellation: per data point x_t − ε_k = t·(x_k − x_t)/(1 − t) = t·u_k
     * exactly, so (x_t − ε̂)/t = Σ w_k·u_k = v.  It is v, with v's bound;
     * subtracting a rounded ε̂ from x_t instead loses every digit when ε̂ ≈ x_t. */
    fms_sci velocity_from_eps;
    size_t argmax;      /* the largest weight (the pivot; first one on ties) */
} fms_exact_posterior;

/* Evaluates the posterior at (x_t, t) for d, as fms_engine_eval_lt does (same
 * arguments and domain, same errors), with bounds.  comp, when not NULL, must
 * hold d->n entries; post may be NULL.  Errors: those of fms_engine_eval_lt,
 * FMS_ENOMEM. */
fms_status fms_exact_eval(const fms_data *d, long double t, long double one_minus_t, long double x_t,
                          fms_exact_component *comp, fms_exact_posterior *post, fms_error *err);

/* The odds of point j against point k at (x_t, t): w_j/w_k = exp(log_odds). */
typedef struct fms_exact_odds {
    long double log_odds; /* ℓ_j − ℓ_k = (log p_j − log p_k) − (ε_j² − ε_k²)/2, without cancellation */
    double log_odds_err;  /* its absolute error bound */
    fms_sci log;          /* log_odds as a number: print "e^{1234.5678}" from it */
    fms_sci odds;         /* exp(log_odds) split into mantissa and power of ten: "1.465·10^536" */
} fms_exact_odds;

/* Fills *out for points j and k (indices into d) at (x_t, t).  Errors: those of
 * fms_engine_eval_lt; FMS_EINVAL when j or k is not a point of d. */
fms_status fms_exact_log_odds(const fms_data *d, long double t, long double one_minus_t, long double x_t, size_t j,
                              size_t k, fms_exact_odds *out, fms_error *err);

#endif /* FMS_EXACT_H */

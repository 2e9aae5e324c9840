/* affine.h — the exact model on a general affine path: the posterior over
 * the data points and all five parameterizations, with their limits.
 *
 * Model: x1 ~ data (points x_k with probabilities p_k, data.h), ε ~ N(0, 1),
 * x_t = α_t·x1 + σ_t·ε for a schedule (schedule.h).  For a query (x_t, t) with
 * σ_t > 0 every data point k is reached by exactly one noise value:
 *
 *   ε_k = (x_t − α·x_k)/σ                     the noise that, with x1 = x_k, gives x_t
 *   u_k = α̇·x_k + σ̇·ε_k = (W·x_k + σ̇·x_t)/σ   the conditional target (W = α̇σ − σ̇α)
 *   a_k = log p_k − ε_k²/2 = log p_k − (x_t − α·x_k)²/(2σ²)
 *   ℓ_k = a_k − logsumexp_j a_j,  w_k = exp(ℓ_k)
 *
 * and the exact model's outputs (param.h) are the posterior means
 *
 *   x̂1 = Σ w_k·x_k,  ε̂ = Σ w_k·ε_k,  velocity = Σ w_k·u_k,
 *   score = −ε̂/σ,  v = Σ w_k·(α·x_t − (α² + σ²)·x_k)/σ  (= α·ε̂ − σ·x̂1).
 *
 * For condot (α = t, σ = 1 − t) these are engine.h's formulas, evaluated
 * with the same operations in the same order: ε_k, u_k, a_k, ℓ_k, w_k, x̂1,
 * ε̂ and the velocity agree with fms_engine_eval_lt to the last bit of the
 * double.  Numerics as engine.h: log-sum-exp about the largest a_k with
 * log1p of the rest, differences a_k − a_m formed as a difference of squares
 * from the inputs, sums in long double, one rounding to double at the end.
 *
 * Limits (the formulas above are 0/0 or ∞·0 there):
 * - α = 0 (t = 0 for condot, poly, cosine, linear-vp): no limit is needed:
 *   every ε_k = x_t/σ, the posterior is the prior, x̂1 = E[x1], ε̂ = x_t/σ,
 *   velocity = α̇·E[x1] + σ̇·x_t/σ (condot: E[x1] − x_t).
 * - α̇, σ̇ infinite with σ > 0 (poly:N, N < 1, at t = 0, where (α̇, σ̇) = ∞·(1, −1)):
 *   u_k = ∞·(x_k − ε_k), i.e. ±∞, or 0 where x_k = x_t (for poly u_k is 0 all
 *   along x_t = x_k); the velocity is ±∞ with the sign of E[x1] − x_t, and NaN
 *   (not determined here: it depends on N and the data's variance) where
 *   E[x1] = x_t (to the rounding of the sums, 64 ulp).  The other four are finite.
 * - σ = 0 (t = 1 for every schedule but ve; α = 1 there): x_t = x1 exactly.
 *   The values are the limits t → 1 at fixed x_t.  The posterior concentrates
 *   on the data point nearest x_t; when x_t is midway between two points the
 *   limiting log-weights are log p_k + κ·x_k²/2 (κ = lim (1 − α)/σ², schedule.h;
 *   for κ = ∞ the point of larger |x_k| wins).  Then:
 *     x_t a data point x_k:  x̂1 = x_k, ε̂ = μ·x_k, v = μ·x_k, score = −κ·x_k,
 *                            velocity = λ·x_k (μ, κ, λ from schedule.h; condot:
 *                            ε̂ = x_k, velocity 0, score ±∞ unless x_k = 0);
 *     otherwise:             x̂1 is the limit mean, and ε̂, v, score and the
 *                            velocity diverge: ±∞ with the sign of x_t − x̂1
 *                            (score the opposite, velocity times the sign of σ̇);
 *     x_t midway with equal limiting weights: x̂1 = x_t, ε̂ = v = μ·x_t; score
 *                            and velocity 0 when the two points are ±x (x_t = 0,
 *                            exact for every t by symmetry), else the score, and
 *                            for linear-vp and vp the velocity, are NaN (they
 *                            depend on the next order; not determined here).
 *   Components at σ = 0: ε_k = μ·x_k and u_k = λ·x_k for a point at x_t, else
 *   ±∞; log_score is the limiting log-weight above (−∞ off the nearest
 *   points), log_weight and weight as usual, weight_mant = 0, weight_e10 = 0
 *   where the weight is exactly 0.
 * So a value is finite, ±∞ (it diverges) or NaN (a limit not determined by
 * this library); NaN occurs only at the two measure-zero cases named above.
 *
 * Errors: FMS_EINVAL for a NULL or empty data set or NULL point, FMS_EDOM for
 * a non-finite x_t, FMS_ERANGE when ε_k² or a result overflows a double
 * (|x_t − α·x_k|/σ above about 1e154, as engine.h), FMS_EGSL if a GSL
 * special function fails.
 */
#ifndef FMS_AFFINE_H
#define FMS_AFFINE_H

#include <stddef.h>

#include "base/status.h"
#include "model/data.h"
#include "model/engine.h"
#include "model/param.h"
#include "model/schedule.h"

/* The exact model at one query. */
typedef struct fms_affine_result {
    double value[FMS_PARAM_COUNT]; /* its output in each parameterization, indexed by fms_param */
    double log_norm;               /* logsumexp_j a_j (at σ = 0: of the limiting log-weights) */
    size_t argmax;                 /* the index of the largest weight (first one on ties) */
    int limit;                     /* 1 when σ = 0 and the values are limits t → 1 */
} fms_affine_result;

/* Evaluates the exact model of data d at (x_t, s).  comp, when not NULL,
 * must hold d->n entries and receives each point's ε_k, u_k, a_k, ℓ_k, w_k
 * (engine.h's fms_component); res, when not NULL, the five outputs.
 * Errors as above. */
fms_status fms_affine_eval(const fms_data *d, const fms_schedule_point *s, long double x_t, fms_component *comp,
                           fms_affine_result *res, fms_error *err);

/* Converts a from-model's output y at (x_t, s) into the to-parameterization
 * (fms_param_convert) and, when exact is not NULL, sets *exact to the exact
 * model's to-value there (the value to use where the conversion is
 * undetermined).  Errors as fms_param_convert and fms_affine_eval. */
fms_status fms_affine_convert(const fms_data *d, const fms_schedule_point *s, fms_param from, fms_param to,
                              long double x_t, long double y, fms_param_conversion *conv, double *exact,
                              fms_error *err);

#endif /* FMS_AFFINE_H */

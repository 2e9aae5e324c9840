/* param.h — the five parameterizations of a model on an affine path, and
 * the conversions between them, with their singular points.
 *
 * On the path x_t = α·x1 + σ·ε (schedule.h) a model predicts, at (x_t, t),
 * one of five quantities; each is a linear combination of x̂1 = E[x1 | x_t, t]
 * and ε̂ = E[ε | x_t, t], its "basis" (c_x1, c_eps):
 *
 *   name      meaning                      value                      basis (c_x1, c_eps)
 *   x1        x1-prediction                x̂1                         (1, 0)
 *   epsilon   ε-prediction                 ε̂ = (x_t − α·x̂1)/σ         (0, 1)
 *   velocity  velocity (flow matching)     α̇·x̂1 + σ̇·ε̂                (α̇, σ̇)
 *   score     score ∇ log p_t(x_t)         −ε̂/σ                       (0, −1/σ)
 *   v         v-prediction (Salimans–Ho)   α·ε̂ − σ·x̂1                 (−σ, α)
 *
 * Since x_t = α·x̂1 + σ·ε̂, each is also affine in x̂1 alone (σ > 0):
 *   value = a·x̂1 + b,  a = D/σ,  b = c_eps·x_t/σ,
 * with the determinant D = c_x1·σ − c_eps·α of the pair (value, x_t):
 *   D_x1 = σ,  D_epsilon = −α,  D_velocity = W = α̇σ − σ̇α,  D_score = α/σ,  D_v = −(α² + σ²).
 *
 * Converting a model's output y_P from P to Q: solve P's relation together
 * with x_t = α·x̂1 + σ·ε̂ for (x̂1, ε̂) and substitute into Q's (Cramer's rule):
 *
 *   y_Q = (D_Q·y_P + C_PQ·x_t) / D_P,   C_PQ = p_x1·q_eps − p_eps·q_x1 (= −C_QP),
 *
 *   C        epsilon   velocity   score     v
 *   x1       1         σ̇          −1/σ      α
 *   epsilon            −α̇         0         σ
 *   velocity                      −α̇/σ      ρ = α̇α + σ̇σ
 *   score                                   −1
 *
 * which is x̂1 = (y_P − b_P)/a_P, y_Q = a_Q·x̂1 + b_Q wherever σ > 0, and stays
 * finite at σ = 0 where a and b do not (fms_param_formula gives each of the
 * twenty formulas in ASCII).  The conversion's gain |∂y_Q/∂y_P| = |D_Q/D_P|
 * multiplies the model's error; 1/|a_P| = σ/|D_P| is the gain into x̂1.
 *
 * Singular points (t in data-at-1 time; schedule.h lists where α, σ, W vanish
 * or a rate is infinite):
 *
 *   P → Q is undetermined when
 *   - P is not defined: score where σ = 0 (t = 1 except ve); velocity where α̇
 *     or σ̇ is infinite (poly:N<1 at t = 0, linear-vp and vp at t = 1);
 *   - Q is not defined (same list): the target has no finite value there;
 *   - D_P = 0: P's output does not depend on x1 given x_t, so it cannot fix Q:
 *       x1        σ = 0:  t = 1 for condot, poly, cosine, linear-vp, vp
 *       epsilon   α = 0:  t = 0 for condot, poly, cosine, linear-vp
 *       score     α = 0:  as epsilon
 *       velocity  W = 0:  t = 0 for poly:N with N > 1 (α̇ = σ̇ = 0)
 *       v         never (α² + σ² > 0)
 *     except where Q is fixed all the same: Q parallel to P (C_PQ = 0, P's
 *     basis not zero): ε ↔ score at α = 0 stay determined, y_score = −y_ε/σ,
 *     y_ε = −σ·y_score; or P's basis zero (poly:N>1's velocity at t = 0) and
 *     D_Q = 0: Q is fixed by x_t alone (ε = x_t/σ, score = −x_t/σ² there).
 *   So P → Q is determined exactly where P and Q are defined and
 *   D_P ≠ 0 or D_Q = 0 (Q lies in the span of P's basis and x_t's (α, σ)).
 *   Nothing is singular for ve.  Near these points the conversion is
 *   determined but ill-conditioned: the gain grows like 1/α (out of ε or
 *   score near t = 0), 1/σ (out of x1 near t = 1), 1/W.
 *
 * For the exact model every undetermined conversion has a value: the exact
 * model's own Q at that point (affine.h), finite at α = 0 and W = 0
 * (removable: at α = 0 the posterior is the prior, so x̂1 = E[x1] and, for
 * condot, the velocity is E[x1] − x_t), and at σ = 0 finite only where x_t is
 * a data point (elsewhere ε, velocity, score and v diverge as t → 1).
 *
 * Errors: FMS_EINVAL for an unknown name or parameterization value or a NULL
 * argument, FMS_EDOM for a non-finite x_t or model output, FMS_ERANGE when a
 * converted value overflows a double.  An undetermined conversion is not an
 * error: FMS_OK with determined = 0 and a one-sentence reason.
 */
#ifndef FMS_PARAM_H
#define FMS_PARAM_H

#include "base/status.h"
#include "model/schedule.h"

typedef enum fms_param {
    FMS_PARAM_VELOCITY = 0,
    FMS_PARAM_EPSILON,
    FMS_PARAM_X1,
    FMS_PARAM_SCORE,
    FMS_PARAM_V
} fms_param;

#define FMS_PARAM_COUNT 5
#define FMS_PARAM_REASON_MAX 384

/* A conversion's result. */
typedef struct fms_param_conversion {
    fms_param from, to;
    int determined;   /* 1: value is y_Q; 0: undetermined, value is NaN and reason says why */
    double value;     /* y_Q */
    double scale;     /* y_Q = scale·y_P + offset (NaN when undetermined) */
    double offset;
    double gain;      /* |∂y_Q/∂y_P| = |D_Q/D_P| (+∞ when D_P = 0) */
    double x1_gain;   /* 1/|a_P| = σ/|D_P| (+∞ when D_P = 0) */
    char reason[FMS_PARAM_REASON_MAX]; /* empty when determined */
} fms_param_conversion;

/* Parses "velocity", "epsilon", "x1", "score" or "v" (blanks around allowed).
 * FMS_EINVAL otherwise, with a message naming the accepted names. */
fms_status fms_param_parse(const char *text, fms_param *out, fms_error *err);

/* The name as parsed ("velocity", ...); "?" for an invalid value. */
const char *fms_param_name(fms_param p);

/* A title for text: "velocity", "ε-prediction", "x1-prediction", "score",
 * "v-prediction"; "?" for an invalid value. */
const char *fms_param_title(fms_param p);

/* The basis (c_x1, c_eps) of p at point s: value = c_x1·x̂1 + c_eps·ε̂.
 * Entries may be infinite where p is not defined.  FMS_EINVAL for bad arguments. */
fms_status fms_param_basis(fms_param p, const fms_schedule_point *s, long double *c_x1, long double *c_eps);

/* The affine form value = a·x̂1 + b of p at (x_t, s).  FMS_EDOM where it does
 * not exist: σ = 0 (except for x1: a = 1, b = 0) or p not defined. */
fms_status fms_param_coef(fms_param p, const fms_schedule_point *s, long double x_t, long double *a,
                          long double *b, fms_error *err);

/* The conversion formula from → to in ASCII, in alpha, sigma, alpha_dot,
 * sigma_dot, x_t and the model output named as from ("velocity = (x_t -
 * ...)"); "to = from" when they are equal; NULL for invalid values. */
const char *fms_param_formula(fms_param from, fms_param to);

/* Converts the output y of a from-model at (x_t, s) into the to-parameterization
 * (see above).  Fills *out, always: determined or not.  Errors as above. */
fms_status fms_param_convert(fms_param from, fms_param to, const fms_schedule_point *s, long double x_t,
                             long double y, fms_param_conversion *out, fms_error *err);

#endif /* FMS_PARAM_H */

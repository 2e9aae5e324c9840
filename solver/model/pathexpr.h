/* pathexpr.h — the formulas of an affine path written out in t: the
 * schedule's α, σ and rates, every conversion between parameterizations,
 * and the Euler step driven by a model of any parameterization.
 *
 * schedule.h evaluates a schedule at a time; this module writes it as text,
 * for the answer key (ASCII that grading/expr.h reads: + - * / ^, sin, cos,
 * exp, sqrt, log, pi) and for worked answers (UTF-8: ·, −, π, ε, √).  The
 * closed forms are schedule.h's, in the data-at-1 time τ (τ = t, or 1 − t in
 * the data-at-0 convention, whose rates are negated):
 *
 *   condot   α = τ, σ = 1 − τ, α̇ = 1, σ̇ = −1, W = 1, ρ = 2τ − 1, R = τ² + (1 − τ)²
 *   poly:N   α = τ^N, σ = 1 − τ^N, α̇ = N·τ^(N−1), σ̇ = −α̇, W = α̇, ρ = α̇·(2τ^N − 1)
 *   cosine   α = sin(πτ/2), σ = cos(πτ/2), α̇ = π/2·σ, σ̇ = −π/2·α, W = π/2, ρ = 0, R = 1
 *   linear-vp α = τ, σ = √(1 − τ²), α̇ = 1, σ̇ = −τ/σ, W = 1/σ, ρ = 0, R = 1
 *   vp:b,B   α = exp(−T/2), σ = √(1 − exp(−T)), α̇ = β/2·α, σ̇ = −β/2·exp(−T)/σ,
 *            W = β/2·α/σ, ρ = 0, R = 1, with T = b·(1 − τ) + (B − b)/2·(1 − τ)², β = b + (B − b)·(1 − τ)
 *   ve:a,b   α = 1, σ = a·(b/a)^(1 − τ), α̇ = 0, σ̇ = −ln(b/a)·σ, W = ln(b/a)·σ, ρ = −ln(b/a)·σ², R = 1 + σ²
 *
 * A conversion P → Q is written as the model output y of P solved for x̂1
 * and substituted (param.h), in the form that needs no rate twice:
 *
 *   x1 → ε (x_t − α·y)/σ        ε → x1 (x_t − σ·y)/α        u → x1 (σ·y − σ̇·x_t)/W
 *   x1 → u (W·y + σ̇·x_t)/σ      ε → u (α̇·x_t − W·y)/α       u → ε (α̇·x_t − α·y)/W
 *   x1 → s (α·y − x_t)/σ²       ε → s −y/σ                  u → s (α·y − α̇·x_t)/(σ·W)
 *   x1 → v (α·x_t − R·y)/σ      ε → v (R·y − σ·x_t)/α       u → v (ρ·x_t − R·y)/W
 *   s → x1 (x_t + σ²·y)/α       v → x1 (α·x_t − σ·y)/R
 *   s → ε −σ·y                  v → ε (σ·x_t + α·y)/R
 *   s → u (α̇·x_t + σ·W·y)/α     v → u (ρ·x_t − W·y)/R
 *   s → v −σ·(x_t + R·y)/α      v → s −(σ·x_t + α·y)/(σ·R)
 *
 * and simplified as it is built (1·a = a, a − (−b) = a + b, 1 − (1 − t) = t,
 * numbers folded when the result is a short decimal), so condot's ε → u is
 * (x_t − eps)/t, the sheet's 2.1.  The Euler step is x_t + dt·u with u the
 * conversion P → velocity.  A formula is valid where the conversion is
 * determined (param.h lists the singular points); it has no guard.
 *
 * Variables: x_t, t, dt and the model output, named by parameterization
 * (fms_pathexpr_var): eps, u, x1, s, v for a value given to convert, and
 * eps_theta, u_theta, x1_theta, s_theta, v_theta for a model in the Euler step.
 *
 * Errors: FMS_EINVAL for an invalid schedule, convention, parameterization or
 * quantity; FMS_ERANGE when the formula does not fit FMS_PATHEXPR_MAX bytes
 * (it always fits for the schedules of schedule.h).  out is "" on error.
 */
#ifndef FMS_PATHEXPR_H
#define FMS_PATHEXPR_H

#include "base/status.h"
#include "model/param.h"
#include "model/schedule.h"

/* The longest formula written, NUL included (the grader reads up to 1000 bytes). */
#define FMS_PATHEXPR_MAX 1001

typedef enum fms_pathexpr_style {
    FMS_PATHEXPR_ASCII = 0, /* the key's notation: x_t - eps, pi, sqrt(...) */
    FMS_PATHEXPR_UTF8       /* worked answers: x_t − ε, π, √(...) */
} fms_pathexpr_style;

/* The quantities of a schedule (schedule.h). */
typedef enum fms_path_quantity {
    FMS_PATH_ALPHA = 0,
    FMS_PATH_SIGMA,
    FMS_PATH_ALPHA_DOT,
    FMS_PATH_SIGMA_DOT,
    FMS_PATH_W,   /* α̇σ − σ̇α */
    FMS_PATH_RHO, /* α̇α + σ̇σ */
    FMS_PATH_R    /* α² + σ² */
} fms_path_quantity;
#define FMS_PATH_QUANTITY_COUNT 7

/* The variable that names a model's output of parameterization p: a value
 * (model = 0: "eps", "u", "x1", "s", "v") or a model in a sampler
 * (model = 1: "eps_theta", "u_theta", ...); "?" for an invalid p. */
const char *fms_pathexpr_var(fms_param p, int model);

/* Writes quantity q of schedule s in convention c as a formula in t. */
fms_status fms_pathexpr_quantity(const fms_schedule *s, fms_time_convention c, fms_path_quantity q,
                                 fms_pathexpr_style style, char out[FMS_PATHEXPR_MAX]);

/* Writes the conversion from → to as a formula in x_t, t and the variable
 * fms_pathexpr_var(from, model) (from = to: that variable). */
fms_status fms_pathexpr_convert(const fms_schedule *s, fms_time_convention c, fms_param from, fms_param to,
                                int model, fms_pathexpr_style style, char out[FMS_PATHEXPR_MAX]);

/* Writes the Euler step x_t + dt·u of a sampler driven by a model of
 * parameterization p (u its output converted to the velocity), in x_t, t, dt
 * and fms_pathexpr_var(p, 1). */
fms_status fms_pathexpr_euler(const fms_schedule *s, fms_time_convention c, fms_param p, fms_pathexpr_style style,
                              char out[FMS_PATHEXPR_MAX]);

/* Writes the general (symbolic) form of the conversion from → to, in α, σ,
 * α̇, σ̇, W, ρ, R, x_t and the variable fms_pathexpr_var(from, model), as in
 * the table above ("(alpha_dot*x_t - W*eps)/alpha"). */
fms_status fms_pathexpr_convert_symbolic(fms_param from, fms_param to, int model, fms_pathexpr_style style,
                                         char out[FMS_PATHEXPR_MAX]);

#endif /* FMS_PATHEXPR_H */

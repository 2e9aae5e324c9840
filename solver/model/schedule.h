/* schedule.h — affine probability paths: the schedules α_t, σ_t, their rates,
 * and the time convention.
 *
 * Path: x_t = α_t·x1 + σ_t·ε, ε ~ N(0, 1), data at t = 1 and noise at t = 0
 * (the "data-at-1" convention, fmsolve's and Meta's flow_matching's); the
 * conditional target is u = α̇_t·x1 + σ̇_t·ε.  A schedule is named by text:
 *
 *   name           α_t                   σ_t                         α̇_t              σ̇_t
 *   condot         t                     1 − t                       1                −1
 *   poly:N         t^N                   1 − t^N                     N·t^(N−1)        −N·t^(N−1)
 *   cosine         sin(πt/2)             cos(πt/2)                   (π/2)·σ_t        −(π/2)·α_t
 *   linear-vp      t                     √(1 − t²)                   1                −t/σ_t
 *   vp[:b,B]       e^(−T/2)              √(1 − e^(−T))               β·α_t/2          −β·α_t²/(2σ_t)
 *   ve:smin,smax   1                     smin·(smax/smin)^(1−t)      0                −ln(smax/smin)·σ_t
 *
 * with, for vp, s = 1 − t, T = s·b + s²·(B − b)/2 and β = −dT/dt = b + s·(B − b)
 * (defaults b = 0.1, B = 20, as Meta's VPScheduler).  Domains of the
 * parameters: poly N > 0; vp 0 < b < B ≤ 1000 (so that α(0) = e^(−(b+B)/4)
 * stays a normal double); ve 1e-100 ≤ smin < smax ≤ 1e100 (so that σ² and
 * 1/σ² stay doubles).  Parameters are read from their decimal text in
 * extended precision.
 *
 * Besides α, σ and their rates a point carries three combinations in closed
 * form (never formed by subtracting rounded products):
 *   snr_rate  W = α̇σ − σ̇α      condot 1, poly N·t^(N−1), cosine π/2,
 *                               linear-vp 1/σ, vp β·α/(2σ), ve ln(smax/smin)·σ;
 *                               the velocity's coefficient of x̂1 is W/σ.
 *   norm_rate ρ = α̇α + σ̇σ      = ½ d(α² + σ²)/dt: condot 2t − 1, poly N·t^(N−1)·(α − σ),
 *                               0 for the variance-preserving cosine, linear-vp and vp,
 *                               ve −ln(smax/smin)·σ².
 *   norm      R = α² + σ²      1 for cosine, linear-vp and vp.
 *
 * Singular points (data-at-1 time; in data-at-0 read 1 − t):
 *
 *   schedule    α = 0    σ = 0    W = 0 (α̇ = σ̇ = 0)   α̇ or σ̇ infinite
 *   condot      t = 0    t = 1    never               never
 *   poly:N      t = 0    t = 1    t = 0 if N > 1      t = 0 if N < 1 (α̇ = +∞, σ̇ = −∞)
 *   cosine      t = 0    t = 1    never               never
 *   linear-vp   t = 0    t = 1    never               t = 1 (σ̇ = −∞)
 *   vp:b,B      never    t = 1    never               t = 1 (σ̇ = −∞)
 *   ve          never    never    never               never
 *
 * (vp's α(0) = e^(−(b+B)/4) ≈ 0.0066 for the defaults; ve never reaches the
 * data: σ(1) = smin.)  Every schedule with σ(1) = 0 has α(1) = 1.  At such a
 * point the exact model's limits t → 1 along x_t = x_k need three constants,
 * stored in the point (see param.h and affine.h for their use):
 *
 *   lim_mu     μ = lim (1 − α)/σ           condot 1, poly 1, cosine 0, linear-vp 0, vp 0
 *   lim_kappa  κ = lim (1 − α)/σ²          condot +∞, poly +∞, cosine ½, linear-vp ½, vp ½
 *   lim_lambda λ = lim α̇ + σ̇·(1 − α)/σ    condot 0, poly 0, cosine 0, linear-vp ½, vp b/4
 *
 * Numerics: everything in long double (x87 extended) from t and 1 − t given
 * separately, so that both ends keep their relative precision: poly's
 * 1 − t^N is −expm1(N·log1p(−(1 − t))) near t = 1, cosine's sin and cos take
 * the smaller of πt/2 and π(1 − t)/2, linear-vp's 1 − t² is (1 − t)(1 + t),
 * vp's σ is √(−expm1(−T)) with T formed from 1 − t.
 *
 * Time convention: data-at-1 (the default) or data-at-0 (diffusers, DDPM:
 * noise at t = 1).  A data-at-0 time t is the data-at-1 time 1 − t, and every
 * rate is a derivative in the caller's time: α̇, σ̇, W, ρ, λ change sign, and so
 * does the velocity (diffusers' flow-matching velocity ε − x0 is the negative
 * of ours, x1 − ε).  ε, x1, score and v-prediction do not depend on the
 * convention.
 *
 * Errors: FMS_EINVAL for a malformed or unknown name (the message names the
 * bad part and the accepted forms) or a NULL argument, FMS_EDOM for a
 * parameter or a time outside its domain, FMS_ERANGE where α (t > 0) or σ
 * (t < 1) underflows extended precision.  Nothing prints, aborts or exits.
 */
#ifndef FMS_SCHEDULE_H
#define FMS_SCHEDULE_H

#include "base/status.h"

typedef enum fms_schedule_kind {
    FMS_SCHEDULE_CONDOT = 0,
    FMS_SCHEDULE_POLY,
    FMS_SCHEDULE_COSINE,
    FMS_SCHEDULE_LINEAR_VP,
    FMS_SCHEDULE_VP,
    FMS_SCHEDULE_VE
} fms_schedule_kind;

/* A parsed schedule: the kind and up to two parameters (poly: N; vp: b, B;
 * ve: smin, smax), as read from decimal text. */
typedef struct fms_schedule {
    fms_schedule_kind kind;
    long double param[2];
} fms_schedule;

typedef enum fms_time_convention {
    FMS_DATA_AT_1 = 0, /* noise at t = 0, data at t = 1 (default) */
    FMS_DATA_AT_0 = 1  /* diffusers/DDPM: data at t = 0, noise at t = 1 */
} fms_time_convention;

/* A schedule at one time, every rate a derivative in the caller's time. */
typedef struct fms_schedule_point {
    fms_time_convention conv;
    long double t, one_minus_t;        /* the caller's time and 1 − t */
    long double alpha, sigma;          /* α_t ≥ 0, σ_t ≥ 0 */
    long double alpha_dot, sigma_dot;  /* α̇_t, σ̇_t; ±∞ at the points in the table above */
    long double snr_rate;              /* W = α̇σ − σ̇α (±∞ where a rate is) */
    long double norm_rate;             /* ρ = α̇α + σ̇σ */
    long double norm;                  /* R = α² + σ² > 0 */
    long double dir_alpha, dir_sigma;  /* where α̇ or σ̇ is infinite: (α̇, σ̇) = ∞·(dir_alpha, dir_sigma); else 0 */
    long double lim_mu, lim_kappa, lim_lambda; /* the limits at σ = 0 (table above); 0 for ve */
} fms_schedule_point;

/* Flags of a point (fms_schedule_point_flags). */
enum {
    FMS_SCHEDULE_ALPHA_ZERO = 1,    /* α = 0: x_t = σ·ε does not depend on x1 */
    FMS_SCHEDULE_SIGMA_ZERO = 2,    /* σ = 0: x_t = α·x1 carries no noise */
    FMS_SCHEDULE_RATE_ZERO = 4,     /* W = 0: the velocity does not depend on x1 */
    FMS_SCHEDULE_RATE_INFINITE = 8  /* α̇ or σ̇ infinite: the velocity is not defined */
};

/* The longest canonical name, NUL included. */
#define FMS_SCHEDULE_NAME_MAX 160

/* The accepted forms, for messages and help: "condot, poly:N, cosine, ...". */
const char *fms_schedule_forms(void);

/* Sets *out to condot, the default schedule. */
void fms_schedule_default(fms_schedule *out);

/* Parses a schedule name (blanks around it allowed): "condot", "poly:2",
 * "cosine", "linear-vp", "vp", "vp:0.1,20", "ve:0.01,50".  Errors: FMS_EINVAL
 * for an unknown name, a missing or extra parameter, or a parameter that is
 * not a decimal number; FMS_EDOM for a parameter outside its domain.  err
 * names the bad part and the accepted form.  *out is unchanged on error. */
fms_status fms_schedule_parse(const char *text, fms_schedule *out, fms_error *err);

/* Writes the canonical name: the kind and every parameter, each in the
 * shortest decimal that reads back to the same value ("vp" → "vp:0.1,20").
 * It parses back to the same schedule.  FMS_EINVAL for a NULL or invalid s. */
fms_status fms_schedule_name(const fms_schedule *s, char out[FMS_SCHEDULE_NAME_MAX]);

/* Reads a time from its decimal text: *t and *one_minus_t (1 − t from the
 * digits, fms_numfmt_parse_one_minus).  FMS_EINVAL for a malformed number,
 * FMS_EDOM outside [0, 1]. */
fms_status fms_schedule_time_parse(const char *text, long double *t, long double *one_minus_t, fms_error *err);

/* Evaluates s at the caller's time t (in convention conv), with 1 − t given
 * separately: one_minus_t must agree with t (|1 − t − one_minus_t| ≤ 1e-15),
 * both in [0, 1].  Fills *out.  Errors: FMS_EINVAL for NULL arguments or an
 * invalid schedule or convention, FMS_EDOM for a time outside [0, 1] or
 * non-finite, FMS_ERANGE when α or σ underflows (see above). */
fms_status fms_schedule_eval(const fms_schedule *s, fms_time_convention conv, long double t,
                             long double one_minus_t, fms_schedule_point *out, fms_error *err);

/* Like fms_schedule_eval with 1 − t computed from a double t (exact in long double). */
fms_status fms_schedule_eval_d(const fms_schedule *s, fms_time_convention conv, double t,
                               fms_schedule_point *out, fms_error *err);

/* Like fms_schedule_eval with the time given as decimal text (fms_schedule_time_parse). */
fms_status fms_schedule_eval_text(const fms_schedule *s, fms_time_convention conv, const char *t_text,
                                  fms_schedule_point *out, fms_error *err);

/* Returns the FMS_SCHEDULE_* flags of a point (0 for an ordinary point). */
unsigned fms_schedule_point_flags(const fms_schedule_point *p);

/* Parses "data-at-1" or "data-at-0" (blanks around allowed).  FMS_EINVAL
 * otherwise, with a message naming both forms. */
fms_status fms_schedule_convention_parse(const char *text, fms_time_convention *out, fms_error *err);

/* "data-at-1" or "data-at-0"; "?" for any other value. */
const char *fms_schedule_convention_name(fms_time_convention c);

/* Maps a time in convention c to the data-at-1 time (an involution: the same
 * call maps back): identity for data-at-1, (t, 1 − t) ↦ (1 − t, t) for data-at-0. */
void fms_schedule_convention_map(fms_time_convention c, long double t, long double one_minus_t,
                                 long double *t1, long double *one_minus_t1);

/* +1 for data-at-1, −1 for data-at-0: the factor of every rate and of the velocity. */
int fms_schedule_convention_sign(fms_time_convention c);

#endif /* FMS_SCHEDULE_H */

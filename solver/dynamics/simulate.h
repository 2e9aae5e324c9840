/* simulate.h — Monte Carlo of the sheet's training loop, kept near one point.
 *
 * One sample is lines L1–L5 of the sheet, drawn with GSL generators:
 *   L1 x1 ~ data (gsl_ran_discrete),  L2 ε ~ N(0, 1) (ziggurat),
 *   L3 t ~ U(0, 1),  L4 x_t = (1 − t)·ε + t·x1,  L5 u = x1 − ε.
 * A sample is kept when (x_t, t) falls in the window
 *   W = [t0 − H, t0 + H] ∩ [0, 1]  ×  [x0 − H, x0 + H]
 * around the query (x0, t0).  Among kept samples the share of x1 = x_k
 * estimates w_k and the mean of u estimates v — not at the point, but their
 * window averages under the density p(x_t, t) = Σ_k p_k φ(ε_k)/(1 − t):
 *
 *   share_k(W) = ∫_W p_k φ(ε_k)/(1 − t) / ∫_W p,
 *   v(W)       = ∫_W Σ_k p_k φ(ε_k)/(1 − t)·u_k / ∫_W p.
 *
 * With ε = (x − t·x_k)/(1 − t) the x-integrals are Gaussian masses,
 * ∫ φ(ε_k)/(1 − t) dx = Φ(e_hi) − Φ(e_lo) and ∫ φ(ε_k)/(1 − t)·u_k dx =
 * x_k·(Φ(e_hi) − Φ(e_lo)) − (φ(e_lo) − φ(e_hi)), so only the t-integral is
 * numerical (gsl_integration_qag, 61-point Gauss–Kronrod, relative
 * tolerance 1e-10).  Tail masses are taken from the upper tail Q when both
 * bounds are positive, so shares like 1e-20 keep their digits.
 *
 * Intervals: the 95% Wilson score interval for each share (which stays
 * informative when a label is never seen: its upper end is then
 * z²/(n + z²)) and mean ± z·s/√n for the target, z = Φ⁻¹(0.975).
 *
 * Samples are drawn in chunks of FMS_SIMULATE_CHUNK from stream c of the
 * seed for chunk c (stream.h), in parallel with OpenMP; the result does not
 * depend on the number of threads.
 */
#ifndef FMS_SIMULATE_H
#define FMS_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "model/data.h"
#include "base/status.h"
#include "base/stream.h"

#define FMS_SIMULATE_CHUNK 1048576
#define FMS_SIMULATE_MAX_SAMPLES 1000000000000LL

typedef struct fms_simulate_opts {
    long long samples;        /* ≥ 1 */
    uint64_t seed;
    double window;            /* half-width H > 0 */
    fms_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} fms_simulate_opts;

typedef struct fms_simulate_result {
    double t_lo, t_hi, x_lo, x_hi; /* the window */
    unsigned long long hits;       /* kept samples */
    size_t n;                      /* data points */
    unsigned long long *count;     /* kept samples with x1 = x_k */
    double *share, *ci_lo, *ci_hi; /* count/hits and its Wilson interval (NaN when hits = 0) */
    double *exact_point;           /* w_k at (x0, t0) (engine.h; may underflow to 0) */
    double *exact_point_log;       /* ℓ_k = log w_k at the point, always finite */
    double *exact_window;          /* share_k(W) */
    double mean_target, mean_ci_lo, mean_ci_hi; /* NaN when hits < 2 */
    double exact_velocity_point, exact_velocity_window;
} fms_simulate_result;

/* Runs the simulation for data d around the query (x0, t0) as described
 * above.  On success *out must be released with fms_simulate_result_free.
 * Errors: FMS_EINVAL for samples outside [1, FMS_SIMULATE_MAX_SAMPLES] or a
 * window that is not a positive finite number; FMS_EDOM for a query outside
 * the engine's domain (fms_engine_check_query); the errors of
 * fms_simulate_window_exact; FMS_ENOMEM. */
fms_status fms_simulate_run(const fms_data *d, double t0, double x0, const fms_simulate_opts *opts,
                            fms_simulate_result **out, fms_error *err);

/* Computes share_k(W) for every k into share (n entries) and v(W) into
 * *velocity for the window [t_lo, t_hi] × [x_lo, x_hi] (0 ≤ t_lo < t_hi ≤ 1,
 * x_lo < x_hi).  Errors: FMS_EDOM for a bad window, FMS_ERANGE when the
 * window has no probability mass in double precision, FMS_EGSL when GSL's
 * integrator fails, FMS_ENOMEM. */
fms_status fms_simulate_window_exact(const fms_data *d, double t_lo, double t_hi, double x_lo,
                                     double x_hi, double *share, double *velocity, fms_error *err);

/* Releases a result; NULL is allowed. */
void fms_simulate_result_free(fms_simulate_result *r);

#endif /* FMS_SIMULATE_H */

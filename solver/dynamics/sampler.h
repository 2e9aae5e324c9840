/* sampler.h — Euler sampling of the exact flow, in the velocity and the
 * ε-prediction parameterisations (exercise 2.2), and a high-accuracy
 * reference.
 *
 * A particle starts at x_0 = ε ~ N(0, 1) at t = 0 and takes K Euler steps of
 * Δt = 1/K to t = 1, at times t_j = j/K, j = 0..K−1:
 *
 *   velocity:  x ← x + Δt·v(x, t_j),            v = (x̂1 − x)/(1 − t)
 *   epsilon:   x ← x + Δt·(x − ε̂(x, t_j))/t_j,   ε̂ = (x − t·x̂1)/(1 − t)
 *
 * with the exact posterior means x̂1, ε̂ of kernel.h (the models a perfectly
 * trained network would learn).  At t = 0 the ε-update is 0/0: ε̂(x, 0) = x
 * exactly, because at t = 0 x_t is the noise.  The sampler replaces it by its
 * limit as t → 0, which the ε-model itself determines: (x − ε̂(x, h))/h with
 * h = 2^−20, a one-sided difference quotient of the model (h is exact in
 * binary, so t = h is evaluated as written).  Algebraically
 * (x − ε̂)/t = (x̂1 − x)/(1 − t) for t > 0, so the two parameterisations
 * follow the same field and, from the same noise, end within O(h) of each
 * other — which is exercise 2.2 checked numerically.
 *
 * The reference integrates dx/dt = v(x, t) with GSL's gsl_odeiv2 (rk8pd,
 * absolute and relative tolerance 1e-10) from t = 0 to t1 = 1 − 2^−30, in
 * the variable s = −log(1 − t), where it reads dx/ds = x̂1 − x and is not
 * stiff (in t it stiffens like 1/(1 − t)), and takes the last stretch exactly
 * as a straight line, x(1) = x(t1) + (1 − t1)·v(x(t1), t1) = x̂1(x(t1), t1):
 * near t = 1 each path is a line toward its data point.
 *
 * Why two errors: the data are point masses, so Euler's last step lands on
 * x̂1(x, 1 − Δt), which is a data point to rounding; the end-point error is
 * 0 for almost every particle and about the gap between two points for the
 * few near a basin boundary that Euler sends to the other point.  Euler's
 * O(Δt) global error is seen at the midpoint t_mid = ⌊K/2⌋/K, which the run
 * reports too.
 *
 * Noise and chunks: particles are processed in chunks of FMS_SAMPLER_CHUNK;
 * chunk c draws its noise from stream c of the seed (stream.h) with GSL's
 * ziggurat Gaussian, so results do not depend on the number of threads and
 * memory stays bounded for any number of particles.
 */
#ifndef FMS_SAMPLER_H
#define FMS_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "model/data.h"
#include "dynamics/kernel.h"
#include "base/status.h"
#include "base/stream.h"

#define FMS_SAMPLER_CHUNK 65536
/* Bounds of the command: far above any sensible run, low enough to fail fast on typos. */
#define FMS_SAMPLER_MAX_PARTICLES 10000000000LL
#define FMS_SAMPLER_MAX_STEPS 100000000LL
#define FMS_SAMPLER_BINS 25

typedef enum fms_sampler_param {
    FMS_SAMPLER_VELOCITY, /* u_θ = v */
    FMS_SAMPLER_EPSILON   /* ε_θ = ε̂ with the update of 2.2 */
} fms_sampler_param;

/* Parses "velocity" or "epsilon"; FMS_EINVAL (no message) otherwise. */
fms_status fms_sampler_param_parse(const char *name, fms_sampler_param *out);

/* The name of a parameterisation ("velocity", "epsilon"); cannot fail. */
const char *fms_sampler_param_name(fms_sampler_param p);

/* Fills out[0..n) with the starting noise of particles 0..n−1 of a run with
 * this seed: the same values fms_sampler_run draws.  Errors: FMS_ENOMEM. */
fms_status fms_sampler_noise(uint64_t seed, size_t n, double *out, fms_error *err);

/* The Euler sampler for plots and tests: advances the m particles in x
 * (starting points at t = 0 on entry, end points at t = 1 on return) by
 * `steps` Euler steps in parameterisation p, sequentially in the calling
 * thread.  traj, when not NULL, holds m·(steps + 1) doubles and receives the
 * position of particle i after step j at traj[j·m + i] (j = 0 is the start).
 * Errors: FMS_EINVAL for steps = 0, FMS_EDOM for a non-finite start,
 * FMS_ERANGE if a particle leaves the double range, FMS_ENOMEM. */
fms_status fms_sampler_euler(const fms_kernel *k, fms_sampler_param p, size_t steps,
                             size_t m, double *x, double *traj, fms_error *err);

/* The reference solution of dx/dt = v(x, t) from x(0) = x0, solved as
 * described above: *x1 = x(1) and, when x_mid is not NULL, *x_mid =
 * x(t_mid).  Errors: FMS_EDOM for a non-finite x0 or t_mid outside
 * [0, 0.5], FMS_EGSL when the ODE solver fails, FMS_ENOMEM. */
fms_status fms_sampler_reference(const fms_kernel *k, double x0, double t_mid, double *x_mid,
                                 double *x1, fms_error *err);

typedef struct fms_sample_opts {
    long long particles;        /* ≥ 1 */
    long long steps;            /* K ≥ 1 */
    fms_sampler_param param;
    uint64_t seed;
    int reference;              /* also solve the ODE accurately and compare */
    fms_progress_fn progress;   /* may be NULL */
    void *progress_ctx;
} fms_sample_opts;

typedef struct fms_sample_result {
    size_t n;            /* data points */
    size_t *count;       /* particles whose end point is nearest to point k (ties: first) */
    double mean, std;    /* mean and sample standard deviation of the end points */
    size_t nbins;        /* histogram of end points on [hist_lo, hist_hi) */
    double hist_lo, hist_hi;
    size_t *hist;
    size_t below, above; /* end points outside the histogram's range */
    int have_reference;
    double ref_max_abs, ref_mean_abs; /* |Euler − reference| at t = 1 over all particles */
    double ref_mid_t;                 /* t_mid = ⌊K/2⌋/K */
    double ref_mid_max_abs, ref_mid_mean_abs; /* |Euler − reference| at t_mid */
} fms_sample_result;

/* Runs the sampler on data d as described above, in parallel over chunks
 * (OpenMP), and summarises the end points.  The histogram spans the data's
 * range widened by 0.3·max(spread, 1) on each side.  On success *out must be
 * released with fms_sampler_result_free.  Errors: FMS_EINVAL for particles or
 * steps outside [1, FMS_SAMPLER_MAX_*] or a NULL or empty d, FMS_ENOMEM, and
 * the errors of fms_sampler_euler and fms_sampler_reference (of the lowest
 * failing chunk, whatever the number of threads). */
fms_status fms_sampler_run(const fms_data *d, const fms_sample_opts *opts,
                           fms_sample_result **out, fms_error *err);

/* Releases a result; NULL is allowed. */
void fms_sampler_result_free(fms_sample_result *r);

#endif /* FMS_SAMPLER_H */

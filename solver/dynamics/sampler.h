/* sampler.h — sampling the exact flow with six ODE methods, in the five
 * parameterisations of the model (param.h), and a high-accuracy reference.
 *
 * A particle starts at x_0 = ε ~ N(0, 1) at t = 0 and follows
 * dx/dt = v(x, t) to t = 1, where v is the velocity of the model.
 *
 * The model (one enum, fms_sampler_param).  A network predicts one of
 *
 *   velocity  u_θ(x, t) ≈ v = (x̂1 − x)/(1 − t)
 *   epsilon   ε_θ(x, t) ≈ ε̂ = (x − t·x̂1)/(1 − t)
 *   x1        x̂1_θ(x, t) ≈ x̂1 = E[x1 | x_t = x]
 *   score     s_θ(x, t) ≈ ∇ log p_t(x) = −ε̂/(1 − t)
 *   v         v_θ(x, t) ≈ t·ε̂ − (1 − t)·x̂1   (Salimans and Ho's v-prediction)
 *
 * and the sampler turns its output into a velocity with one function,
 * fms_sampler_velocity_from: velocity as it is, epsilon by v = (x − ε_θ)/t
 * (the update of exercise 2.2), x1 by v = (x̂1_θ − x)/(1 − t), score by
 * v = (x + (1 − t)·s_θ)/t, v-prediction by v = ((2t − 1)·x − v_θ)/(t² + (1 − t)²)
 * (param.h's conversions on the condot path, pathexpr.h writes them).  Here the
 * model is exact: its output is computed from the kernel's x̂1 (kernel.h),
 * what a perfectly trained network of that kind would give
 * (fms_sampler_model_output).  At t = 0 the ε-velocity is 0/0 (ε̂(x, 0) = x
 * exactly, because at t = 0 x_t is the noise), and so is the score's
 * (α = 0: param.h); an ε- or score model is therefore evaluated at
 * t = h = 2^−20 wherever a method asks for t = 0: a one-sided difference
 * quotient of the model (h is exact in binary).  Algebraically the five give
 * the same field, so from the same noise they end within rounding (and O(h)
 * for epsilon and score) of each other.
 *
 * The time grid of the fixed-step methods: t_j = 1 − (1 − j/N)^ρ, j = 0..N.
 * ρ = 1 is uniform (h = 1/N); ρ > 1 (the default is 2) shortens the steps
 * toward t = 1 like EDM's σ-schedule (Karras et al. 2022) with σ = 1 − t:
 * that is where particles split between close points and the posterior
 * moves fastest (1 − t_{N−1} = N^−ρ).
 *
 * The methods (fms_sampler_method), a step from t to t + h, with f(t, x)
 * the velocity:
 *
 *   euler     order 1, 1 evaluation per step:  x ← x + h·f(t, x).
 *   midpoint  order 2, 2 per step:  k1 = f(t, x), k2 = f(t + h/2, x + h/2·k1),
 *             x ← x + h·k2.
 *   heun      order 2, 2 per step (the trapezoidal rule of EDM, Karras et al.
 *             2022):  k1 = f(t, x), k2 = f(t + h, x + h·k1),
 *             x ← x + h/2·(k1 + k2).
 *   rk4       order 4, 4 per step (the classical Runge–Kutta method):
 *             k1 = f(t, x), k2 = f(t + h/2, x + h/2·k1),
 *             k3 = f(t + h/2, x + h/2·k2), k4 = f(t + h, x + h·k3),
 *             x ← x + h/6·(k1 + 2k2 + 2k3 + k4).
 *   dpm2      order 2, 2 per step: DPM-Solver-2 (Lu et al. 2022) in its
 *             data-prediction form (DPM-Solver++(2S), r = 1/2) for the path
 *             α_t = t, σ_t = 1 − t.  With D(x, t) = x + (1 − t)·f(t, x) (the
 *             model's x̂1) and λ = log(t/(1 − t)), a step s → t goes to the
 *             λ-midpoint t_m (t_m/(1 − t_m) = √(s·t/((1 − s)(1 − t)))) by
 *             the first-order update, then takes the whole step with the
 *             midpoint's prediction:
 *               u = x + (t_m − s)·f(s, x),
 *               x ← x + (t − s)/(1 − s)·(D(u, t_m) − x).
 *             (The first-order update is Euler's step: for this path DDIM,
 *             DPM-Solver-1 and Euler coincide.)  From s = 0, where λ = −∞,
 *             t_m = t/2.
 *   adaptive  Dormand–Prince 5(4) (dopri5, as torchdiffeq and Meta's
 *             flow_matching use it) with error control, in the variable
 *             σ = −log(1 − t), where dx/dσ = (1 − t)·f is not stiff, from
 *             σ = 0 to σ_end = 30·ln 2 (t_end = 1 − 2^−30); then the last
 *             stretch as a straight line, x(1) = D(x, t_end).  The step is
 *             shared by the particles of a batch (FMS_SAMPLER_ADAPTIVE_BATCH,
 *             fixed by the particle numbers, so results do not depend on the
 *             threads), accepted when max_i |err_i|/(tol·(1 + |x_i|)) ≤ 1,
 *             and changed by 0.9·norm^(−1/5), within [0.2, 5].  The run
 *             stops at every output time (t = 1/2 for the reference, the
 *             trajectory's times) so that positions there are exact steps.
 *
 * The end of the last step is t = 1, where f is 0/0; a method whose stage
 * falls there (heun, rk4, dpm2: t_m = 1) takes its last step as an Euler
 * step, x(1) = x + h·f(1 − h, x) = D(x, 1 − h), costing one evaluation.
 * This is exact wherever the posterior has settled on one point (the path
 * is then a straight line toward it, which Euler follows exactly).
 *
 * Cost: `steps` counts model evaluations, so that methods are compared at
 * equal cost.  N, the number of time steps, is the largest with
 * evaluations(N) ≤ steps (at least 1):
 *   euler N, midpoint 2N, heun 2N − 1, rk4 4N − 3, dpm2 2N − 1.
 * The adaptive method chooses its steps; `tol` sets its accuracy, and its
 * evaluations are counted (per particle, averaged over the run).
 *
 * The reference integrates dx/dt = v(x, t) with GSL's gsl_odeiv2 (rk8pd,
 * absolute and relative tolerance 1e-10) from t = 0 to t1 = 1 − 2^−30, in
 * the variable σ = −log(1 − t), where it reads dx/dσ = x̂1 − x, and takes the
 * last stretch exactly as a straight line, x(1) = x̂1(x(t1), t1).
 *
 * Why two errors: the data are point masses, so the last step lands on
 * x̂1(x, 1 − h), which is a data point to rounding; the end-point error is 0
 * for almost every particle and about the gap between two points for the
 * few near a basin boundary that the method sends to the other point.  The
 * method's global error is seen at t = 1/2, which the run reports too: a
 * grid time (ρ = 1 and N even) or an output time of adaptive, else
 * interpolated within its step by the cubic Hermite polynomial through the
 * positions and slopes at both ends (the slope at the end costs one model
 * evaluation, not counted; a step ending at t = 1, which has no slope
 * there, by the quadratic through both positions and the first slope).
 *
 * Noise and chunks: particles are processed in chunks of FMS_SAMPLER_CHUNK;
 * chunk c draws its noise from stream c of the seed (stream.h) with GSL's
 * ziggurat Gaussian, so results do not depend on the number of threads and
 * memory stays bounded for any number of particles.  Within a chunk,
 * batches of FMS_SAMPLER_BATCH particles go through every step together.
 */
#ifndef FMS_SAMPLER_H
#define FMS_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "model/data.h"
#include "model/param.h"
#include "dynamics/kernel.h"
#include "base/status.h"
#include "base/stream.h"

#define FMS_SAMPLER_CHUNK 65536
#define FMS_SAMPLER_BATCH 1024
#define FMS_SAMPLER_ADAPTIVE_BATCH 256
/* Bounds of the command: far above any sensible run, low enough to fail fast on typos. */
#define FMS_SAMPLER_MAX_PARTICLES 10000000000LL
#define FMS_SAMPLER_MAX_STEPS 100000000LL
/* The adaptive method's tolerance range, and its evaluations per batch at most. */
#define FMS_SAMPLER_MIN_TOL 1e-13
#define FMS_SAMPLER_MAX_TOL 0.1
#define FMS_SAMPLER_MAX_ADAPTIVE_EVALS 10000000L
#define FMS_SAMPLER_BINS 25
/* W1 keeps every end point (8 bytes each): only up to this many particles. */
#define FMS_SAMPLER_W1_MAX_PARTICLES 10000000LL

/* The model's parameterisation: param.h's five. */
typedef fms_param fms_sampler_param;
#define FMS_SAMPLER_VELOCITY FMS_PARAM_VELOCITY /* u_θ = v */
#define FMS_SAMPLER_EPSILON FMS_PARAM_EPSILON   /* ε_θ = ε̂ with the update of 2.2 */
#define FMS_SAMPLER_X1 FMS_PARAM_X1             /* x̂1_θ = x̂1 */
#define FMS_SAMPLER_SCORE FMS_PARAM_SCORE       /* s_θ = −ε̂/(1 − t) */
#define FMS_SAMPLER_V FMS_PARAM_V               /* v_θ = t·ε̂ − (1 − t)·x̂1 */
#define FMS_SAMPLER_NPARAMS FMS_PARAM_COUNT

typedef enum fms_sampler_method {
    FMS_SAMPLER_EULER,
    FMS_SAMPLER_MIDPOINT,
    FMS_SAMPLER_HEUN,
    FMS_SAMPLER_RK4,
    FMS_SAMPLER_DPM2,
    FMS_SAMPLER_ADAPTIVE
} fms_sampler_method;
#define FMS_SAMPLER_NMETHODS 6

/* The method `fmsolve sample` uses when none is named (see docs/dynamics.md
 * for the measurements that chose it) and its tolerance for adaptive. */
#define FMS_SAMPLER_DEFAULT_METHOD FMS_SAMPLER_RK4
#define FMS_SAMPLER_DEFAULT_TOL 1e-6
#define FMS_SAMPLER_DEFAULT_RHO 2.0
#define FMS_SAMPLER_MAX_RHO 10.0

/* How to integrate: method, model, cost. */
typedef struct fms_sampler_spec {
    fms_sampler_method method;
    fms_sampler_param param;
    long long steps;  /* model evaluations per particle (fixed-step methods), ≥ 1 */
    double tol;       /* adaptive: tolerance, in [FMS_SAMPLER_MIN_TOL, FMS_SAMPLER_MAX_TOL] */
    double rho;       /* fixed-step methods: the grid's exponent, in [1, FMS_SAMPLER_MAX_RHO] */
} fms_sampler_spec;

/* Parses "velocity", "epsilon", "x1", "score" or "v"; FMS_EINVAL (no message) otherwise. */
fms_status fms_sampler_param_parse(const char *name, fms_sampler_param *out);

/* The name of a parameterisation; cannot fail ("?" outside the enum). */
const char *fms_sampler_param_name(fms_sampler_param p);

/* Parses a method name (euler, midpoint, heun, rk4, dpm2, adaptive);
 * FMS_EINVAL (no message) otherwise. */
fms_status fms_sampler_method_parse(const char *name, fms_sampler_method *out);

/* The name of a method and its order of accuracy (0 for adaptive, whose
 * error follows the tolerance); cannot fail ("?" and 0 outside the enum). */
const char *fms_sampler_method_name(fms_sampler_method m);
int fms_sampler_method_order(fms_sampler_method m);

/* The number of time steps N for a budget of `steps` model evaluations
 * (see "Cost" above; at least 1), and the evaluations that N steps cost.
 * For adaptive both return their argument.  Cannot fail. */
long long fms_sampler_intervals(fms_sampler_method m, long long steps);
long long fms_sampler_evaluations(fms_sampler_method m, long long intervals);

/* The exact model's output for particles x[0..m) at time t from their
 * posterior means hat[i] = x̂1(x[i], t): what a perfectly trained model of
 * kind p predicts (out may be hat).  Cannot fail. */
void fms_sampler_model_output(fms_sampler_param p, double t, size_t m, const double *x, const double *hat,
                              double *out);

/* The velocity from a model's output at time t (see above; v may be out):
 * the one place where a parameterisation becomes a velocity.  t must be
 * > 0 for epsilon and score, and < 1 for x1.  Cannot fail. */
void fms_sampler_velocity_from(fms_sampler_param p, double t, size_t m, const double *x, const double *out,
                               double *v);

/* Fills out[0..n) with the starting noise of particles 0..n−1 of a run with
 * this seed: the same values fms_sampler_run draws.  Errors: FMS_ENOMEM. */
fms_status fms_sampler_noise(uint64_t seed, size_t n, double *out, fms_error *err);

/* The noise of chunk c: particles [c·FMS_SAMPLER_CHUNK, c·FMS_SAMPLER_CHUNK
 * + m) from stream c of the seed.  Errors: FMS_ENOMEM. */
fms_status fms_sampler_chunk_noise(uint64_t seed, size_t c, size_t m, double *out, fms_error *err);

/* The time grid of the fixed-step methods: t_j = 1 − (1 − j/N)^ρ for
 * 0 ≤ j ≤ N (t_N = 1 exactly; ρ = 1 gives j/N exactly), and the last grid
 * time at or before t = 1/2 (the largest j with t_j ≤ 1/2).  Cannot fail. */
double fms_sampler_grid_time(double rho, long long j, long long n);
long long fms_sampler_mid_step(double rho, long long n);

/* Checks a spec: FMS_OK, or FMS_EINVAL with a message for a method or
 * parameterisation outside its enum, steps outside [1, FMS_SAMPLER_MAX_STEPS],
 * rho outside [1, FMS_SAMPLER_MAX_RHO] or, for adaptive, tol outside its
 * range. */
fms_status fms_sampler_spec_check(const fms_sampler_spec *s, fms_error *err);

/* Advances the m particles in x (starting points at t = 0 on entry, end
 * points at t = 1 on return) with spec s, sequentially in the calling
 * thread.  traj, when not NULL, holds m·(N + 1) doubles, N =
 * fms_sampler_intervals(s->method, s->steps), and receives the position of
 * particle i at t_j = j/N at traj[j·m + i] (for adaptive, N = s->steps
 * output times between which the solver chooses its own steps).  *evals
 * (may be NULL) receives the model evaluations per particle (a mean for
 * adaptive).  Errors: those of fms_sampler_spec_check, FMS_EDOM for a
 * non-finite start, FMS_ERANGE if a particle leaves the double range or the
 * adaptive method exceeds FMS_SAMPLER_MAX_ADAPTIVE_EVALS, FMS_ENOMEM. */
fms_status fms_sampler_solve(const fms_kernel *k, const fms_sampler_spec *s, size_t m, double *x, double *traj,
                             double *evals, fms_error *err);

/* The reference solution of dx/dt = v(x, t) from x(0) = x0, solved as
 * described above: *x1 = x(1) and, when x_mid is not NULL, *x_mid =
 * x(t_mid).  Errors: FMS_EDOM for a non-finite x0 or t_mid outside
 * [0, 1 − 2^−30], FMS_EGSL when the ODE solver fails, FMS_ENOMEM. */
fms_status fms_sampler_reference(const fms_kernel *k, double x0, double t_mid, double *x_mid,
                                 double *x1, fms_error *err);

typedef struct fms_sample_opts {
    long long particles;        /* ≥ 1 */
    fms_sampler_spec spec;      /* method, parameterisation, evaluations, tolerance */
    uint64_t seed;
    int reference;              /* also solve the ODE accurately and compare */
    fms_progress_fn progress;   /* may be NULL */
    void *progress_ctx;
} fms_sample_opts;

/* Fills the defaults: 100000 particles, FMS_SAMPLER_DEFAULT_METHOD with the
 * velocity model and 100 evaluations, FMS_SAMPLER_DEFAULT_TOL, seed 1, no
 * reference, no progress.  Cannot fail. */
void fms_sampler_opts_init(fms_sample_opts *o);

typedef struct fms_sample_result {
    size_t n;            /* data points */
    size_t *count;       /* particles whose end point is nearest to point k (ties: first) */
    double mean, std;    /* mean and sample standard deviation of the end points */
    double data_std;     /* standard deviation of the data distribution, √(Σ p_k (x_k − mean)²) */
    long long intervals; /* time steps N (adaptive: 0) */
    double evaluations;  /* model evaluations per particle (adaptive: the mean) */
    size_t nbins;        /* histogram of end points on [hist_lo, hist_hi) */
    double hist_lo, hist_hi;
    size_t *hist;
    size_t below, above; /* end points outside the histogram's range */
    double w1;           /* with reference and at most FMS_SAMPLER_W1_MAX_PARTICLES particles: the
                            Wasserstein-1 distance ∫|F_N − F| dx between the end points and the
                            data distribution; NaN otherwise */
    int have_reference;
    double ref_max_abs, ref_mean_abs; /* |method − reference| at t = 1 over all particles */
    double ref_mid_t;                 /* t_mid = 1/2 */
    double ref_mid_max_abs, ref_mid_mean_abs; /* |method − reference| at t_mid */
} fms_sample_result;

/* The standard deviation of the data distribution, √(Σ p_k (x_k − mean)²).
 * Cannot fail. */
double fms_sampler_data_std(const fms_data *d);

/* Whether end points whose standard deviation is std resolve data whose
 * standard deviation is data_std: 0 when std < data_std/4 (the method
 * merged the points: more steps or another method are needed), else 1
 * (also for data_std = 0, a single point).  Cannot fail. */
int fms_sampler_resolved(double std, double data_std);

/* The cost of a spec in words: "25 rk4 steps", or "the adaptive method at
 * tolerance 1e-06".  Cannot fail. */
void fms_sampler_cost_text(const fms_sampler_spec *s, char *out, size_t size);

/* The sentence that says so, for stderr: "the end points spread over STD,
 * the data over DATA_STD: N METHOD steps cannot resolve the data; use more
 * --steps or --method adaptive" (numbers with 3 digits; "the adaptive method
 * at tolerance E" for adaptive), cut to fit size bytes.  Cannot fail. */
void fms_sampler_unresolved_message(const fms_sampler_spec *s, double std, double data_std, char *out,
                                    size_t size);

/* Runs the sampler on data d as described above, in parallel over chunks
 * (OpenMP), and summarises the end points.  The histogram spans the data's
 * range widened by 0.3·max(spread, 1) on each side.  On success *out must be
 * released with fms_sampler_result_free.  Errors: FMS_EINVAL for particles
 * outside [1, FMS_SAMPLER_MAX_PARTICLES], a bad spec or a NULL or empty d,
 * FMS_ENOMEM, and the errors of fms_sampler_solve and fms_sampler_reference
 * (of the lowest failing chunk, whatever the number of threads). */
fms_status fms_sampler_run(const fms_data *d, const fms_sample_opts *opts, fms_sample_result **out, fms_error *err);

/* Releases a result; NULL is allowed. */
void fms_sampler_result_free(fms_sample_result *r);

#endif /* FMS_SAMPLER_H */

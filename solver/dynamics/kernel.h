/* kernel.h — the fast closed-form posterior mean for many particles at once.
 *
 * The same model as engine.h, evaluated in double precision for a batch of
 * queries x_1..x_m sharing one time t.  With c = 1/(2(1 − t)²) the log score
 * of point k is a_k = log p_k − c·(x − t·x_k)², and the term c·x² is common
 * to every k, so it cancels in the weights; what is left is linear in x:
 *
 *   a'_k(x) = b_k + g_k·x,   b_k = log p_k − c·t²·x_k²,   g_k = 2c·t·x_k,
 *   w_k(x)  = exp(a'_k − m) / Σ_j exp(a'_j − m),   m = max_j a'_j(x),
 *   x̂1(x)   = Σ_k w_k·x_k,
 *
 * from which v = (x̂1 − x)/(1 − t) and ε̂ = (x − t·x̂1)/(1 − t).  One "term" is
 * one (particle, data point) pair: one exponential and three multiply-adds.
 * The kernel keeps the points sorted by x_k (the sum does not depend on the
 * order of the points, only its rounding does).
 *
 * Paths, by the number of points n (kernel_fast.h has the loops):
 *
 *   n = 1   x̂1 = x_1, exactly.
 *   n = 2   one exponential per particle: with the log-odds
 *           d = a'_2 − a'_1 = log(p_2/p_1) − c·t·(x_2 − x_1)·(t·(x_2 + x_1) − 2x)
 *           (formed from differences, so it keeps its digits as t → 1), the
 *           pivot's term is e^0 = 1 and is not computed:
 *           x̂1 = x_dom + (x_other − x_dom)·e^−|d|/(1 + e^−|d|).
 *   n < FMS_KERNEL_WINDOW_MIN   every term, vectorised over blocks of
 *           particles: the largest exponent (the pivot), then the sums.
 *   n ≥ FMS_KERNEL_WINDOW_MIN   the same, over a window of points around
 *           each particle's largest term:
 *
 * The window.  The argmax k* of a'_k(x) is found by a binary search of the
 * upper envelope of the lines b_k + g_k·x (built once per t; the slopes g_k
 * are sorted with x_k).  Let lp_max = max_k log p_k and
 * T = 64·ln 2 + ln n + 1.  Every point with
 *
 *   (x − t·x_k)² > R²,   R² = (lp_max − log p_k*)/c + (x − t·x_k*)² + T/c,
 *
 * has a_k ≤ lp_max − c·(x − t·x_k)² < lp_max − c·R² = a_k* − T, so its term
 * is below e^−T of the largest (which is 1 after the pivot).  Those points
 * lie outside the interval x_k ∈ [(x − R)/t, (x + R)/t], found by two binary
 * searches on the sorted x_k; at most n of them are left out, so the sum s
 * of the terms changes by less than n·e^−T < 2^−64·s and Σ x_k·(term) by
 * less than 2^−64·max|x_k|·s: below 1/2048 of an ulp of s, and far below
 * the rounding error of the sums themselves.  The sums run over the window
 * in point order, as the full sum does, and the pivot is the largest
 * exponent inside the window (the same as over all points), so the
 * windowed and the full results are the same doubles or one ulp apart
 * (tests/unit/test_kernel.c checks this on random sets).  A block of
 * particles loops over the union of their windows with every term outside
 * a particle's own window replaced by an exact 0, so a particle's result
 * depends on its own x only, never on the other particles of the block.
 * At t = 0 (every g_k = 0) the window is every point.  The windows pay when
 * the particles of a block are near each other (callers sort them: the
 * flow keeps their order) and t is late enough that the posterior is
 * narrow compared with the spread of the data.
 *
 * Exponents are clamped into [−700, 0] (kernel_fast.h): the pivot's term is 1,
 * a term rounding pushes above the pivot cannot overflow, and one below
 * e^−700 stays a normal number (under 10^−304 of the largest, far below a
 * rounding error of the sum).  Results agree with fms_engine_eval to about
 * 1e-13 relative where the problem is well conditioned.  Evaluation is
 * sequential and deterministic; callers parallelise over batches.
 */
#ifndef FMS_KERNEL_H
#define FMS_KERNEL_H

#include <stddef.h>

#include "model/data.h"
#include "base/status.h"

/* From this many points on, the window path is used (see above). */
#define FMS_KERNEL_WINDOW_MIN 16

/* The kernel prepared for one time t (fms_kernel_prepare). */
typedef struct fms_kernel_at {
    double t, c;       /* the time and c = 1/(2(1 − t)²) */
    double *b, *g;     /* b_k and g_k, in the kernel's point order */
    double db, dg;     /* n = 2: d(x) = db + dg·x, the log-odds of the second point */
    size_t nenv;       /* the upper envelope of the lines: env[0..nenv) ... */
    size_t *env;       /* ... the points in order of slope, and */
    double *brk;       /* brk[j]: the x where env[j] overtakes env[j − 1] (brk[0] unused) */
} fms_kernel_at;

/* Data prepared for the kernel. */
typedef struct fms_kernel {
    size_t n;          /* number of data points */
    double *x;         /* x_k, ascending */
    double *log_prob;  /* log p_k in the same order */
    double *y;         /* the values averaged: x_k, or those of fms_kernel_create_values */
    size_t *index;     /* the data's index of each point */
    double log_prob_max;
    double xabs_max;   /* max_k |x_k| */
    double window_t;   /* T of the window; 0 = no window (every term is summed) */
    fms_kernel_at *own; /* scratch of fms_kernel_x1hat_at */
} fms_kernel;

/* Copies the points and log probabilities of d into a new kernel, sorted by
 * x.  Errors: FMS_EINVAL for a NULL or empty d, FMS_ENOMEM. */
fms_status fms_kernel_create(const fms_data *d, fms_kernel **out, fms_error *err);

/* Like fms_kernel_create, for a kernel whose "x̂1" is the posterior mean of
 * values[k] instead of x_k: Σ_k w_k(x)·values[k] (for example the share of
 * one label, with values 1 for it and 0 for the others).  values holds d->n
 * finite numbers (in data order); NULL means x_k.  Errors as
 * fms_kernel_create. */
fms_status fms_kernel_create_values(const fms_data *d, const double *values, fms_kernel **out, fms_error *err);

/* Releases a kernel; NULL is allowed. */
void fms_kernel_free(fms_kernel *k);

/* Turns the window of the many-point path off (on = 0: every term is
 * summed, as a reference) or on again (the default).  Cannot fail. */
void fms_kernel_set_window(fms_kernel *k, int on);

/* A time slot for kernel k, to be filled by fms_kernel_prepare; one per
 * thread.  Errors: FMS_ENOMEM. */
fms_status fms_kernel_at_new(const fms_kernel *k, fms_kernel_at **out, fms_error *err);

/* Releases a time slot; NULL is allowed. */
void fms_kernel_at_free(fms_kernel_at *a);

/* Fills a for time t: the coefficients, the two-point log-odds and the
 * envelope.  Errors: FMS_EDOM unless 0 ≤ t < 1 and the coefficients are
 * finite (t too close to 1 for a double). */
fms_status fms_kernel_prepare(const fms_kernel *k, double t, fms_kernel_at *a, fms_error *err);

/* Checks that queries with |x| ≤ xabs keep every exponent b_k + g_k·x well
 * inside the double range (below 1e300 in magnitude) at a.  Errors:
 * FMS_ERANGE, or FMS_EDOM when xabs is not finite. */
fms_status fms_kernel_check_range(const fms_kernel *k, const fms_kernel_at *a, double xabs, fms_error *err);

/* out[i] = x̂1(x[i]) for i < m at the time a was prepared for (out may be
 * x).  Errors: FMS_EDOM when some x[i] is not finite, FMS_ERANGE when an
 * exponent |b_k + g_k·x| could leave the double range (see
 * fms_kernel_check_range) or a result is not finite. */
fms_status fms_kernel_x1hat(const fms_kernel *k, const fms_kernel_at *a, size_t m, const double *x,
                            double *out, fms_error *err);

/* Like fms_kernel_x1hat without any check, for inner loops whose caller has
 * validated x (every x[i] finite, and fms_kernel_check_range passed for a
 * bound on |x[i]|); otherwise the result is unspecified.  Cannot fail. */
void fms_kernel_x1hat_unchecked(const fms_kernel *k, const fms_kernel_at *a, size_t m, const double *x,
                                double *out);

/* idx[i] = the data index (order of d) of the point with the largest weight
 * at x[i] (the upper envelope, kernel.h), at the time a was prepared for;
 * for x[i] on a border between two, either of them.  The caller has
 * validated x as for fms_kernel_x1hat_unchecked.  Cannot fail. */
void fms_kernel_argmax(const fms_kernel *k, const fms_kernel_at *a, size_t m, const double *x, size_t *idx);

/* Returns 1 when every x[i], i < m, is finite, else 0; *xabs (may be NULL)
 * receives max_i |x[i]| (0 for m = 0). */
int fms_kernel_all_finite(const double *x, size_t m, double *xabs);

/* Convenience for one time: prepares the kernel's own slot and evaluates
 * x̂1 for m particles.  Not safe to call on one kernel from two threads at
 * once (use fms_kernel_at_new and fms_kernel_prepare per thread).  Errors as
 * fms_kernel_prepare and fms_kernel_x1hat. */
fms_status fms_kernel_x1hat_at(fms_kernel *k, double t, size_t m, const double *x, double *out,
                               fms_error *err);

/* v(x, t) = (x̂1 − x)/(1 − t) and ε̂(x, t) = (x − t·x̂1)/(1 − t) from x̂1, for
 * t < 1 (at t = 1 they divide by 0).  Cannot fail. */
double fms_kernel_velocity(double t, double x, double x1hat);
double fms_kernel_eps(double t, double x, double x1hat);

#endif /* FMS_KERNEL_H */

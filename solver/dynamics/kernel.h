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
 *
 * The loop lives in kernel_fast.c, the only file compiled with fast-math
 * flags so that GCC vectorises exp through glibc's vector math library; this
 * module validates every input (t in [0, 1), finite x) and every output
 * beforehand and afterwards, since fast-math code may assume finite values.
 * Exponents below −700 are raised to −700 (a term of at most 1e-304 beside
 * the largest term, 1; for any n ≤ FMS_DATA_MAX_POINTS this is far below a
 * rounding error of the sum) so that the vector exp never takes its slow
 * path for underflowing arguments.
 * Results agree with fms_engine_eval to about 1e-13 relative where the
 * problem is well conditioned.  Evaluation is sequential and deterministic;
 * callers parallelise over batches.
 */
#ifndef FMS_KERNEL_H
#define FMS_KERNEL_H

#include <stddef.h>

#include "model/data.h"
#include "base/status.h"

/* Data prepared for the kernel. */
typedef struct fms_kernel {
    size_t n;          /* number of data points */
    double *x;         /* x_k (one allocation holds x, log_prob and coef) */
    double *log_prob;  /* log p_k */
    double xabs_max;   /* max_k |x_k| */
    double *coef;      /* 2n doubles of scratch per time t: b_k then g_k (see fms_kernel_x1hat_at) */
} fms_kernel;

/* Copies the points and log probabilities of d into a new kernel.  Errors:
 * FMS_EINVAL for a NULL or empty d, FMS_ENOMEM. */
fms_status fms_kernel_create(const fms_data *d, fms_kernel **out, fms_error *err);

/* Releases a kernel; NULL is allowed. */
void fms_kernel_free(fms_kernel *k);

/* Fills coef[0..n) with b_k and coef[n..2n) with g_k for time t (see above);
 * coef must hold 2·k->n doubles.  Errors: FMS_EDOM unless 0 ≤ t < 1 and the
 * coefficients are finite (t too close to 1 for a double). */
fms_status fms_kernel_prepare(const fms_kernel *k, double t, double *coef, fms_error *err);

/* Checks that queries with |x| ≤ xabs keep every exponent b_k + g_k·x well
 * inside the double range (below 1e300 in magnitude) for coef.  Errors:
 * FMS_ERANGE, or FMS_EDOM when xabs is not finite. */
fms_status fms_kernel_check_range(const fms_kernel *k, const double *coef, double xabs, fms_error *err);

/* out[i] = x̂1(x[i]) for i < m at the time coef was prepared for (out may be
 * x).  Errors: FMS_EDOM when some x[i] is not finite, FMS_ERANGE when an
 * exponent |b_k + g_k·x| could leave the double range (see
 * fms_kernel_check_range) or a result is not finite. */
fms_status fms_kernel_x1hat(const fms_kernel *k, const double *coef, size_t m,
                            const double *x, double *out, fms_error *err);

/* Like fms_kernel_x1hat without any check, for inner loops whose caller has
 * validated x (every x[i] finite, and fms_kernel_check_range passed for a
 * bound on |x[i]|); otherwise the result is unspecified (fast-math code).
 * Cannot fail. */
void fms_kernel_x1hat_unchecked(const fms_kernel *k, const double *coef, size_t m, const double *x,
                                double *out);

/* Returns 1 when every x[i], i < m, is finite, else 0; *xabs (may be NULL)
 * receives max_i |x[i]| (0 for m = 0). */
int fms_kernel_all_finite(const double *x, size_t m, double *xabs);

/* Convenience for one time: prepares coefficients in a private buffer and
 * evaluates x̂1 for m particles.  Not safe to call on one kernel from two
 * threads at once (use fms_kernel_prepare with a buffer per thread).
 * Errors as fms_kernel_prepare and fms_kernel_x1hat. */
fms_status fms_kernel_x1hat_at(fms_kernel *k, double t, size_t m, const double *x,
                               double *out, fms_error *err);

/* v(x, t) = (x̂1 − x)/(1 − t) and ε̂(x, t) = (x − t·x̂1)/(1 − t) from x̂1, for
 * t < 1 (at t = 1 they divide by 0).  Cannot fail. */
double fms_kernel_velocity(double t, double x, double x1hat);
double fms_kernel_eps(double t, double x, double x1hat);

#endif /* FMS_KERNEL_H */

/* kernel_fast.h — the inner loops of kernel.h.
 *
 * Private to the kernel module: callers use kernel.h, which validates the
 * inputs and outputs.  Every function here assumes finite inputs whose
 * exponents b_k + g_k·x stay far inside the double range (kernel.h checks
 * both); it cannot fail and never allocates.
 *
 * Exponentials: fms_kernel_fast_exp evaluates e^a for a in [−700, 0] with
 * plain arithmetic that the compiler vectorises (no call into libm):
 *
 *   k = rint(a/ln 2),  r = a − k·ln 2 (ln 2 in two parts, Cody and Waite
 *   1980; |r| ≤ ln 2/2 + 2^−40),  e^a = 2^k·P(r),
 *
 * with P the degree-11 Chebyshev interpolant of e^r on |r| ≤ ln 2/2 + 2^−40
 * (coefficients from tools/exp-coefficients.py, 60-digit mpmath; Horner's
 * scheme), whose error is below 4.3·10^−18 (2^−57) relative, so the result
 * is within an ulp of e^a (measured over [−700, 0], with and without FMA).
 * 2^k is built from its bit pattern (k ≥ −1010, so it is a normal double).
 * Every caller first clamps the exponent into [−700, 0]: the largest term of
 * a log-sum-exp is then exactly 1, a term that rounding pushed above the
 * pivot stays 1 instead of overflowing, and one below e^−700 (under 10^−304
 * of the largest) stays a normal number.
 *
 * Summation order: each particle's sums run over the points in their
 * (sorted) order, starting from 0 or from the first term, so that a
 * particle's result depends on its own window only (terms outside it are
 * replaced by an exact 0, which changes no sum), never on the other
 * particles of its block.
 */
#ifndef FMS_KERNEL_FAST_H
#define FMS_KERNEL_FAST_H

#include <stddef.h>

/* Particles per block of fms_kernel_fast_block: its scratch stays in L1. */
#define FMS_KERNEL_BLOCK 256

/* e^a for −700 ≤ a ≤ 0, within an ulp (see above). */
double fms_kernel_fast_exp(double a);

/* Two points with values y0, y1 (their x_k, or the values averaged, kernel.h):
 * out[i] = the posterior mean of y at x[i], with the log-odds of point 1
 * over point 0, d(x) = db + dg·x, and a single exponential per particle:
 * q = e^−|d|/(1 + e^−|d|), mean = y_dom + (y_other − y_dom)·q, where dom is
 * the point with the larger weight (the pivot, whose term is e^0 = 1).  out
 * may alias x. */
void fms_kernel_fast_two(double db, double dg, double y0, double y1, size_t m, const double *x, double *out);

/* n points, 1 ≤ m ≤ FMS_KERNEL_BLOCK particles, vectorised over particles:
 * the largest exponent per particle (the pivot), then the sums
 * s = Σ_k e^(a_k − pivot), sx = Σ_k y_k·e^(a_k − pivot) in point order (yk:
 * the values averaged), and out[i] = sx/s.  out may alias x. */
void fms_kernel_fast_block(size_t n, const double *b, const double *g, const double *yk, size_t m,
                           const double *x, double *out);

/* Like fms_kernel_fast_block over the points [kl, kh) only, for particles
 * whose own windows [lo[i], hi[i]) (as doubles) lie inside it: the pivot
 * is the largest exponent in the particle's window, and the terms outside
 * it count as 0.  With every window [0, n) the result is that of
 * fms_kernel_fast_block, to the bit.  out may alias x. */
void fms_kernel_fast_window(const double *b, const double *g, const double *yk, size_t kl, size_t kh, size_t m,
                            const double *x, const double *lo, const double *hi, double *out);

#endif /* FMS_KERNEL_FAST_H */

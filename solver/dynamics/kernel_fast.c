/* kernel_fast.c — see kernel_fast.h.  Compiled with -O3 -ffast-math: the
 * loops run over particles (innermost) so that each data point's term is a
 * vector operation and exp becomes glibc's vector exp (_ZGV*_exp).  Two
 * versions are built, for x86-64-v3 (AVX2, FMA) and the baseline, and the
 * loader picks one at start-up; a given machine always runs the same one,
 * so results are reproducible there. */
#include "dynamics/kernel_fast.h"

#include <math.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define FMS_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
#endif
#ifndef FMS_CLONES
#define FMS_CLONES
#endif

FMS_CLONES
void fms_kernel_fast_x1hat(size_t n, const double *b, const double *g, const double *xk,
                           size_t m, const double *x, double *out)
{
    double mx[FMS_KERNEL_BLOCK], s[FMS_KERNEL_BLOCK], sx[FMS_KERNEL_BLOCK];
    /* x is only read before out is written, so out may alias x. */
    for (size_t i = 0; i < m; i++)
        mx[i] = b[0] + g[0] * x[i];
    /* The pivot of log-sum-exp: every exponent below is ≤ 0, one is 0. */
    for (size_t k = 1; k < n; k++) {
        const double bk = b[k], gk = g[k];
        for (size_t i = 0; i < m; i++) {
            double a = bk + gk * x[i];
            mx[i] = a > mx[i] ? a : mx[i];
        }
    }
    /* Below −700 a term is under 1e-304 of the largest, which is 1: clamping
     * it there keeps glibc's vector exp on its fast path (arguments that
     * underflow send each lane to the scalar exp).  The first point's term
     * starts the sums, so there is no zeroing pass. */
    for (size_t i = 0; i < m; i++) {
        double a = b[0] + g[0] * x[i] - mx[i];
        double r = exp(a > -700.0 ? a : -700.0);
        s[i] = r;
        sx[i] = r * xk[0];
    }
    for (size_t k = 1; k < n; k++) {
        const double bk = b[k], gk = g[k], xkk = xk[k];
        for (size_t i = 0; i < m; i++) {
            double a = bk + gk * x[i] - mx[i];
            double r = exp(a > -700.0 ? a : -700.0);
            s[i] += r;
            sx[i] += r * xkk;
        }
    }
    for (size_t i = 0; i < m; i++)
        out[i] = sx[i] / s[i];
}

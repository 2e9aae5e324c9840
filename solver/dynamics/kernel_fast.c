/* kernel_fast.c — see kernel_fast.h.  Compiled with -O3 and FMA contraction
 * (no fast-math: IEEE semantics hold, and the exponential is our own, so
 * that the compiler vectorises it); each loop is built for three
 * instruction sets (clones.h). */
#include "dynamics/kernel_fast.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "dynamics/clones.h"


/* The exponent's clamp (kernel_fast.h): e^−700 ≈ 10^−304 is a normal double. */
#define EXP_FLOOR (-700.0)

static inline double clamp_exponent(double a)
{
    a = a > EXP_FLOOR ? a : EXP_FLOOR;
    return a < 0.0 ? a : 0.0;
}

/* e^a for a in [−700, 0]: k = rint(a/ln 2), r = a − k·ln 2, 2^k·P(r). */
static inline double exp_clamped(double a)
{
    static const double log2e = 0x1.71547652b82fep0;
    static const double ln2_hi = 0x1.62e42fefa3800p-1; /* 39 bits: k·ln2_hi is exact */
    static const double ln2_lo = 0x1.ef35793c76730p-45;
    const double kd = __builtin_rint(a * log2e);
    const double r = (a - kd * ln2_hi) - kd * ln2_lo;
    /* P: the degree-11 Chebyshev interpolant of e^r on |r| ≤ ln 2/2 + 2^−40
     * (tools/exp-coefficients.py), by Horner's scheme. */
    double p = 2.5110037605964082079e-8;
    p = p * r + 2.7632639639041425557e-7;
    p = p * r + 2.7557240918578969e-6;
    p = p * r + 2.4801485482328491349e-5;
    p = p * r + 1.9841269890047113707e-4;
    p = p * r + 1.3888888952314774653e-3;
    p = p * r + 8.3333333333196006109e-3;
    p = p * r + 4.1666666666488095495e-2;
    p = p * r + 1.6666666666666680806e-1;
    p = p * r + 5.0000000000000183855e-1;
    p = p * r + 9.9999999999999999976e-1;
    p = p * r + 9.9999999999999999693e-1;
    /* 2^k: kd + 1.5·2^52 is exact and holds k in its low bits. */
    const double shifted = kd + 0x1.8p52;
    uint64_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    bits = (bits + 1023u) << 52;
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

double fms_kernel_fast_exp(double a)
{
    return exp_clamped(a);
}

FMS_CLONES
void fms_kernel_fast_two(double db, double dg, double y0, double y1, size_t m, const double *x, double *out)
{
    for (size_t i = 0; i < m; i++) {
        const double d = db + dg * x[i];
        /* The pivot is the point with the larger weight; its term is 1. */
        const double e = exp_clamped(clamp_exponent(d > 0.0 ? -d : d));
        const double q = e / (1.0 + e);
        const double dom = d > 0.0 ? y1 : y0, other = d > 0.0 ? y0 : y1;
        out[i] = dom + (other - dom) * q;
    }
}

FMS_CLONES
void fms_kernel_fast_block(size_t n, const double *b, const double *g, const double *yk, size_t m,
                           const double *x, double *out)
{
    double mx[FMS_KERNEL_BLOCK], s[FMS_KERNEL_BLOCK], sx[FMS_KERNEL_BLOCK];
    /* x is only read before out is written, so out may alias x. */
    for (size_t i = 0; i < m; i++)
        mx[i] = b[0] + g[0] * x[i];
    /* The pivot of log-sum-exp: the largest exponent. */
    for (size_t k = 1; k < n; k++) {
        const double bk = b[k], gk = g[k];
        for (size_t i = 0; i < m; i++) {
            double a = bk + gk * x[i];
            mx[i] = a > mx[i] ? a : mx[i];
        }
    }
    /* The first point's term starts the sums, so there is no zeroing pass. */
    for (size_t i = 0; i < m; i++) {
        double r = exp_clamped(clamp_exponent(b[0] + g[0] * x[i] - mx[i]));
        s[i] = r;
        sx[i] = r * yk[0];
    }
    for (size_t k = 1; k < n; k++) {
        const double bk = b[k], gk = g[k], ykk = yk[k];
        for (size_t i = 0; i < m; i++) {
            double r = exp_clamped(clamp_exponent(bk + gk * x[i] - mx[i]));
            s[i] += r;
            sx[i] += r * ykk;
        }
    }
    for (size_t i = 0; i < m; i++)
        out[i] = sx[i] / s[i];
}

FMS_CLONES
void fms_kernel_fast_window(const double *b, const double *g, const double *yk, size_t kl, size_t kh, size_t m,
                            const double *x, const double *lo, const double *hi, double *out)
{
    double mx[FMS_KERNEL_BLOCK], s[FMS_KERNEL_BLOCK], sx[FMS_KERNEL_BLOCK];
    for (size_t i = 0; i < m; i++) {
        mx[i] = -INFINITY;
        s[i] = sx[i] = 0.0;
    }
    /* The pivot: the largest exponent in each particle's own window. */
    for (size_t k = kl; k < kh; k++) {
        const double bk = b[k], gk = g[k], kd = (double)k;
        for (size_t i = 0; i < m; i++) {
            double a = bk + gk * x[i];
            a = kd >= lo[i] && kd < hi[i] ? a : -INFINITY;
            mx[i] = a > mx[i] ? a : mx[i];
        }
    }
    for (size_t k = kl; k < kh; k++) {
        const double bk = b[k], gk = g[k], ykk = yk[k], kd = (double)k;
        for (size_t i = 0; i < m; i++) {
            double r = exp_clamped(clamp_exponent(bk + gk * x[i] - mx[i]));
            r = kd >= lo[i] && kd < hi[i] ? r : 0.0;
            s[i] += r;
            sx[i] += r * ykk;
        }
    }
    for (size_t i = 0; i < m; i++)
        out[i] = sx[i] / s[i];
}

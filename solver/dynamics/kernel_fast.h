/* kernel_fast.h — the inner loop of kernel.h, compiled with fast-math flags.
 *
 * Private to the kernel module: callers use kernel.h, which validates the
 * inputs and outputs.  fms_kernel_fast_x1hat assumes 1 ≤ m ≤
 * FMS_KERNEL_BLOCK, every value finite, and n ≥ 1; it writes x̂1 for each of
 * the m particles (out may alias x).
 */
#ifndef FMS_KERNEL_FAST_H
#define FMS_KERNEL_FAST_H

#include <stddef.h>

/* Particles per block: small enough that the block's scratch stays in L1. */
#define FMS_KERNEL_BLOCK 256

void fms_kernel_fast_x1hat(size_t n, const double *b, const double *g, const double *xk,
                           size_t m, const double *x, double *out);

#endif /* FMS_KERNEL_FAST_H */

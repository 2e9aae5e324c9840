/* method.h — the sampling methods of sampler.h on one batch of particles.
 *
 * Private to the sampler (sampler.c, sample_run.c): a solver holds the
 * kernel, a time slot, the spec and the stage buffers of one thread, and
 * advances batches of at most `batch` particles from t = 0 to t = 1 with
 * the formulas of sampler.h.  Every stage's input is checked (finite, and
 * within the kernel's range) before the kernel sees it.
 *
 * Batch size: FMS_SAMPLER_BATCH particles (FMS_SAMPLER_ADAPTIVE_BATCH for
 * adaptive, whose step they share); 8 times more from 128 data points on,
 * so that preparing the kernel for a time (O(n)) is shared by more
 * particles.  The size depends only on the spec and the data, never on the
 * threads.
 */
#ifndef FMS_METHOD_H
#define FMS_METHOD_H

#include <stddef.h>

#include "dynamics/kernel.h"
#include "dynamics/sampler.h"
#include "base/status.h"

typedef struct fms_method_solver {
    const fms_kernel *k;
    fms_kernel_at *at;     /* this thread's time slot */
    double prepared_t;     /* the time at holds (NAN: none) */
    fms_sampler_spec spec;
    long long nint;        /* N, the time steps (fixed-step methods) */
    size_t batch;          /* particles per batch at most */
    double *buf;           /* one allocation: the stage buffers below */
    double *kk[7], *tmp, *xn;
    double evals;          /* model evaluations per particle in the last batch */
} fms_method_solver;

/* Where a batch's positions go besides x: traj (or NULL) receives the
 * positions at output j = 1..nout at traj[j·stride + i] (fixed-step
 * methods: after step j, nout = N; adaptive: at t = j/nout, the last one at
 * t = 1); xmid (or NULL) those at t = 1/2 (a grid time, an output time
 * of adaptive, or else interpolated within its step: sampler.h). */
typedef struct fms_method_record {
    double *traj;
    size_t stride, nout;
    double *xmid;
} fms_method_record;

/* The batch size for kernel k and spec (above); it divides
 * FMS_SAMPLER_CHUNK.  Cannot fail. */
size_t fms_method_batch(const fms_kernel *k, const fms_sampler_spec *spec);

/* Sets up a solver for kernel k and a checked spec.  Errors: FMS_ENOMEM. */
fms_status fms_method_init(fms_method_solver *s, const fms_kernel *k, const fms_sampler_spec *spec, fms_error *err);

/* Releases the solver's buffers (not the kernel); cannot fail. */
void fms_method_free(fms_method_solver *s);

/* The number of trajectory outputs after the start: N for fixed-step
 * methods, spec.steps for adaptive.  Cannot fail. */
size_t fms_method_outputs(const fms_method_solver *s);

/* Advances the m ≤ s->batch particles in x from t = 0 to t = 1, recording
 * as rec says, and sets s->evals.  Errors: FMS_EDOM for a non-finite start,
 * FMS_ERANGE when a particle leaves the kernel's range or the double range,
 * or the adaptive method exceeds its evaluations (FMS_SAMPLER_MAX_ADAPTIVE_EVALS)
 * or its step underflows. */
fms_status fms_method_run(fms_method_solver *s, size_t m, double *x, const fms_method_record *rec, fms_error *err);

#endif /* FMS_METHOD_H */

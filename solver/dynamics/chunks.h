/* chunks.h — what the chunked Monte Carlo runs (sampler.h, simulate.h) share:
 * running moments merged in chunk order, the first failing chunk, progress.
 *
 * A run cuts its work into `count` chunks, processes them in parallel
 * (OpenMP, any schedule) and must give the same result for any number of
 * threads.  So a chunk keeps its own moments, merged afterwards in chunk
 * order, and a failure is reported from the lowest-numbered failing chunk.
 *
 * Moments (Welford 1962; Chan, Golub and LeVeque 1979): for values v_1..v_n,
 *   n, mean = Σ v_i / n, m2 = Σ (v_i − mean)²,
 * updated one value at a time by
 *   n ← n + 1,  δ = v − mean,  mean ← mean + δ/n,  m2 ← m2 + δ·(v − mean),
 * and two sets A, B (n_B > 0) merged by
 *   n = n_A + n_B,  δ = mean_B − mean_A,  mean_A ← mean_A + δ·n_B/n,
 *   m2_A ← m2_A + m2_B + δ²·n_A·n_B/n.
 * The sample variance is m2/(n − 1).  Every operation is a few IEEE double
 * operations in a fixed order; none can fail.
 */
#ifndef FMS_CHUNKS_H
#define FMS_CHUNKS_H

#include <stddef.h>

#include "base/status.h"
#include "base/stream.h"

typedef struct fms_moments {
    double n, mean, m2;
} fms_moments;

/* Adds the value v to q (Welford's update above). */
void fms_chunks_moments_add(fms_moments *q, double v);

/* Merges b into acc (Chan's update above); an empty b (n = 0) changes nothing. */
void fms_chunks_moments_merge(fms_moments *acc, const fms_moments *b);

/* The shared state of one run's chunks.  Initialise with fms_chunks_init. */
typedef struct fms_chunks {
    size_t count;             /* chunks in the run */
    size_t done;              /* chunks finished so far */
    size_t first_bad;         /* the lowest failing chunk; (size_t)−1 for none */
    fms_error first_err;      /* its error */
    fms_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} fms_chunks;

/* Sets up the state of a run of count chunks reporting to progress (may be NULL). */
void fms_chunks_init(fms_chunks *c, size_t count, fms_progress_fn progress, void *progress_ctx);

/* The number of threads a parallel region may use (1 without OpenMP), and
 * the calling thread's number in [0, threads) inside one. */
int fms_chunks_threads(void);
int fms_chunks_thread(void);

/* Records that chunk `chunk` failed with *e (kept when it is the lowest
 * failing chunk so far) and clears *e for the thread's next chunk.  Safe to
 * call from several threads at once. */
void fms_chunks_fail(fms_chunks *c, size_t chunk, fms_error *e);

/* Counts one more chunk as finished and tells the progress callback the
 * fraction done.  Safe to call from several threads at once (the callback
 * is called by one thread at a time). */
void fms_chunks_finish(fms_chunks *c);

/* FMS_OK when no chunk failed; else copies the lowest failing chunk's error
 * into err and returns its status. */
fms_status fms_chunks_status(const fms_chunks *c, fms_error *err);

#endif /* FMS_CHUNKS_H */

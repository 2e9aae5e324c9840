/* stream.h — reproducible, thread-independent random streams and progress reports.
 *
 * Every long run in fmsolve (simulate, train, sample) cuts its work into
 * fixed-size chunks and gives chunk c its own GSL generator seeded from
 * (seed, c).  What a chunk draws therefore depends only on the user's seed
 * and the chunk's index, never on which thread runs it or in what order, so
 * the output is the same for any number of OpenMP threads.
 */
#ifndef FMS_STREAM_H
#define FMS_STREAM_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "base/status.h"

/* A progress report: done is the fraction of the work finished, in [0, 1].
 * The library calls it from one thread at a time, at most a few hundred
 * times per run; ctx is passed through unchanged. */
typedef void (*fms_progress_fn)(void *ctx, double done);

/* Returns the GSL seed of stream `stream` under the user's seed: the two
 * 64-bit words are mixed with the SplitMix64 finaliser (Steele, Lea and
 * Flood 2014), so that neighbouring seeds and chunks give unrelated streams.
 * The result is never 0 (GSL's MT19937 treats 0 as its default seed).
 * Defined for every input; it cannot fail. */
unsigned long fms_stream_seed(uint64_t seed, uint64_t stream);

/* Allocates a Mersenne Twister (gsl_rng_mt19937) seeded with
 * fms_stream_seed(seed, stream); release it with gsl_rng_free.
 * Errors: FMS_ENOMEM. */
fms_status fms_stream_rng(uint64_t seed, uint64_t stream, gsl_rng **out, fms_error *err);

#endif /* FMS_STREAM_H */

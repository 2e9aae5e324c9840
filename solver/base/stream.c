/* stream.c — see stream.h. */
#include "base/stream.h"

static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

unsigned long fms_stream_seed(uint64_t seed, uint64_t stream)
{
    uint64_t z = mix64(mix64(seed) ^ stream);
    /* MT19937 in GSL keeps 32 bits of the seed: fold the high half in. */
    unsigned long s = (unsigned long)((z ^ (z >> 32)) & 0xffffffffULL);
    return s ? s : 1UL;
}

fms_status fms_stream_rng(uint64_t seed, uint64_t stream, gsl_rng **out, fms_error *err)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for a random number generator");
    gsl_rng_set(r, fms_stream_seed(seed, stream));
    *out = r;
    return FMS_OK;
}

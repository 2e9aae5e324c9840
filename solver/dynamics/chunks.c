/* chunks.c — see chunks.h. */
#include "dynamics/chunks.h"

#ifdef _OPENMP
#include <omp.h>
#endif

void fms_chunks_moments_add(fms_moments *q, double v)
{
    q->n += 1.0;
    double dlt = v - q->mean;
    q->mean += dlt / q->n;
    q->m2 += dlt * (v - q->mean);
}

void fms_chunks_moments_merge(fms_moments *acc, const fms_moments *b)
{
    const double nb = b->n, tot = acc->n + nb;
    if (nb == 0.0)
        return;
    double dlt = b->mean - acc->mean;
    acc->mean += dlt * nb / tot;
    acc->m2 += b->m2 + dlt * dlt * acc->n * nb / tot;
    acc->n = tot;
}

void fms_chunks_init(fms_chunks *c, size_t count, fms_progress_fn progress, void *progress_ctx)
{
    c->count = count;
    c->done = 0;
    c->first_bad = (size_t)-1;
    fms_error_clear(&c->first_err);
    c->progress = progress;
    c->progress_ctx = progress_ctx;
}

int fms_chunks_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

int fms_chunks_thread(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

void fms_chunks_fail(fms_chunks *c, size_t chunk, fms_error *e)
{
#pragma omp critical(fms_chunks_fail)
    if (chunk < c->first_bad) {
        c->first_bad = chunk;
        c->first_err = *e;
    }
    fms_error_clear(e);
}

void fms_chunks_finish(fms_chunks *c)
{
#pragma omp critical(fms_chunks_progress)
    {
        c->done++;
        if (c->progress)
            c->progress(c->progress_ctx, (double)c->done / (double)c->count);
    }
}

fms_status fms_chunks_status(const fms_chunks *c, fms_error *err)
{
    if (c->first_bad == (size_t)-1)
        return FMS_OK;
    return fms_error_set(err, c->first_err.status, 0, "%s", c->first_err.msg);
}

/* sample_run.c — fms_sampler_run (sampler.h): chunks of particles drawn in
 * parallel, their batches run through the method in parallel, the end
 * points counted, compared with the reference and summarised. */
#include "dynamics/sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/cancel.h"
#include "base/numfmt.h"
#include "dynamics/chunks.h"
#include "dynamics/method.h"

void fms_sampler_opts_init(fms_sample_opts *o)
{
    *o = (fms_sample_opts){ .particles = 100000,
                            .spec = { FMS_SAMPLER_DEFAULT_METHOD, FMS_SAMPLER_VELOCITY, 100, FMS_SAMPLER_DEFAULT_TOL,
                                      FMS_SAMPLER_DEFAULT_RHO },
                            .seed = 1 };
}

void fms_sampler_result_free(fms_sample_result *r)
{
    if (r == NULL)
        return;
    free(r->count);
    free(r->hist);
    free(r);
}

int fms_sampler_resolved(double std, double data_std)
{
    return !(data_std > 0.0 && std < 0.25 * data_std);
}

void fms_sampler_cost_text(const fms_sampler_spec *s, char *out, size_t size)
{
    if (s->method == FMS_SAMPLER_ADAPTIVE)
        snprintf(out, size, "the adaptive method at tolerance %g", s->tol);
    else
        snprintf(out, size, "%lld %s steps", fms_sampler_intervals(s->method, s->steps),
                 fms_sampler_method_name(s->method));
}

void fms_sampler_unresolved_message(const fms_sampler_spec *s, double std, double data_std, char *out, size_t size)
{
    char a[FMS_NUM_MAX], b[FMS_NUM_MAX], cost[96];
    fms_numfmt_key(std, 3, a);
    fms_numfmt_key(data_std, 3, b);
    fms_sampler_cost_text(s, cost, sizeof cost);
    snprintf(out, size,
             "the end points spread over %s, the data over %s: %s cannot resolve the data; use more --steps or "
             "--method adaptive",
             a, b, cost);
}

/* Per batch ("unit"): end-point moments (merged in unit order, so that the
 * sums do not depend on the schedule), evaluations and reference errors. */
typedef struct unit_stat {
    fms_moments end;
    double evals;
    double abs_err_sum, abs_err_max;
    double mid_err_sum, mid_err_max;
} unit_stat;

/* One run of fms_sampler_run: what its threads share.  The chunks go in
 * rounds: first each chunk of the round draws its noise, then every batch
 * of the round runs, on any thread; then the round's statistics are merged
 * in batch order. */
typedef struct sample_job {
    const fms_data *d;
    const fms_sample_opts *o;
    fms_kernel *k;
    fms_sample_result *r; /* n, nbins and the histogram's range are set first */
    size_t np, nchunks;
    size_t batch, per_chunk; /* particles per batch, batches per chunk */
    size_t round;            /* chunks per round */
    double binw;
    double *x, *x0, *xm;  /* round·CHUNK each: positions, starts, positions at t_mid */
    unit_stat *us;        /* round·per_chunk */
    unit_stat total;      /* the merged statistics so far */
    double *ends;         /* with --reference: every end point, for W1 */
    /* Integer tallies per thread (their sums do not depend on the order):
     * nearest-point counts (n), bins (nbins), below, above. */
    size_t *tally, tally_len;
    int nthreads;
    int stop;             /* a batch failed: no further round */
    fms_chunks chunks;    /* one "chunk" of fms_chunks per batch */
} sample_job;

static fms_status check_opts(const fms_sample_opts *o, fms_error *err)
{
    if (o->particles < 1 || o->particles > FMS_SAMPLER_MAX_PARTICLES)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of particles must be 1 to %lld, not %lld",
                             FMS_SAMPLER_MAX_PARTICLES, o->particles);
    return fms_sampler_spec_check(&o->spec, err);
}

/* The histogram's range: the data's, widened by 0.3·max(spread, 1) on each side. */
static void hist_range(const fms_data *d, fms_sample_result *r)
{
    double xmin = d->x[0], xmax = d->x[0];
    for (size_t i = 1; i < d->n; i++) {
        xmin = fmin(xmin, d->x[i]);
        xmax = fmax(xmax, d->x[i]);
    }
    const double margin = 0.3 * fmax(xmax - xmin, 1.0);
    r->n = d->n;
    r->nbins = FMS_SAMPLER_BINS;
    r->hist_lo = xmin - margin;
    r->hist_hi = xmax + margin;
}

double fms_sampler_data_std(const fms_data *d)
{
    const double mean = fms_data_mean(d);
    double var = 0.0;
    for (size_t i = 0; i < d->n; i++)
        var += d->prob[i] * (d->x[i] - mean) * (d->x[i] - mean);
    return sqrt(var);
}

static void job_free(sample_job *j)
{
    free(j->x);
    free(j->x0);
    free(j->xm);
    free(j->us);
    free(j->tally);
    free(j->ends);
    fms_kernel_free(j->k);
    fms_sampler_result_free(j->r);
}

static fms_status job_init(sample_job *j, const fms_data *d, const fms_sample_opts *o, fms_error *err)
{
    *j = (sample_job){ .d = d, .o = o };
    fms_status st = fms_kernel_create(d, &j->k, err);
    if (st != FMS_OK)
        return st;
    j->np = (size_t)o->particles;
    j->nchunks = (j->np + FMS_SAMPLER_CHUNK - 1) / FMS_SAMPLER_CHUNK;
    j->batch = fms_method_batch(j->k, &o->spec);
    j->per_chunk = FMS_SAMPLER_CHUNK / j->batch;
    j->nthreads = fms_chunks_threads();
    j->round = (size_t)(2 * j->nthreads) < j->nchunks ? (size_t)(2 * j->nthreads) : j->nchunks;
    const size_t slots = j->round * FMS_SAMPLER_CHUNK;
    j->tally_len = d->n + FMS_SAMPLER_BINS + 2;
    j->r = calloc(1, sizeof *j->r);
    j->x = malloc(slots * sizeof *j->x);
    j->x0 = malloc(slots * sizeof *j->x0);
    j->xm = o->reference ? malloc(slots * sizeof *j->xm) : NULL;
    j->us = calloc(j->round * j->per_chunk, sizeof *j->us);
    j->tally = calloc((size_t)j->nthreads * j->tally_len, sizeof *j->tally);
    const int w1 = o->reference && o->particles <= FMS_SAMPLER_W1_MAX_PARTICLES;
    j->ends = w1 ? malloc(j->np * sizeof *j->ends) : NULL;
    if (!j->r || !j->x || !j->x0 || !j->us || !j->tally || (o->reference && !j->xm) || (w1 && !j->ends))
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the sampler");
    hist_range(d, j->r);
    j->r->data_std = fms_sampler_data_std(d);
    j->binw = (j->r->hist_hi - j->r->hist_lo) / (double)j->r->nbins;
    fms_chunks_init(&j->chunks, j->nchunks * j->per_chunk, o->progress, o->progress_ctx);
    return FMS_OK;
}

/* Counts the end point xi in a thread's tally: its nearest data point (ties:
 * the first) and its bin. */
static void tally_end(const sample_job *j, size_t *my, double xi)
{
    const fms_data *d = j->d;
    const fms_sample_result *r = j->r;
    const size_t n = d->n;
    size_t best = 0;
    double bd = fabs(xi - d->x[0]);
    for (size_t k = 1; k < n; k++) {
        double dk = fabs(xi - d->x[k]);
        if (dk < bd) {
            bd = dk;
            best = k;
        }
    }
    my[best]++;
    if (xi < r->hist_lo)
        my[n + r->nbins]++;
    else if (xi >= r->hist_hi)
        my[n + r->nbins + 1]++;
    else {
        size_t b = (size_t)((xi - r->hist_lo) / j->binw);
        my[n + (b < r->nbins ? b : r->nbins - 1)]++;
    }
}

/* Adds |method − reference| at t = 1 and at t_mid for the particle that
 * started at x0 and is at xm at t_mid and xi at t = 1. */
static fms_status compare_reference(const sample_job *j, unit_stat *q, double t_mid, double x0, double xm,
                                    double xi, fms_error *err)
{
    double ref, refm;
    fms_status st = fms_sampler_reference(j->k, x0, t_mid, &refm, &ref, err);
    if (st != FMS_OK)
        return st;
    double ae = fabs(xi - ref), am = fabs(xm - refm);
    q->abs_err_sum += ae;
    q->abs_err_max = fmax(q->abs_err_max, ae);
    q->mid_err_sum += am;
    q->mid_err_max = fmax(q->mid_err_max, am);
    return FMS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The particles in chunk c: CHUNK but for the last. */
static size_t chunk_len(const sample_job *j, size_t c)
{
    const size_t first = c * FMS_SAMPLER_CHUNK;
    return j->np - first < FMS_SAMPLER_CHUNK ? j->np - first : FMS_SAMPLER_CHUNK;
}

/* Chunk c0 + r of the round: its noise into slot r, sorted with many points
 * (the windows of the kernel pay when a batch's particles are near each
 * other, and the flow keeps their order; nothing reported depends on the
 * order but the rounding of the moments). */
static fms_status round_noise(sample_job *j, size_t c0, size_t r, fms_error *e)
{
    const size_t m = chunk_len(j, c0 + r);
    double *x = j->x + r * FMS_SAMPLER_CHUNK;
    fms_status s = fms_sampler_chunk_noise(j->o->seed, c0 + r, m, x, e);
    if (s != FMS_OK)
        return s;
    if (j->k->n >= FMS_KERNEL_WINDOW_MIN)
        qsort(x, m, sizeof *x, cmp_double);
    memcpy(j->x0 + r * FMS_SAMPLER_CHUNK, x, m * sizeof *x);
    return FMS_OK;
}

/* Batch u of the round (chunk c0 + u/per_chunk): its run, its end points
 * counted into my and its statistics into us[u]. */
static fms_status round_batch(sample_job *j, fms_method_solver *sv, size_t c0, size_t u, size_t *my, fms_error *e)
{
    const size_t r = u / j->per_chunk, c = c0 + r, i0 = (u % j->per_chunk) * j->batch, m = chunk_len(j, c);
    unit_stat *q = &j->us[u];
    *q = (unit_stat){ { 0.0, 0.0, 0.0 }, 0.0, 0.0, 0.0, 0.0, 0.0 };
    if (i0 >= m)
        return FMS_OK;
    const size_t len = m - i0 < j->batch ? m - i0 : j->batch, at = r * FMS_SAMPLER_CHUNK + i0;
    double *x = j->x + at, *xm = j->xm ? j->xm + at : NULL;
    fms_method_record rec = { NULL, 0, 0, xm };
    fms_status s = fms_method_run(sv, len, x, &rec, e);
    q->evals = sv->evals * (double)len;
    for (size_t i = 0; s == FMS_OK && i < len; i++) {
        tally_end(j, my, x[i]);
        fms_chunks_moments_add(&q->end, x[i]);
        if (j->ends)
            j->ends[c * FMS_SAMPLER_CHUNK + i0 + i] = x[i];
        if (j->o->reference)
            s = compare_reference(j, q, 0.5, j->x0[at + i], xm[i], x[i], e);
    }
    return s;
}

/* Merges the round's batch statistics, in order, into the total. */
static void round_merge(sample_job *j, size_t units)
{
    unit_stat *t = &j->total;
    for (size_t u = 0; u < units; u++) {
        const unit_stat *q = &j->us[u];
        fms_chunks_moments_merge(&t->end, &q->end);
        t->evals += q->evals;
        t->abs_err_sum += q->abs_err_sum;
        t->abs_err_max = fmax(t->abs_err_max, q->abs_err_max);
        t->mid_err_sum += q->mid_err_sum;
        t->mid_err_max = fmax(t->mid_err_max, q->mid_err_max);
    }
}

/* The lowest failing batch so far ((size_t)−1: none). */
static size_t first_bad(sample_job *j)
{
    size_t bad;
#pragma omp atomic read
    bad = j->chunks.first_bad;
    return bad;
}

static void run_rounds(sample_job *j)
{
#pragma omp parallel
    {
        size_t *my = j->tally + (size_t)fms_chunks_thread() * j->tally_len;
        fms_error e;
        fms_error_clear(&e);
        fms_method_solver sv;
        const fms_status init = fms_method_init(&sv, j->k, &j->o->spec, &e);
        /* After a failure (or an interrupt) no further round starts: j->stop
         * is written only in the single region, before its barrier, so every
         * thread reads the same value. */
        for (size_t c0 = 0; c0 < j->nchunks && !j->stop; c0 += j->round) {
            const size_t rc = j->nchunks - c0 < j->round ? j->nchunks - c0 : j->round;
#pragma omp for schedule(dynamic, 1)
            for (size_t r = 0; r < rc; r++)
                if (fms_cancel_poll(&e) != FMS_OK || round_noise(j, c0, r, &e) != FMS_OK)
                    fms_chunks_fail(&j->chunks, (c0 + r) * j->per_chunk, &e);
#pragma omp for schedule(dynamic, 1)
            for (size_t u = 0; u < rc * j->per_chunk; u++) {
                const size_t unit = c0 * j->per_chunk + u;
                fms_status s = init;
                if (s != FMS_OK)
                    fms_error_set(&e, s, 0, "out of memory for the sampler");
                else if (unit < first_bad(j) && (s = fms_cancel_poll(&e)) == FMS_OK)
                    s = round_batch(j, &sv, c0, u, my, &e); /* after a failure, later batches are skipped */
                if (s != FMS_OK)
                    fms_chunks_fail(&j->chunks, unit, &e);
                fms_chunks_finish(&j->chunks);
            }
#pragma omp single
            {
                round_merge(j, rc * j->per_chunk);
                j->stop = first_bad(j) != (size_t)-1;
            }
        }
        if (init == FMS_OK)
            fms_method_free(&sv);
    }
}

/* W1 = ∫ |F_N(x) − F(x)| dx between the sorted end points y[0..np) and the
 * data distribution (both step functions: a merge of their jumps). */
static double wasserstein1(const fms_data *d, double *y, size_t np)
{
    qsort(y, np, sizeof *y, cmp_double);
    size_t *ord = malloc(d->n * sizeof *ord);
    if (ord == NULL)
        return NAN;
    for (size_t k = 0; k < d->n; k++)
        ord[k] = k;
    for (size_t a = 1; a < d->n; a++) /* insertion sort of the data's order */
        for (size_t b = a; b > 0 && d->x[ord[b]] < d->x[ord[b - 1]]; b--) {
            size_t t = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = t;
        }
    long double acc = 0.0L, fn = 0.0L, f = 0.0L;
    size_t i = 0, k = 0;
    double pos = fmin(y[0], d->x[ord[0]]);
    while (i < np || k < d->n) {
        const int take_end = k == d->n || (i < np && y[i] <= d->x[ord[k]]);
        const double next = take_end ? y[i] : d->x[ord[k]];
        acc += fabsl(fn - f) * (long double)(next - pos);
        pos = next;
        if (take_end)
            fn = (long double)(++i) / (long double)np;
        else
            f += d->prob[ord[k++]];
    }
    free(ord);
    return (double)acc;
}

/* The result from the tallies of every thread and the chunks' statistics. */
static fms_status summarise(sample_job *j, fms_error *err)
{
    fms_sample_result *r = j->r;
    const size_t n = r->n;
    r->count = calloc(n, sizeof *r->count);
    r->hist = calloc(r->nbins, sizeof *r->hist);
    if (!r->count || !r->hist)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the sampler");
    for (int t = 0; t < j->nthreads; t++) {
        const size_t *my = j->tally + (size_t)t * j->tally_len;
        for (size_t i = 0; i < n; i++)
            r->count[i] += my[i];
        for (size_t b = 0; b < r->nbins; b++)
            r->hist[b] += my[n + b];
        r->below += my[n + r->nbins];
        r->above += my[n + r->nbins + 1];
    }
    const unit_stat *t = &j->total;
    const fms_moments all = t->end;
    const fms_sampler_spec *sp = &j->o->spec;
    r->mean = all.mean;
    r->std = all.n > 1.0 ? sqrt(all.m2 / (all.n - 1.0)) : 0.0;
    r->intervals = sp->method == FMS_SAMPLER_ADAPTIVE ? 0 : fms_sampler_intervals(sp->method, sp->steps);
    r->evaluations = t->evals / all.n;
    r->have_reference = j->o->reference != 0;
    r->w1 = j->ends ? wasserstein1(j->d, j->ends, j->np) : NAN;
    r->ref_max_abs = t->abs_err_max;
    r->ref_mean_abs = t->abs_err_sum / all.n;
    r->ref_mid_t = 0.5;
    r->ref_mid_max_abs = t->mid_err_max;
    r->ref_mid_mean_abs = t->mid_err_sum / all.n;
    return FMS_OK;
}

fms_status fms_sampler_run(const fms_data *d, const fms_sample_opts *o, fms_sample_result **out, fms_error *err)
{
    fms_status st = check_opts(o, err);
    if (st != FMS_OK)
        return st;
    sample_job j;
    st = job_init(&j, d, o, err);
    if (st == FMS_OK) {
        run_rounds(&j);
        st = fms_chunks_status(&j.chunks, err);
    }
    if (st == FMS_OK)
        st = summarise(&j, err);
    if (st == FMS_OK) {
        *out = j.r;
        j.r = NULL;
    }
    job_free(&j);
    return st;
}

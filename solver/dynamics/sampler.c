/* sampler.c — see sampler.h. */
#include "dynamics/sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_randist.h>

#include "dynamics/chunks.h"
#include "dynamics/kernel_fast.h"

static const char *const param_names[] = {
    [FMS_SAMPLER_VELOCITY] = "velocity",
    [FMS_SAMPLER_EPSILON] = "epsilon",
};

fms_status fms_sampler_param_parse(const char *name, fms_sampler_param *out)
{
    for (size_t p = 0; p < sizeof param_names / sizeof param_names[0]; p++) {
        if (strcmp(name, param_names[p]) == 0) {
            *out = (fms_sampler_param)p;
            return FMS_OK;
        }
    }
    return FMS_EINVAL;
}

const char *fms_sampler_param_name(fms_sampler_param p)
{
    return param_names[p == FMS_SAMPLER_EPSILON ? FMS_SAMPLER_EPSILON : FMS_SAMPLER_VELOCITY];
}

/* Noise of particles [c·CHUNK, c·CHUNK + m) from stream c. */
static fms_status chunk_noise(uint64_t seed, size_t c, size_t m, double *out, fms_error *err)
{
    gsl_rng *r = NULL;
    fms_status st = fms_stream_rng(seed, c, &r, err);
    if (st != FMS_OK)
        return st;
    for (size_t i = 0; i < m; i++)
        out[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    gsl_rng_free(r);
    return FMS_OK;
}

fms_status fms_sampler_noise(uint64_t seed, size_t n, double *out, fms_error *err)
{
    for (size_t c = 0; c * FMS_SAMPLER_CHUNK < n; c++) {
        size_t first = c * FMS_SAMPLER_CHUNK;
        size_t m = n - first < FMS_SAMPLER_CHUNK ? n - first : FMS_SAMPLER_CHUNK;
        fms_status st = chunk_noise(seed, c, m, out + first, err);
        if (st != FMS_OK)
            return st;
    }
    return FMS_OK;
}

/* The ε-model's limit of (x − ε̂(x, t))/t at t = 0, estimated at t = h. */
#define EPS_T0_H 0x1p-20

/* One Euler run over m particles: what its blocks share. */
typedef struct euler_job {
    const fms_kernel *k;
    fms_sampler_param p;
    size_t steps, m;
    double dt;
    double *coef;    /* 2n doubles: the kernel's coefficients at the current step */
    double *traj;    /* m·(steps + 1) positions, or NULL */
    size_t mid_step; /* xmid receives the positions after mid_step steps ... */
    double *xmid;    /* ... or is NULL */
} euler_job;

/* Step j (from t = j·Δt) of the len ≤ FMS_KERNEL_BLOCK particles at xb,
 * which stay within |x| ≤ xabs. */
static fms_status euler_step(const euler_job *e, size_t j, double xabs, size_t len, double *xb, fms_error *err)
{
    const double t = (double)j * e->dt;
    /* The ε-model is evaluated at t = h instead of its 0/0 at t = 0. */
    const double te = e->p == FMS_SAMPLER_VELOCITY || j != 0 ? t : EPS_T0_H;
    double hat[FMS_KERNEL_BLOCK];
    fms_status st = fms_kernel_prepare(e->k, te, e->coef, err);
    if (st == FMS_OK)
        st = fms_kernel_check_range(e->k, e->coef, xabs, err);
    if (st != FMS_OK)
        return st;
    fms_kernel_x1hat_unchecked(e->k, e->coef, len, xb, hat);
    if (e->p == FMS_SAMPLER_VELOCITY) {
        const double f = e->dt / (1.0 - t);
        for (size_t i = 0; i < len; i++)
            xb[i] += f * (hat[i] - xb[i]);
    } else {
        const double inv = 1.0 / (1.0 - te), f = e->dt / te;
        for (size_t i = 0; i < len; i++) {
            double eps = (xb[i] - te * hat[i]) * inv; /* ε_θ(x, t) */
            xb[i] += f * (xb[i] - eps);
        }
    }
    return FMS_OK;
}

/* The len particles from particle i0 on through every step, while they sit
 * in L1.  Checks: their start values here, their end values in euler; in
 * between every position is a convex combination of the previous one and
 * x̂1 (Δt/(1 − t) ≤ 1), so it stays finite. */
static fms_status euler_block(const euler_job *e, size_t i0, size_t len, double *x, fms_error *err)
{
    double *xb = x + i0;
    double xabs;
    if (!fms_kernel_all_finite(xb, len, &xabs))
        return fms_error_set(err, FMS_EDOM, 0, "a starting point of the sampler is not finite");
    /* Every later position lies between the start and the data points. */
    xabs = fmax(xabs, e->k->xabs_max);
    if (e->xmid && e->mid_step == 0)
        memcpy(e->xmid + i0, xb, len * sizeof *xb);
    for (size_t j = 0; j < e->steps; j++) {
        fms_status st = euler_step(e, j, xabs, len, xb, err);
        if (st != FMS_OK)
            return st;
        if (e->traj)
            memcpy(e->traj + (j + 1) * e->m + i0, xb, len * sizeof *xb);
        if (e->xmid && j + 1 == e->mid_step)
            memcpy(e->xmid + i0, xb, len * sizeof *xb);
    }
    return FMS_OK;
}

/* The Euler loop; when xmid is not NULL it receives the positions after
 * mid_step steps (at t = mid_step/steps). */
static fms_status euler(const fms_kernel *k, fms_sampler_param p, size_t steps, size_t m, double *x,
                        double *traj, size_t mid_step, double *xmid, fms_error *err)
{
    if (steps == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "the sampler needs at least one step");
    euler_job e = { k, p, steps, m, 1.0 / (double)steps, malloc(2 * k->n * sizeof(double)), traj, mid_step, xmid };
    if (e.coef == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the sampler");
    if (traj)
        memcpy(traj, x, m * sizeof *x);
    fms_status st = FMS_OK;
    for (size_t i0 = 0; st == FMS_OK && i0 < m; i0 += FMS_KERNEL_BLOCK)
        st = euler_block(&e, i0, m - i0 < FMS_KERNEL_BLOCK ? m - i0 : FMS_KERNEL_BLOCK, x, err);
    for (size_t i = 0; st == FMS_OK && i < m; i++)
        if (!isfinite(x[i]))
            st = fms_error_set(err, FMS_ERANGE, 0, "particle %zu left the range of a double", i);
    free(e.coef);
    return st;
}

fms_status fms_sampler_euler(const fms_kernel *k, fms_sampler_param p, size_t steps,
                             size_t m, double *x, double *traj, fms_error *err)
{
    return euler(k, p, steps, m, x, traj, 0, NULL, err);
}

typedef struct ode_ctx {
    const fms_kernel *k;
    double *coef;
    fms_status st;
    fms_error *err;
} ode_ctx;

/* The ODE in s = −log(1 − t): dx/ds = (1 − t)·v = x̂1 − x, which stays
 * tame as t → 1 where dx/dt stiffens like 1/(1 − t). */
static int ode_rhs(double s, const double y[], double f[], void *params)
{
    ode_ctx *c = params;
    double hat;
    fms_status st = fms_kernel_prepare(c->k, -expm1(-s), c->coef, c->err);
    if (st == FMS_OK)
        st = fms_kernel_x1hat(c->k, c->coef, 1, y, &hat, c->err);
    if (st != FMS_OK) {
        c->st = st;
        return GSL_EBADFUNC;
    }
    f[0] = hat - y[0];
    return GSL_SUCCESS;
}

#define REF_T1 (1.0 - 0x1p-30)

fms_status fms_sampler_reference(const fms_kernel *k, double x0, double t_mid, double *x_mid,
                                 double *x1, fms_error *err)
{
    if (!(t_mid >= 0.0 && t_mid <= 0.5))
        return fms_error_set(err, FMS_EDOM, 0, "the intermediate time %g is outside [0, 0.5]", t_mid);
    if (!isfinite(x0))
        return fms_error_set(err, FMS_EDOM, 0, "the starting point %g is not finite", x0);
    ode_ctx c = { k, malloc(2 * k->n * sizeof(double)), FMS_OK, err };
    if (c.coef == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the ODE solver");
    gsl_odeiv2_system sys = { ode_rhs, NULL, 1, &c };
    gsl_odeiv2_driver *drv = gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 0.1, 1e-10, 1e-10);
    if (drv == NULL) {
        free(c.coef);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the ODE solver");
    }
    const double s_mid = -log1p(-t_mid), s1 = -log1p(-REF_T1);
    double s = 0.0, y[1] = { x0 };
    int rc = t_mid > 0.0 ? gsl_odeiv2_driver_apply(drv, &s, s_mid, y) : GSL_SUCCESS;
    if (x_mid)
        *x_mid = y[0];
    if (rc == GSL_SUCCESS)
        rc = gsl_odeiv2_driver_apply(drv, &s, s1, y);
    fms_status st = FMS_OK;
    if (c.st != FMS_OK)
        st = c.st;
    else if (rc != GSL_SUCCESS)
        st = fms_error_set(err, FMS_EGSL, 0, "the ODE solver failed from x0 = %g: %s", x0, gsl_strerror(rc));
    else {
        /* (1 − t1)·v = x̂1 − x, the rest of the straight line. */
        double f[1];
        if (ode_rhs(s1, y, f, &c) != GSL_SUCCESS)
            st = c.st;
        else
            *x1 = y[0] + f[0];
    }
    gsl_odeiv2_driver_free(drv);
    free(c.coef);
    return st;
}

void fms_sampler_result_free(fms_sample_result *r)
{
    if (r == NULL)
        return;
    free(r->count);
    free(r->hist);
    free(r);
}


/* Per chunk: end-point moments (merged in chunk order, so that the sums do
 * not depend on the schedule) and reference errors. */
typedef struct chunk_stat {
    fms_moments end;
    double abs_err_sum, abs_err_max;
    double mid_err_sum, mid_err_max;
} chunk_stat;

/* One run of fms_sampler_run: what its chunks share. */
typedef struct sample_job {
    const fms_data *d;
    const fms_sample_opts *o;
    fms_kernel *k;
    fms_sample_result *r; /* n, nbins and the histogram's range are set first */
    size_t np, nchunks, steps, mid_step;
    double t_mid, binw;
    chunk_stat *cs;       /* one per chunk */
    /* Integer tallies per thread (their sums do not depend on the order):
     * nearest-point counts (n), bins (nbins), below, above. */
    size_t *tally, tally_len;
    int nthreads;
    fms_chunks chunks;
} sample_job;

static fms_status check_opts(const fms_sample_opts *o, fms_error *err)
{
    if (o->particles < 1 || o->particles > FMS_SAMPLER_MAX_PARTICLES)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of particles must be 1 to %lld, not %lld",
                             FMS_SAMPLER_MAX_PARTICLES, o->particles);
    if (o->steps < 1 || o->steps > FMS_SAMPLER_MAX_STEPS)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of steps must be 1 to %lld, not %lld",
                             FMS_SAMPLER_MAX_STEPS, o->steps);
    return FMS_OK;
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

static void job_free(sample_job *j)
{
    free(j->cs);
    free(j->tally);
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
    j->steps = (size_t)o->steps;
    j->mid_step = j->steps / 2;
    j->t_mid = (double)j->mid_step / (double)j->steps;
    j->nthreads = fms_chunks_threads();
    j->tally_len = d->n + FMS_SAMPLER_BINS + 2;
    j->r = calloc(1, sizeof *j->r);
    j->cs = calloc(j->nchunks, sizeof *j->cs);
    j->tally = calloc((size_t)j->nthreads * j->tally_len, sizeof *j->tally);
    if (!j->r || !j->cs || !j->tally)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the sampler");
    hist_range(d, j->r);
    j->binw = (j->r->hist_hi - j->r->hist_lo) / (double)j->r->nbins;
    fms_chunks_init(&j->chunks, j->nchunks, o->progress, o->progress_ctx);
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

/* Adds |Euler − reference| at t = 1 and at t_mid for the particle that
 * started at x0 and is at xm at t_mid and xi at t = 1. */
static fms_status compare_reference(const sample_job *j, chunk_stat *q, double x0, double xm, double xi,
                                    fms_error *err)
{
    double ref, refm;
    fms_status st = fms_sampler_reference(j->k, x0, j->t_mid, &refm, &ref, err);
    if (st != FMS_OK)
        return st;
    double ae = fabs(xi - ref), am = fabs(xm - refm);
    q->abs_err_sum += ae;
    q->abs_err_max = fmax(q->abs_err_max, ae);
    q->mid_err_sum += am;
    q->mid_err_max = fmax(q->mid_err_max, am);
    return FMS_OK;
}

/* A thread's buffers: positions, starting points, positions at t_mid (with --reference). */
typedef struct chunk_buf {
    double *x, *x0, *xm;
} chunk_buf;

/* Chunk c: its noise, its Euler run, and its end points counted into my. */
static fms_status run_chunk(const sample_job *j, size_t c, const chunk_buf *b, size_t *my, fms_error *e)
{
    const fms_sample_opts *o = j->o;
    const size_t first = c * FMS_SAMPLER_CHUNK;
    const size_t m = j->np - first < FMS_SAMPLER_CHUNK ? j->np - first : FMS_SAMPLER_CHUNK;
    if (!b->x || !b->x0 || (!b->xm && o->reference))
        return fms_error_set(e, FMS_ENOMEM, 0, "out of memory for the sampler");
    fms_status s = chunk_noise(o->seed, c, m, b->x, e);
    if (s != FMS_OK)
        return s;
    memcpy(b->x0, b->x, m * sizeof *b->x);
    s = euler(j->k, o->param, j->steps, m, b->x, NULL, j->mid_step, b->xm, e);
    chunk_stat *q = &j->cs[c];
    for (size_t i = 0; s == FMS_OK && i < m; i++) {
        tally_end(j, my, b->x[i]);
        fms_chunks_moments_add(&q->end, b->x[i]);
        if (o->reference)
            s = compare_reference(j, q, b->x0[i], b->xm[i], b->x[i], e);
    }
    return s;
}

static void run_chunks(sample_job *j)
{
#pragma omp parallel
    {
        size_t *my = j->tally + (size_t)fms_chunks_thread() * j->tally_len;
        chunk_buf b = { malloc(FMS_SAMPLER_CHUNK * sizeof(double)), malloc(FMS_SAMPLER_CHUNK * sizeof(double)),
                        j->o->reference ? malloc(FMS_SAMPLER_CHUNK * sizeof(double)) : NULL };
        fms_error e;
        fms_error_clear(&e);
#pragma omp for schedule(dynamic, 1)
        for (size_t c = 0; c < j->nchunks; c++) {
            if (run_chunk(j, c, &b, my, &e) != FMS_OK)
                fms_chunks_fail(&j->chunks, c, &e);
            fms_chunks_finish(&j->chunks);
        }
        free(b.x);
        free(b.x0);
        free(b.xm);
    }
}

/* The result from the tallies of every thread and the chunks' moments. */
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
    fms_moments all = { 0.0, 0.0, 0.0 };
    double esum = 0.0, emax = 0.0, msum = 0.0, mmax = 0.0;
    for (size_t c = 0; c < j->nchunks; c++) {
        const chunk_stat *q = &j->cs[c];
        fms_chunks_moments_merge(&all, &q->end);
        esum += q->abs_err_sum;
        emax = fmax(emax, q->abs_err_max);
        msum += q->mid_err_sum;
        mmax = fmax(mmax, q->mid_err_max);
    }
    r->mean = all.mean;
    r->std = all.n > 1.0 ? sqrt(all.m2 / (all.n - 1.0)) : 0.0;
    r->have_reference = j->o->reference != 0;
    r->ref_max_abs = emax;
    r->ref_mean_abs = esum / all.n;
    r->ref_mid_t = j->t_mid;
    r->ref_mid_max_abs = mmax;
    r->ref_mid_mean_abs = msum / all.n;
    return FMS_OK;
}

fms_status fms_sampler_run(const fms_data *d, const fms_sample_opts *o,
                           fms_sample_result **out, fms_error *err)
{
    fms_status st = check_opts(o, err);
    if (st != FMS_OK)
        return st;
    sample_job j;
    st = job_init(&j, d, o, err);
    if (st == FMS_OK) {
        run_chunks(&j);
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

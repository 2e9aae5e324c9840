/* sampler.c — see sampler.h. */
#include "dynamics/sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_randist.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "dynamics/kernel_fast.h"

fms_status fms_sampler_param_parse(const char *name, fms_sampler_param *out)
{
    if (strcmp(name, "velocity") == 0)
        *out = FMS_SAMPLER_VELOCITY;
    else if (strcmp(name, "epsilon") == 0)
        *out = FMS_SAMPLER_EPSILON;
    else
        return FMS_EINVAL;
    return FMS_OK;
}

const char *fms_sampler_param_name(fms_sampler_param p)
{
    return p == FMS_SAMPLER_EPSILON ? "epsilon" : "velocity";
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

/* The Euler loop; when xmid is not NULL it receives the positions after
 * mid_step steps (at t = mid_step/steps). */
static fms_status euler(const fms_kernel *k, fms_sampler_param p, size_t steps, size_t m, double *x,
                        double *traj, size_t mid_step, double *xmid, fms_error *err)
{
    if (steps == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "the sampler needs at least one step");
    double *coef = malloc(2 * k->n * sizeof *coef);
    if (coef == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the sampler");
    const double dt = 1.0 / (double)steps;
    double hat[FMS_KERNEL_BLOCK];
    fms_status st = FMS_OK;
    if (traj)
        memcpy(traj, x, m * sizeof *x);
    /* Each block of particles runs through every step while it sits in L1.
     * Checks: the block's start values before the first step and its end
     * values after the last; in between every position is a convex
     * combination of the previous one and x̂1 (Δt/(1 − t) ≤ 1), so it stays
     * finite. */
    for (size_t i0 = 0; st == FMS_OK && i0 < m; i0 += FMS_KERNEL_BLOCK) {
        size_t len = m - i0 < FMS_KERNEL_BLOCK ? m - i0 : FMS_KERNEL_BLOCK;
        double *xb = x + i0;
        double xabs;
        if (!fms_kernel_all_finite(xb, len, &xabs)) {
            st = fms_error_set(err, FMS_EDOM, 0, "a starting point of the sampler is not finite");
            break;
        }
        /* Every later position lies between the start and the data points. */
        xabs = fmax(xabs, k->xabs_max);
        if (xmid && mid_step == 0)
            memcpy(xmid + i0, xb, len * sizeof *xb);
        for (size_t j = 0; st == FMS_OK && j < steps; j++) {
            const double t = (double)j * dt;
            if (p == FMS_SAMPLER_VELOCITY) {
                st = fms_kernel_prepare(k, t, coef, err);
                if (st == FMS_OK)
                    st = fms_kernel_check_range(k, coef, xabs, err);
                if (st != FMS_OK)
                    break;
                fms_kernel_x1hat_unchecked(k, coef, len, xb, hat);
                const double f = dt / (1.0 - t);
                for (size_t i = 0; i < len; i++)
                    xb[i] += f * (hat[i] - xb[i]);
            } else {
                const double te = j == 0 ? EPS_T0_H : t;
                st = fms_kernel_prepare(k, te, coef, err);
                if (st == FMS_OK)
                    st = fms_kernel_check_range(k, coef, xabs, err);
                if (st != FMS_OK)
                    break;
                fms_kernel_x1hat_unchecked(k, coef, len, xb, hat);
                const double inv = 1.0 / (1.0 - te), f = dt / te;
                for (size_t i = 0; i < len; i++) {
                    double eps = (xb[i] - te * hat[i]) * inv; /* ε_θ(x, t) */
                    xb[i] += f * (xb[i] - eps);
                }
            }
            if (traj)
                memcpy(traj + (j + 1) * m + i0, xb, len * sizeof *xb);
            if (xmid && j + 1 == mid_step)
                memcpy(xmid + i0, xb, len * sizeof *xb);
        }
    }
    for (size_t i = 0; st == FMS_OK && i < m; i++)
        if (!isfinite(x[i]))
            st = fms_error_set(err, FMS_ERANGE, 0, "particle %zu left the range of a double", i);
    free(coef);
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
    double n, mean, m2;
    double abs_err_sum, abs_err_max;
    double mid_err_sum, mid_err_max;
} chunk_stat;

fms_status fms_sampler_run(const fms_data *d, const fms_sample_opts *o,
                           fms_sample_result **out, fms_error *err)
{
    if (o->particles < 1 || o->particles > FMS_SAMPLER_MAX_PARTICLES)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of particles must be 1 to %lld, not %lld",
                             FMS_SAMPLER_MAX_PARTICLES, o->particles);
    if (o->steps < 1 || o->steps > FMS_SAMPLER_MAX_STEPS)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of steps must be 1 to %lld, not %lld",
                             FMS_SAMPLER_MAX_STEPS, o->steps);
    fms_kernel *k = NULL;
    fms_status st = fms_kernel_create(d, &k, err);
    if (st != FMS_OK)
        return st;
    const size_t np = (size_t)o->particles, n = d->n;
    const size_t nchunks = (np + FMS_SAMPLER_CHUNK - 1) / FMS_SAMPLER_CHUNK;
    int nthreads = 1;
#ifdef _OPENMP
    nthreads = omp_get_max_threads();
#endif
    fms_sample_result *r = calloc(1, sizeof *r);
    chunk_stat *cs = calloc(nchunks, sizeof *cs);
    /* Integer tallies per thread: their sums do not depend on the order. */
    size_t tally_len = n + FMS_SAMPLER_BINS + 2;
    size_t *tally = calloc((size_t)nthreads * tally_len, sizeof *tally);
    if (!r || !cs || !tally) {
        free(r);
        free(cs);
        free(tally);
        fms_kernel_free(k);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the sampler");
    }
    double xmin = d->x[0], xmax = d->x[0];
    for (size_t i = 1; i < n; i++) {
        xmin = fmin(xmin, d->x[i]);
        xmax = fmax(xmax, d->x[i]);
    }
    const double margin = 0.3 * fmax(xmax - xmin, 1.0);
    r->n = n;
    r->nbins = FMS_SAMPLER_BINS;
    r->hist_lo = xmin - margin;
    r->hist_hi = xmax + margin;
    const double binw = (r->hist_hi - r->hist_lo) / (double)r->nbins;

    fms_error first_err;
    fms_error_clear(&first_err);
    size_t first_bad = (size_t)-1;
    size_t done = 0;
    const size_t steps = (size_t)o->steps, mid_step = steps / 2;
    const double t_mid = (double)mid_step / (double)steps;

#pragma omp parallel
    {
        int tid = 0;
#ifdef _OPENMP
        tid = omp_get_thread_num();
#endif
        size_t *my = tally + (size_t)tid * tally_len;
        double *x = malloc(FMS_SAMPLER_CHUNK * sizeof *x);
        double *x0 = malloc(FMS_SAMPLER_CHUNK * sizeof *x0);
        double *xm = o->reference ? malloc(FMS_SAMPLER_CHUNK * sizeof *xm) : NULL;
        fms_error e;
        fms_error_clear(&e);
#pragma omp for schedule(dynamic, 1)
        for (size_t c = 0; c < nchunks; c++) {
            size_t first = c * FMS_SAMPLER_CHUNK;
            size_t m = np - first < FMS_SAMPLER_CHUNK ? np - first : FMS_SAMPLER_CHUNK;
            fms_status s = (x && x0 && (xm || !o->reference)) ? FMS_OK : fms_error_set(&e, FMS_ENOMEM, 0, "out of memory for the sampler");
            if (s == FMS_OK)
                s = chunk_noise(o->seed, c, m, x, &e);
            if (s == FMS_OK) {
                memcpy(x0, x, m * sizeof *x);
                s = euler(k, o->param, steps, m, x, NULL, mid_step, xm, &e);
            }
            chunk_stat *q = &cs[c];
            for (size_t i = 0; s == FMS_OK && i < m; i++) {
                double xi = x[i];
                size_t best = 0;
                double bd = fabs(xi - d->x[0]);
                for (size_t j = 1; j < n; j++) {
                    double dj = fabs(xi - d->x[j]);
                    if (dj < bd) {
                        bd = dj;
                        best = j;
                    }
                }
                my[best]++;
                if (xi < r->hist_lo)
                    my[n + r->nbins]++;
                else if (xi >= r->hist_hi)
                    my[n + r->nbins + 1]++;
                else {
                    size_t b = (size_t)((xi - r->hist_lo) / binw);
                    my[n + (b < r->nbins ? b : r->nbins - 1)]++;
                }
                /* Welford within the chunk. */
                q->n += 1.0;
                double dlt = xi - q->mean;
                q->mean += dlt / q->n;
                q->m2 += dlt * (xi - q->mean);
                if (o->reference) {
                    double ref, refm;
                    s = fms_sampler_reference(k, x0[i], t_mid, &refm, &ref, &e);
                    if (s == FMS_OK) {
                        double ae = fabs(xi - ref), am = fabs(xm[i] - refm);
                        q->abs_err_sum += ae;
                        q->abs_err_max = fmax(q->abs_err_max, ae);
                        q->mid_err_sum += am;
                        q->mid_err_max = fmax(q->mid_err_max, am);
                    }
                }
            }
            if (s != FMS_OK) {
#pragma omp critical(fms_sampler_err)
                if (c < first_bad) {
                    first_bad = c;
                    first_err = e;
                }
                fms_error_clear(&e);
            }
#pragma omp critical(fms_sampler_progress)
            {
                done++;
                if (o->progress)
                    o->progress(o->progress_ctx, (double)done / (double)nchunks);
            }
        }
        free(x);
        free(x0);
        free(xm);
    }

    if (first_bad != (size_t)-1) {
        st = fms_error_set(err, first_err.status, 0, "%s", first_err.msg);
        goto fail;
    }
    r->count = calloc(n, sizeof *r->count);
    r->hist = calloc(r->nbins, sizeof *r->hist);
    if (!r->count || !r->hist) {
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the sampler");
        goto fail;
    }
    for (int t = 0; t < nthreads; t++) {
        const size_t *my = tally + (size_t)t * tally_len;
        for (size_t i = 0; i < n; i++)
            r->count[i] += my[i];
        for (size_t b = 0; b < r->nbins; b++)
            r->hist[b] += my[n + b];
        r->below += my[n + r->nbins];
        r->above += my[n + r->nbins + 1];
    }
    /* Chan et al.'s pairwise update, in chunk order. */
    double cn = 0.0, cmean = 0.0, cm2 = 0.0, esum = 0.0, emax = 0.0, msum = 0.0, mmax = 0.0;
    for (size_t c = 0; c < nchunks; c++) {
        double nb = cs[c].n, tot = cn + nb;
        double dlt = cs[c].mean - cmean;
        cmean += dlt * nb / tot;
        cm2 += cs[c].m2 + dlt * dlt * cn * nb / tot;
        cn = tot;
        esum += cs[c].abs_err_sum;
        emax = fmax(emax, cs[c].abs_err_max);
        msum += cs[c].mid_err_sum;
        mmax = fmax(mmax, cs[c].mid_err_max);
    }
    r->mean = cmean;
    r->std = cn > 1.0 ? sqrt(cm2 / (cn - 1.0)) : 0.0;
    r->have_reference = o->reference != 0;
    r->ref_max_abs = emax;
    r->ref_mean_abs = esum / cn;
    r->ref_mid_t = t_mid;
    r->ref_mid_max_abs = mmax;
    r->ref_mid_mean_abs = msum / cn;
    free(cs);
    free(tally);
    fms_kernel_free(k);
    *out = r;
    return FMS_OK;
fail:
    free(cs);
    free(tally);
    fms_kernel_free(k);
    fms_sampler_result_free(r);
    return st;
}

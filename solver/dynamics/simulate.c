/* simulate.c — see simulate.h. */
#include "dynamics/simulate.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "model/engine.h"

/* Φ(b) − Φ(a) for a ≤ b, from the tail that keeps the digits. */
static double gauss_mass(double a, double b)
{
    if (a >= 0.0)
        return gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
    if (b <= 0.0)
        return gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    return 1.0 - gsl_cdf_ugaussian_Q(b) - gsl_cdf_ugaussian_P(a);
}

typedef struct win_ctx {
    const fms_data *d;
    double x_lo, x_hi;
    size_t k;        /* the point whose term is integrated */
    int moment;      /* 0: p_k·mass; 1: Σ_k p_k·∫φ·u_k */
} win_ctx;

static double win_term(const win_ctx *c, size_t k, double t, int moment)
{
    const double omt = 1.0 - t, xk = c->d->x[k];
    const double a = (c->x_lo - t * xk) / omt, b = (c->x_hi - t * xk) / omt;
    const double mass = gauss_mass(a, b);
    if (!moment)
        return c->d->prob[k] * mass;
    return c->d->prob[k] * (xk * mass - (gsl_ran_ugaussian_pdf(a) - gsl_ran_ugaussian_pdf(b)));
}

static double win_integrand(double t, void *params)
{
    const win_ctx *c = params;
    if (!c->moment)
        return win_term(c, c->k, t, 0);
    double s = 0.0;
    for (size_t k = 0; k < c->d->n; k++)
        s += win_term(c, k, t, 1);
    return s;
}

static fms_status integrate(win_ctx *c, double lo, double hi, gsl_integration_workspace *w,
                            double *out, fms_error *err)
{
    gsl_function f = { win_integrand, c };
    double res, abserr;
    int rc = gsl_integration_qag(&f, lo, hi, 0.0, 1e-10, 1000, GSL_INTEG_GAUSS61, w, &res, &abserr);
    /* A tolerance reached only to rounding is still the best double available. */
    if (rc != GSL_SUCCESS && rc != GSL_EROUND)
        return fms_error_set(err, FMS_EGSL, 0, "integrating over the window failed: %s", gsl_strerror(rc));
    *out = res;
    return FMS_OK;
}

fms_status fms_simulate_window_exact(const fms_data *d, double t_lo, double t_hi, double x_lo,
                                     double x_hi, double *share, double *velocity, fms_error *err)
{
    if (!(t_lo >= 0.0 && t_lo < t_hi && t_hi <= 1.0 && isfinite(x_lo) && isfinite(x_hi) && x_lo < x_hi))
        return fms_error_set(err, FMS_EDOM, 0, "the window [%g, %g] x [%g, %g] is not valid", t_lo, t_hi,
                             x_lo, x_hi);
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    double *num = malloc(d->n * sizeof *num);
    if (!w || !num) {
        gsl_integration_workspace_free(w);
        free(num);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the window integral");
    }
    win_ctx c = { d, x_lo, x_hi, 0, 0 };
    fms_status st = FMS_OK;
    double den = 0.0, mom = 0.0;
    for (size_t k = 0; st == FMS_OK && k < d->n; k++) {
        c.k = k;
        st = integrate(&c, t_lo, t_hi, w, &num[k], err);
        den += num[k];
    }
    if (st == FMS_OK) {
        c.moment = 1;
        st = integrate(&c, t_lo, t_hi, w, &mom, err);
    }
    if (st == FMS_OK && !(den > 0.0))
        st = fms_error_set(err, FMS_ERANGE, 0, "the window holds no probability mass in double precision");
    if (st == FMS_OK) {
        for (size_t k = 0; k < d->n; k++)
            share[k] = num[k] / den;
        *velocity = mom / den;
    }
    gsl_integration_workspace_free(w);
    free(num);
    return st;
}

void fms_simulate_result_free(fms_simulate_result *r)
{
    if (r == NULL)
        return;
    free(r->count);
    free(r->share);
    free(r->ci_lo);
    free(r->ci_hi);
    free(r->exact_point);
    free(r->exact_point_log);
    free(r->exact_window);
    free(r);
}

/* Per chunk: kept count and the moments of u, merged in chunk order. */
typedef struct chunk_sum {
    double n, mean, m2;
} chunk_sum;

fms_status fms_simulate_run(const fms_data *d, double t0, double x0, const fms_simulate_opts *o,
                            fms_simulate_result **out, fms_error *err)
{
    if (o->samples < 1 || o->samples > FMS_SIMULATE_MAX_SAMPLES)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of samples must be 1 to %lld, not %lld",
                             FMS_SIMULATE_MAX_SAMPLES, o->samples);
    if (!(isfinite(o->window) && o->window > 0.0))
        return fms_error_set(err, FMS_EINVAL, 0, "the window half-width must be a positive number, not %g",
                             o->window);
    fms_status st = fms_engine_check_query(t0, x0, err);
    if (st != FMS_OK)
        return st;
    const size_t n = d->n;
    fms_simulate_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the simulation");
    r->n = n;
    r->count = calloc(n, sizeof *r->count);
    r->share = calloc(n, sizeof *r->share);
    r->ci_lo = calloc(n, sizeof *r->ci_lo);
    r->ci_hi = calloc(n, sizeof *r->ci_hi);
    r->exact_point = calloc(n, sizeof *r->exact_point);
    r->exact_point_log = calloc(n, sizeof *r->exact_point_log);
    r->exact_window = calloc(n, sizeof *r->exact_window);
    fms_component *comp = calloc(n, sizeof *comp);
    const size_t nchunks = (size_t)((o->samples + FMS_SIMULATE_CHUNK - 1) / FMS_SIMULATE_CHUNK);
    chunk_sum *cs = calloc(nchunks, sizeof *cs);
    int nthreads = 1;
#ifdef _OPENMP
    nthreads = omp_get_max_threads();
#endif
    unsigned long long *tally = calloc((size_t)nthreads * n, sizeof *tally);
    gsl_ran_discrete_t *table = NULL;
    if (!r->count || !r->share || !r->ci_lo || !r->ci_hi || !r->exact_point || !r->exact_point_log ||
        !r->exact_window || !comp || !cs || !tally) {
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the simulation");
        goto done;
    }
    r->t_lo = fmax(0.0, t0 - o->window);
    r->t_hi = fmin(1.0, t0 + o->window);
    r->x_lo = x0 - o->window;
    r->x_hi = x0 + o->window;

    fms_posterior post;
    st = fms_engine_eval(d, t0, x0, comp, &post, err);
    if (st != FMS_OK)
        goto done;
    for (size_t k = 0; k < n; k++) {
        r->exact_point[k] = comp[k].weight;
        r->exact_point_log[k] = comp[k].log_weight;
    }
    r->exact_velocity_point = post.velocity;
    st = fms_simulate_window_exact(d, r->t_lo, r->t_hi, r->x_lo, r->x_hi, r->exact_window,
                                   &r->exact_velocity_window, err);
    if (st != FMS_OK)
        goto done;

    table = gsl_ran_discrete_preproc(n, d->prob);
    if (table == NULL) {
        st = fms_error_set(err, FMS_ENOMEM, 0, "cannot build the sampling table of the data");
        goto done;
    }
    fms_error first_err;
    fms_error_clear(&first_err);
    size_t first_bad = (size_t)-1, finished = 0;
    const double tl = r->t_lo, th = r->t_hi, xl = r->x_lo, xh = r->x_hi;
#pragma omp parallel
    {
        int tid = 0;
#ifdef _OPENMP
        tid = omp_get_thread_num();
#endif
        unsigned long long *my = tally + (size_t)tid * n;
        fms_error e;
        fms_error_clear(&e);
#pragma omp for schedule(dynamic, 1)
        for (size_t c = 0; c < nchunks; c++) {
            long long first = (long long)c * FMS_SIMULATE_CHUNK;
            long long m = o->samples - first < FMS_SIMULATE_CHUNK ? o->samples - first : FMS_SIMULATE_CHUNK;
            gsl_rng *rng = NULL;
            if (fms_stream_rng(o->seed, c, &rng, &e) != FMS_OK) {
#pragma omp critical(fms_simulate_err)
                if (c < first_bad) {
                    first_bad = c;
                    first_err = e;
                }
                continue;
            }
            chunk_sum *q = &cs[c];
            for (long long i = 0; i < m; i++) {
                size_t k = gsl_ran_discrete(rng, table);               /* L1 */
                double eps = gsl_ran_gaussian_ziggurat(rng, 1.0);      /* L2 */
                double t = gsl_rng_uniform(rng);                       /* L3 */
                double xt = (1.0 - t) * eps + t * d->x[k];             /* L4 */
                if (t < tl || t > th || xt < xl || xt > xh)
                    continue;
                double u = d->x[k] - eps;                              /* L5 */
                my[k]++;
                q->n += 1.0;
                double dlt = u - q->mean;
                q->mean += dlt / q->n;
                q->m2 += dlt * (u - q->mean);
            }
            gsl_rng_free(rng);
#pragma omp critical(fms_simulate_progress)
            {
                finished++;
                if (o->progress)
                    o->progress(o->progress_ctx, (double)finished / (double)nchunks);
            }
        }
    }
    if (first_bad != (size_t)-1) {
        st = fms_error_set(err, first_err.status, 0, "%s", first_err.msg);
        goto done;
    }
    for (int t = 0; t < nthreads; t++)
        for (size_t k = 0; k < n; k++)
            r->count[k] += tally[(size_t)t * n + k];
    double cn = 0.0, cmean = 0.0, cm2 = 0.0;
    for (size_t c = 0; c < nchunks; c++) {
        double nb = cs[c].n, tot = cn + nb;
        if (nb == 0.0)
            continue;
        double dlt = cs[c].mean - cmean;
        cmean += dlt * nb / tot;
        cm2 += cs[c].m2 + dlt * dlt * cn * nb / tot;
        cn = tot;
    }
    for (size_t k = 0; k < n; k++)
        r->hits += r->count[k];
    const double z = gsl_cdf_ugaussian_Pinv(0.975), hits = (double)r->hits;
    for (size_t k = 0; k < n; k++) {
        if (r->hits == 0) {
            r->share[k] = r->ci_lo[k] = r->ci_hi[k] = NAN;
            continue;
        }
        double p = (double)r->count[k] / hits;
        double den = 1.0 + z * z / hits;
        double centre = (p + z * z / (2.0 * hits)) / den;
        double half = z / den * sqrt(p * (1.0 - p) / hits + z * z / (4.0 * hits * hits));
        r->share[k] = p;
        /* At p = 0 (or 1) the interval's end is exactly 0 (or 1). */
        r->ci_lo[k] = r->count[k] == 0 ? 0.0 : fmax(0.0, centre - half);
        r->ci_hi[k] = r->count[k] == r->hits ? 1.0 : fmin(1.0, centre + half);
    }
    if (r->hits >= 2) {
        double se = sqrt(cm2 / (cn - 1.0) / cn);
        r->mean_target = cmean;
        r->mean_ci_lo = cmean - z * se;
        r->mean_ci_hi = cmean + z * se;
    } else {
        r->mean_target = r->hits == 1 ? cmean : NAN;
        r->mean_ci_lo = r->mean_ci_hi = NAN;
    }
done:
    gsl_ran_discrete_free(table);
    free(comp);
    free(cs);
    free(tally);
    if (st != FMS_OK) {
        fms_simulate_result_free(r);
        return st;
    }
    *out = r;
    return FMS_OK;
}

/* simulate.c — see simulate.h. */
#include "dynamics/simulate.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "dynamics/chunks.h"
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

/* The result's per-label columns of doubles, for allocating and freeing them together. */
#define RESULT_COLUMNS 6
static void result_columns(fms_simulate_result *r, double **cols[RESULT_COLUMNS])
{
    cols[0] = &r->share;
    cols[1] = &r->ci_lo;
    cols[2] = &r->ci_hi;
    cols[3] = &r->exact_point;
    cols[4] = &r->exact_point_log;
    cols[5] = &r->exact_window;
}

void fms_simulate_result_free(fms_simulate_result *r)
{
    if (r == NULL)
        return;
    double **cols[RESULT_COLUMNS];
    result_columns(r, cols);
    for (size_t i = 0; i < RESULT_COLUMNS; i++)
        free(*cols[i]);
    free(r->count);
    free(r);
}

/* A result for n labels with every column zeroed, or NULL when out of memory. */
static fms_simulate_result *result_alloc(size_t n)
{
    fms_simulate_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->n = n;
    r->count = calloc(n, sizeof *r->count);
    int ok = r->count != NULL;
    double **cols[RESULT_COLUMNS];
    result_columns(r, cols);
    for (size_t i = 0; i < RESULT_COLUMNS; i++)
        ok &= (*cols[i] = calloc(n, sizeof **cols[i])) != NULL;
    if (!ok) {
        fms_simulate_result_free(r);
        return NULL;
    }
    return r;
}

/* One run of fms_simulate_run: what its chunks share. */
typedef struct sim_job {
    const fms_data *d;
    const fms_simulate_opts *o;
    fms_simulate_result *r;    /* the window is set first */
    size_t nchunks;
    fms_moments *cs;           /* per chunk: the kept targets u, merged in chunk order */
    unsigned long long *tally; /* per thread: kept samples with x1 = x_k */
    int nthreads;
    gsl_ran_discrete_t *table; /* L1's draw from the data */
    fms_chunks chunks;
} sim_job;

static fms_status check_opts(double t0, double x0, const fms_simulate_opts *o, fms_error *err)
{
    if (o->samples < 1 || o->samples > FMS_SIMULATE_MAX_SAMPLES)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of samples must be 1 to %lld, not %lld",
                             FMS_SIMULATE_MAX_SAMPLES, o->samples);
    if (!(isfinite(o->window) && o->window > 0.0))
        return fms_error_set(err, FMS_EINVAL, 0, "the window half-width must be a positive number, not %g",
                             o->window);
    return fms_engine_check_query(t0, x0, err);
}

/* The exact shares and velocity at the point (x0, t0) and averaged over the window. */
static fms_status exact_values(const fms_data *d, double t0, double x0, fms_simulate_result *r, fms_error *err)
{
    fms_component *comp = calloc(d->n, sizeof *comp);
    if (comp == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the simulation");
    fms_posterior post;
    fms_status st = fms_engine_eval(d, t0, x0, comp, &post, err);
    if (st == FMS_OK) {
        for (size_t k = 0; k < d->n; k++) {
            r->exact_point[k] = comp[k].weight;
            r->exact_point_log[k] = comp[k].log_weight;
        }
        r->exact_velocity_point = post.velocity;
        st = fms_simulate_window_exact(d, r->t_lo, r->t_hi, r->x_lo, r->x_hi, r->exact_window,
                                       &r->exact_velocity_window, err);
    }
    free(comp);
    return st;
}

static void job_free(sim_job *j)
{
    gsl_ran_discrete_free(j->table);
    free(j->cs);
    free(j->tally);
    fms_simulate_result_free(j->r);
}

static fms_status job_init(sim_job *j, const fms_data *d, double t0, double x0, const fms_simulate_opts *o,
                           fms_error *err)
{
    *j = (sim_job){ .d = d, .o = o };
    const size_t n = d->n;
    j->nchunks = (size_t)((o->samples + FMS_SIMULATE_CHUNK - 1) / FMS_SIMULATE_CHUNK);
    j->nthreads = fms_chunks_threads();
    j->r = result_alloc(n);
    j->cs = calloc(j->nchunks, sizeof *j->cs);
    j->tally = calloc((size_t)j->nthreads * n, sizeof *j->tally);
    if (!j->r || !j->cs || !j->tally)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the simulation");
    fms_simulate_result *r = j->r;
    r->t_lo = fmax(0.0, t0 - o->window);
    r->t_hi = fmin(1.0, t0 + o->window);
    r->x_lo = x0 - o->window;
    r->x_hi = x0 + o->window;
    fms_status st = exact_values(d, t0, x0, r, err);
    if (st != FMS_OK)
        return st;
    j->table = gsl_ran_discrete_preproc(n, d->prob);
    if (j->table == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "cannot build the sampling table of the data");
    fms_chunks_init(&j->chunks, j->nchunks, o->progress, o->progress_ctx);
    return FMS_OK;
}

/* Chunk c: its samples of L1–L5, those in the window counted into my and cs[c]. */
static fms_status draw_chunk(const sim_job *j, size_t c, unsigned long long *my, fms_error *e)
{
    const fms_data *d = j->d;
    const fms_simulate_opts *o = j->o;
    const long long first = (long long)c * FMS_SIMULATE_CHUNK;
    const long long m = o->samples - first < FMS_SIMULATE_CHUNK ? o->samples - first : FMS_SIMULATE_CHUNK;
    gsl_rng *rng = NULL;
    fms_status st = fms_stream_rng(o->seed, c, &rng, e);
    if (st != FMS_OK)
        return st;
    const double tl = j->r->t_lo, th = j->r->t_hi, xl = j->r->x_lo, xh = j->r->x_hi;
    fms_moments *q = &j->cs[c];
    for (long long i = 0; i < m; i++) {
        size_t k = gsl_ran_discrete(rng, j->table);            /* L1 */
        double eps = gsl_ran_gaussian_ziggurat(rng, 1.0);      /* L2 */
        double t = gsl_rng_uniform(rng);                       /* L3 */
        double xt = (1.0 - t) * eps + t * d->x[k];             /* L4 */
        if (t < tl || t > th || xt < xl || xt > xh)
            continue;
        double u = d->x[k] - eps;                              /* L5 */
        my[k]++;
        fms_chunks_moments_add(q, u);
    }
    gsl_rng_free(rng);
    return FMS_OK;
}

static void draw_chunks(sim_job *j)
{
#pragma omp parallel
    {
        unsigned long long *my = j->tally + (size_t)fms_chunks_thread() * j->r->n;
        fms_error e;
        fms_error_clear(&e);
#pragma omp for schedule(dynamic, 1)
        for (size_t c = 0; c < j->nchunks; c++) {
            if (draw_chunk(j, c, my, &e) != FMS_OK)
                fms_chunks_fail(&j->chunks, c, &e);
            fms_chunks_finish(&j->chunks);
        }
    }
}

/* The share count/hits and its 95% Wilson score interval, z = Φ⁻¹(0.975);
 * NaN for no hits. */
static void wilson(unsigned long long count, unsigned long long hits, double z, double *share, double *lo,
                   double *hi)
{
    if (hits == 0) {
        *share = *lo = *hi = NAN;
        return;
    }
    const double nh = (double)hits;
    double p = (double)count / nh;
    double den = 1.0 + z * z / nh;
    double centre = (p + z * z / (2.0 * nh)) / den;
    double half = z / den * sqrt(p * (1.0 - p) / nh + z * z / (4.0 * nh * nh));
    *share = p;
    /* At p = 0 (or 1) the interval's end is exactly 0 (or 1). */
    *lo = count == 0 ? 0.0 : fmax(0.0, centre - half);
    *hi = count == hits ? 1.0 : fmin(1.0, centre + half);
}

/* The counts, shares and the mean target with their intervals, from the
 * tallies of every thread and the chunks' moments. */
static void summarise(sim_job *j)
{
    fms_simulate_result *r = j->r;
    const size_t n = r->n;
    for (int t = 0; t < j->nthreads; t++)
        for (size_t k = 0; k < n; k++)
            r->count[k] += j->tally[(size_t)t * n + k];
    fms_moments all = { 0.0, 0.0, 0.0 };
    for (size_t c = 0; c < j->nchunks; c++)
        fms_chunks_moments_merge(&all, &j->cs[c]);
    for (size_t k = 0; k < n; k++)
        r->hits += r->count[k];
    const double z = gsl_cdf_ugaussian_Pinv(0.975);
    for (size_t k = 0; k < n; k++)
        wilson(r->count[k], r->hits, z, &r->share[k], &r->ci_lo[k], &r->ci_hi[k]);
    if (r->hits >= 2) {
        double se = sqrt(all.m2 / (all.n - 1.0) / all.n);
        r->mean_target = all.mean;
        r->mean_ci_lo = all.mean - z * se;
        r->mean_ci_hi = all.mean + z * se;
    } else {
        r->mean_target = r->hits == 1 ? all.mean : NAN;
        r->mean_ci_lo = r->mean_ci_hi = NAN;
    }
}

fms_status fms_simulate_run(const fms_data *d, double t0, double x0, const fms_simulate_opts *o,
                            fms_simulate_result **out, fms_error *err)
{
    fms_status st = check_opts(t0, x0, o, err);
    if (st != FMS_OK)
        return st;
    sim_job j;
    st = job_init(&j, d, t0, x0, o, err);
    if (st == FMS_OK) {
        draw_chunks(&j);
        st = fms_chunks_status(&j.chunks, err);
    }
    if (st == FMS_OK) {
        summarise(&j);
        *out = j.r;
        j.r = NULL;
    }
    job_free(&j);
    return st;
}

/* train.c — see train.h. */
#include "dynamics/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#define ORDER 4 /* cubic */

void fms_train_free(fms_train_model *m)
{
    if (m == NULL)
        return;
    if (m->wx)
        gsl_bspline_free(m->wx);
    if (m->wt)
        gsl_bspline_free(m->wt);
    gsl_vector_free(m->bx);
    gsl_vector_free(m->bt);
    free(m->theta);
    free(m->loss_step);
    free(m->loss);
    free(m);
}

/* The nonzero basis values at (x, t): ORDER per axis and their first indices. */
static int basis(fms_train_model *m, double x, double t, size_t *ix, size_t *it)
{
    size_t e;
    int rc = gsl_bspline_eval_nonzero(x, m->bx, ix, &e, m->wx);
    if (rc == GSL_SUCCESS)
        rc = gsl_bspline_eval_nonzero(t, m->bt, it, &e, m->wt);
    return rc;
}

static double model_at(const fms_train_model *m, const double *theta, size_t ix, size_t it)
{
    double s = 0.0;
    for (size_t a = 0; a < ORDER; a++) {
        const double *row = theta + (ix + a) * m->nbt + it;
        double r = 0.0;
        for (size_t b = 0; b < ORDER; b++)
            r += row[b] * gsl_vector_get(m->bt, b);
        s += gsl_vector_get(m->bx, a) * r;
    }
    return s;
}

fms_status fms_train_eval(fms_train_model *m, double t, double x, double *u, fms_error *err)
{
    if (!(t >= 0.0 && t <= 1.0))
        return fms_error_set(err, FMS_EDOM, 0, "t = %g is outside the model's range [0, 1]", t);
    if (!(x >= m->x_lo && x <= m->x_hi))
        return fms_error_set(err, FMS_EDOM, 0, "x_t = %g is outside the model's range [%g, %g]", x, m->x_lo,
                             m->x_hi);
    size_t ix, it;
    if (basis(m, x, t, &ix, &it) != GSL_SUCCESS)
        return fms_error_set(err, FMS_EGSL, 0, "cannot evaluate the B-spline basis at (%g, %g)", x, t);
    *u = model_at(m, m->theta, ix, it);
    return FMS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Breakpoints in x: a uniform grid of nx intervals, plus a cluster at each
 * midpoint m between neighbouring data points (m − h/8, m, m + h/8, grid
 * points closer than h/4 removed), where v becomes discontinuous as t → 1:
 * the narrow spans let the spline turn there instead of ringing across its
 * neighbours.  Clusters are added for up to FMS_TRAIN_CLUSTER_POINTS points. */
#define FMS_TRAIN_CLUSTER_POINTS 16
static fms_status x_breaks(const fms_data *d, double lo, double hi, size_t nx, double **out, size_t *nout)
{
    const size_t n = d->n <= FMS_TRAIN_CLUSTER_POINTS ? d->n : 0;
    double *xs = malloc((n + 1) * sizeof *xs);
    double *b = malloc((nx + 1 + 3 * (n + 1)) * sizeof *b);
    if (!xs || !b) {
        free(xs);
        free(b);
        return FMS_ENOMEM;
    }
    const double h = (hi - lo) / (double)nx;
    for (size_t k = 0; k < n; k++)
        xs[k] = d->x[k];
    qsort(xs, n, sizeof *xs, cmp_double);
    size_t nm = 0;
    for (size_t k = 0; k + 1 < n; k++)
        if (xs[k + 1] - xs[k] > h)
            xs[nm++] = 0.5 * (xs[k] + xs[k + 1]);
    size_t nb = 0;
    for (size_t j = 0; j <= nx; j++) {
        double g = j == nx ? hi : lo + (double)j * h;
        int keep = 1;
        for (size_t i = 0; i < nm && j > 0 && j < nx; i++)
            if (fabs(g - xs[i]) < 0.25 * h)
                keep = 0;
        if (keep)
            b[nb++] = g;
    }
    for (size_t i = 0; i < nm; i++) {
        b[nb++] = xs[i] - 0.125 * h;
        b[nb++] = xs[i];
        b[nb++] = xs[i] + 0.125 * h;
    }
    qsort(b, nb, sizeof *b, cmp_double);
    free(xs);
    *out = b;
    *nout = nb;
    return FMS_OK;
}

/* One sample of the training loop: x_t, t and the target u. */
typedef struct sample {
    double x, t, u;
} sample;

/* One draw of L1–L5. */
static sample draw(gsl_rng *r, const gsl_ran_discrete_t *tab, const fms_data *d)
{
    size_t k = gsl_ran_discrete(r, tab);
    double eps = gsl_ran_gaussian_ziggurat(r, 1.0);
    sample s;
    s.t = gsl_rng_uniform(r);
    s.x = (1.0 - s.t) * eps + s.t * d->x[k];
    s.u = d->x[k] - eps;
    return s;
}

/* Solves (A + λI)θ = b into theta, A kept intact. */
static fms_status solve(const double *ata, const double *atb, size_t p, gsl_matrix *work, double *theta,
                        fms_error *err)
{
    double tr = 0.0;
    for (size_t i = 0; i < p; i++)
        tr += ata[i * p + i];
    const double lambda = 1e-6 * (tr > 0.0 ? tr / (double)p : 1.0) + 1e-300;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            gsl_matrix_set(work, i, j, ata[i * p + j] + (i == j ? lambda : 0.0));
    gsl_vector_const_view bv = gsl_vector_const_view_array(atb, p);
    gsl_vector_view tv = gsl_vector_view_array(theta, p);
    int rc = gsl_linalg_cholesky_decomp1(work);
    if (rc == GSL_SUCCESS)
        rc = gsl_linalg_cholesky_solve(work, &bv.vector, &tv.vector);
    if (rc != GSL_SUCCESS)
        return fms_error_set(err, FMS_EGSL, 0, "solving the least-squares system failed: %s", gsl_strerror(rc));
    return FMS_OK;
}

/* What the fit works with besides the model: the normal equations, the
 * held-out set and the generators. */
typedef struct fit {
    size_t p;                /* nbx·nbt unknowns */
    double *ata, *atb;       /* Σ w·wᵀ (p·p) and Σ w·u (p) over the samples, w the basis products */
    gsl_matrix *work;        /* the ridge system, factorised in place */
    sample *held;            /* the FMS_TRAIN_HELDOUT held-out samples */
    gsl_rng *rng, *hrng;     /* stream 0 (training) and stream 1 (held out) */
    gsl_ran_discrete_t *tab; /* L1's draw from the data */
} fit;

static void fit_free(fit *f)
{
    free(f->ata);
    free(f->atb);
    gsl_matrix_free(f->work);
    free(f->held);
    if (f->rng)
        gsl_rng_free(f->rng);
    if (f->hrng)
        gsl_rng_free(f->hrng);
    gsl_ran_discrete_free(f->tab);
}

static fms_status fit_init(fit *f, const fms_data *d, const fms_train_model *m, uint64_t seed, fms_error *err)
{
    const size_t p = f->p = m->nbx * m->nbt;
    f->ata = calloc(p * p, sizeof *f->ata);
    f->atb = calloc(p, sizeof *f->atb);
    f->work = gsl_matrix_alloc(p, p);
    f->held = malloc(FMS_TRAIN_HELDOUT * sizeof *f->held);
    f->tab = gsl_ran_discrete_preproc(d->n, d->prob);
    if (!f->ata || !f->atb || !f->work || !f->held || !f->tab)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the model");
    fms_status st = fms_stream_rng(seed, 0, &f->rng, err);
    if (st == FMS_OK)
        st = fms_stream_rng(seed, 1, &f->hrng, err);
    return st;
}

/* A model with its bases on [min x_k − 4, max x_k + 4] × [0, 1] (see train.h),
 * θ = 0 and room for the loss curve; the knots are placed by place_knots. */
static fms_status model_new(const fms_data *d, size_t nx, size_t nt, fms_train_model **out, double **xb,
                            size_t *nxb, fms_error *err)
{
    fms_train_model *m = *out = calloc(1, sizeof *m);
    if (m == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the model");
    double lo = d->x[0], hi = d->x[0];
    for (size_t k = 1; k < d->n; k++) {
        lo = fmin(lo, d->x[k]);
        hi = fmax(hi, d->x[k]);
    }
    m->x_lo = lo - 4.0;
    m->x_hi = hi + 4.0;
    if (x_breaks(d, m->x_lo, m->x_hi, nx, xb, nxb) != FMS_OK)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the model");
    m->nbx = *nxb + ORDER - 2;
    m->nbt = nt + ORDER - 1;
    snprintf(m->description, sizeof m->description,
             "tensor-product cubic B-splines, %zu x %zu basis functions on x_t in [%g, %g], t in [0, 1]; least squares",
             m->nbx, m->nbt, m->x_lo, m->x_hi);
    m->wx = gsl_bspline_alloc(ORDER, *nxb);
    m->wt = gsl_bspline_alloc(ORDER, nt + 1);
    m->bx = gsl_vector_alloc(ORDER);
    m->bt = gsl_vector_alloc(ORDER);
    m->theta = calloc(m->nbx * m->nbt, sizeof *m->theta);
    /* 1-2-5 checkpoints from 1000 up: at most 3 per decade. */
    m->loss_step = calloc(40, sizeof *m->loss_step);
    m->loss = calloc(40, sizeof *m->loss);
    if (!m->wx || !m->wt || !m->bx || !m->bt || !m->theta || !m->loss_step || !m->loss)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the model");
    return FMS_OK;
}

/* Knots in x at the nxb breakpoints xb, in t at t_j = 1 − (1 − j/nt)², j = 0..nt. */
static fms_status place_knots(fms_train_model *m, double *xb, size_t nxb, size_t nt, fms_error *err)
{
    gsl_vector *brk = gsl_vector_alloc(nt + 1);
    if (brk == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the model");
    for (size_t j = 0; j <= nt; j++) {
        double s = 1.0 - (double)j / (double)nt;
        gsl_vector_set(brk, j, 1.0 - s * s);
    }
    gsl_vector_view xbv = gsl_vector_view_array(xb, nxb);
    fms_status st = FMS_OK;
    if (gsl_bspline_knots(&xbv.vector, m->wx) != GSL_SUCCESS || gsl_bspline_knots(brk, m->wt) != GSL_SUCCESS)
        st = fms_error_set(err, FMS_EGSL, 0, "cannot place the B-spline knots");
    gsl_vector_free(brk);
    return st;
}

/* Adds the sample (x, t, u), whose nonzero bases start at ix and it, to the
 * normal equations. */
static void accumulate(const fms_train_model *m, fit *f, size_t ix, size_t it, double u)
{
    double w[ORDER * ORDER];
    size_t idx[ORDER * ORDER];
    for (size_t a = 0; a < ORDER; a++)
        for (size_t b = 0; b < ORDER; b++) {
            w[a * ORDER + b] = gsl_vector_get(m->bx, a) * gsl_vector_get(m->bt, b);
            idx[a * ORDER + b] = (ix + a) * m->nbt + it + b;
        }
    for (size_t a = 0; a < ORDER * ORDER; a++) {
        double *row = f->ata + idx[a] * f->p;
        for (size_t b = 0; b < ORDER * ORDER; b++)
            row[idx[b]] += w[a] * w[b];
        f->atb[idx[a]] += w[a] * u;
    }
}

/* Solves the fit so far and appends its held-out mean squared error at
 * sample s to the loss curve. */
static fms_status checkpoint(fms_train_model *m, fit *f, long long s, fms_error *err)
{
    fms_status st = solve(f->ata, f->atb, f->p, f->work, m->theta, err);
    if (st != FMS_OK)
        return st;
    double sse = 0.0;
    for (size_t h = 0; h < FMS_TRAIN_HELDOUT; h++) {
        size_t ix, it;
        if (basis(m, f->held[h].x, f->held[h].t, &ix, &it) != GSL_SUCCESS)
            return fms_error_set(err, FMS_EGSL, 0, "cannot evaluate the B-spline basis");
        double r = model_at(m, m->theta, ix, it) - f->held[h].u;
        sse += r * r;
    }
    m->loss_step[m->nloss] = s;
    m->loss[m->nloss] = sse / FMS_TRAIN_HELDOUT;
    m->nloss++;
    return FMS_OK;
}

/* The checkpoints 1000, 2000, 5000, 10000, 20000, ...: next is the coming one. */
typedef struct schedule {
    long long next, base;
    int i;
} schedule;

static void schedule_advance(schedule *c)
{
    static const int mult[3] = { 2, 5, 10 };
    c->next = c->base * mult[c->i];
    if (++c->i == 3) {
        c->i = 0;
        c->base *= 10;
    }
}

/* Streams opts->steps samples into the normal equations, with the loss
 * curve at each checkpoint and at the end. */
static fms_status train(fms_train_model *m, fit *f, const fms_data *d, const fms_train_opts *o, fms_error *err)
{
    for (size_t nheld = 0; nheld < FMS_TRAIN_HELDOUT;) {
        f->held[nheld] = draw(f->hrng, f->tab, d);
        if (f->held[nheld].x >= m->x_lo && f->held[nheld].x <= m->x_hi)
            nheld++;
    }
    schedule sch = { 1000, 1000, 0 };
    for (long long s = 1; s <= o->steps; s++) {
        const sample q = draw(f->rng, f->tab, d);
        if (q.x < m->x_lo || q.x > m->x_hi) {
            m->dropped++;
        } else {
            size_t ix, it;
            if (basis(m, q.x, q.t, &ix, &it) != GSL_SUCCESS)
                return fms_error_set(err, FMS_EGSL, 0, "cannot evaluate the B-spline basis at (%g, %g)", q.x, q.t);
            accumulate(m, f, ix, it, q.u);
            m->used++;
        }
        if ((s & 0xffff) == 0 && o->progress)
            o->progress(o->progress_ctx, (double)s / (double)o->steps);
        if (s == sch.next || s == o->steps) {
            fms_status st = checkpoint(m, f, s, err);
            if (st != FMS_OK)
                return st;
            if (s == sch.next)
                schedule_advance(&sch);
            if (o->progress)
                o->progress(o->progress_ctx, (double)s / (double)o->steps);
        }
    }
    return FMS_OK;
}

fms_status fms_train_fit(const fms_data *d, const fms_train_opts *o, fms_train_model **out, fms_error *err)
{
    if (o->steps < 1 || o->steps > FMS_TRAIN_MAX_STEPS)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of steps must be 1 to %lld, not %lld",
                             FMS_TRAIN_MAX_STEPS, o->steps);
    if (o->nx > 1000 || o->nt > 1000)
        return fms_error_set(err, FMS_EINVAL, 0, "at most 1000 intervals per axis");
    if (d == NULL || d->n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "no data points");
    const size_t nx = o->nx ? o->nx : 32, nt = o->nt ? o->nt : 12;
    fms_train_model *m = NULL;
    double *xb = NULL;
    size_t nxb = 0;
    fit f = { 0 };
    fms_status st = model_new(d, nx, nt, &m, &xb, &nxb, err);
    if (st == FMS_OK)
        st = fit_init(&f, d, m, o->seed, err);
    if (st == FMS_OK)
        st = place_knots(m, xb, nxb, nt, err);
    if (st == FMS_OK)
        st = train(m, &f, d, o, err);
    free(xb);
    fit_free(&f);
    if (st != FMS_OK) {
        fms_train_free(m);
        return st;
    }
    *out = m;
    return FMS_OK;
}

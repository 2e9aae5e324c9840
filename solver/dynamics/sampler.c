/* sampler.c — see sampler.h: names, the model, the methods on a batch,
 * fms_sampler_solve and the reference.  The run over chunks is in
 * sample_run.c. */
#include "dynamics/sampler.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_randist.h>

#include "dynamics/clones.h"
#include "dynamics/method.h"

static const char *const param_names[FMS_SAMPLER_NPARAMS] = {
    [FMS_SAMPLER_VELOCITY] = "velocity",
    [FMS_SAMPLER_EPSILON] = "epsilon",
    [FMS_SAMPLER_X1] = "x1",
    [FMS_SAMPLER_SCORE] = "score",
    [FMS_SAMPLER_V] = "v",
};

static const struct {
    const char *name;
    int order;
} methods[FMS_SAMPLER_NMETHODS] = {
    [FMS_SAMPLER_EULER] = { "euler", 1 },  [FMS_SAMPLER_MIDPOINT] = { "midpoint", 2 },
    [FMS_SAMPLER_HEUN] = { "heun", 2 },    [FMS_SAMPLER_RK4] = { "rk4", 4 },
    [FMS_SAMPLER_DPM2] = { "dpm2", 2 },    [FMS_SAMPLER_ADAPTIVE] = { "adaptive", 0 },
};

fms_status fms_sampler_param_parse(const char *name, fms_sampler_param *out)
{
    for (int p = 0; p < FMS_SAMPLER_NPARAMS; p++) {
        if (strcmp(name, param_names[p]) == 0) {
            *out = (fms_sampler_param)p;
            return FMS_OK;
        }
    }
    return FMS_EINVAL;
}

const char *fms_sampler_param_name(fms_sampler_param p)
{
    return (unsigned)p < FMS_SAMPLER_NPARAMS ? param_names[p] : "?";
}

fms_status fms_sampler_method_parse(const char *name, fms_sampler_method *out)
{
    for (int m = 0; m < FMS_SAMPLER_NMETHODS; m++) {
        if (strcmp(name, methods[m].name) == 0) {
            *out = (fms_sampler_method)m;
            return FMS_OK;
        }
    }
    return FMS_EINVAL;
}

const char *fms_sampler_method_name(fms_sampler_method m)
{
    return (unsigned)m < FMS_SAMPLER_NMETHODS ? methods[m].name : "?";
}

int fms_sampler_method_order(fms_sampler_method m)
{
    return (unsigned)m < FMS_SAMPLER_NMETHODS ? methods[m].order : 0;
}

/* Evaluations of N steps: a·N − b (see "Cost" in sampler.h). */
static const long long cost_a[FMS_SAMPLER_NMETHODS] = { 1, 2, 2, 4, 2, 1 };
static const long long cost_b[FMS_SAMPLER_NMETHODS] = { 0, 0, 1, 3, 1, 0 };

long long fms_sampler_intervals(fms_sampler_method m, long long steps)
{
    if ((unsigned)m >= FMS_SAMPLER_NMETHODS)
        return steps;
    long long n = (steps + cost_b[m]) / cost_a[m];
    return n < 1 ? 1 : n;
}

long long fms_sampler_evaluations(fms_sampler_method m, long long intervals)
{
    if ((unsigned)m >= FMS_SAMPLER_NMETHODS)
        return intervals;
    return cost_a[m] * intervals - cost_b[m];
}

FMS_CLONES
void fms_sampler_model_output(fms_sampler_param p, double t, size_t m, const double *x, const double *hat,
                              double *out)
{
    const double inv = 1.0 / (1.0 - t);
    switch (p) {
    case FMS_SAMPLER_EPSILON:
        for (size_t i = 0; i < m; i++)
            out[i] = (x[i] - t * hat[i]) * inv;
        break;
    case FMS_SAMPLER_SCORE: /* −ε̂/σ */
        for (size_t i = 0; i < m; i++)
            out[i] = -(x[i] - t * hat[i]) * inv * inv;
        break;
    case FMS_SAMPLER_V: /* α·ε̂ − σ·x̂1 */
        for (size_t i = 0; i < m; i++)
            out[i] = t * (x[i] - t * hat[i]) * inv - (1.0 - t) * hat[i];
        break;
    case FMS_SAMPLER_X1:
        if (out != hat)
            memcpy(out, hat, m * sizeof *out);
        break;
    default:
        for (size_t i = 0; i < m; i++)
            out[i] = (hat[i] - x[i]) * inv;
        break;
    }
}

FMS_CLONES
void fms_sampler_velocity_from(fms_sampler_param p, double t, size_t m, const double *x, const double *out,
                               double *v)
{
    switch (p) {
    case FMS_SAMPLER_EPSILON: {
        const double inv = 1.0 / t;
        for (size_t i = 0; i < m; i++)
            v[i] = (x[i] - out[i]) * inv;
        break;
    }
    case FMS_SAMPLER_X1: {
        const double inv = 1.0 / (1.0 - t);
        for (size_t i = 0; i < m; i++)
            v[i] = (out[i] - x[i]) * inv;
        break;
    }
    case FMS_SAMPLER_SCORE: {
        const double inv = 1.0 / t, omt = 1.0 - t;
        for (size_t i = 0; i < m; i++)
            v[i] = (x[i] + omt * out[i]) * inv;
        break;
    }
    case FMS_SAMPLER_V: {
        const double inv = 1.0 / (t * t + (1.0 - t) * (1.0 - t)), a = 2.0 * t - 1.0;
        for (size_t i = 0; i < m; i++)
            v[i] = (a * x[i] - out[i]) * inv;
        break;
    }
    default:
        if (v != out)
            memcpy(v, out, m * sizeof *v);
        break;
    }
}

fms_status fms_sampler_chunk_noise(uint64_t seed, size_t c, size_t m, double *out, fms_error *err)
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
        fms_status st = fms_sampler_chunk_noise(seed, c, m, out + first, err);
        if (st != FMS_OK)
            return st;
    }
    return FMS_OK;
}

double fms_sampler_grid_time(double rho, long long j, long long n)
{
    if (j >= n)
        return 1.0;
    const double u = (double)j / (double)n;
    return rho == 1.0 ? u : 1.0 - pow(1.0 - u, rho);
}

long long fms_sampler_mid_step(double rho, long long n)
{
    /* The largest j with t_j ≤ 1/2: 1 − (1 − j/N)^ρ ≤ 1/2 ⟺ j ≤ N·(1 − 2^(−1/ρ)). */
    long long j = (long long)floor((double)n * (1.0 - pow(2.0, -1.0 / rho)));
    while (j > 0 && fms_sampler_grid_time(rho, j, n) > 0.5)
        j--;
    while (j + 1 < n && fms_sampler_grid_time(rho, j + 1, n) <= 0.5)
        j++;
    return j;
}

fms_status fms_sampler_spec_check(const fms_sampler_spec *s, fms_error *err)
{
    if ((unsigned)s->method >= FMS_SAMPLER_NMETHODS)
        return fms_error_set(err, FMS_EINVAL, 0, "unknown sampling method %d", (int)s->method);
    if ((unsigned)s->param >= FMS_SAMPLER_NPARAMS)
        return fms_error_set(err, FMS_EINVAL, 0, "unknown parameterisation %d", (int)s->param);
    if (s->steps < 1 || s->steps > FMS_SAMPLER_MAX_STEPS)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of steps must be 1 to %lld, not %lld",
                             FMS_SAMPLER_MAX_STEPS, s->steps);
    if (!(s->rho >= 1.0 && s->rho <= FMS_SAMPLER_MAX_RHO))
        return fms_error_set(err, FMS_EINVAL, 0, "the grid's exponent rho must be 1 to %g, not %g", FMS_SAMPLER_MAX_RHO,
                             s->rho);
    if (s->method == FMS_SAMPLER_ADAPTIVE && !(s->tol >= FMS_SAMPLER_MIN_TOL && s->tol <= FMS_SAMPLER_MAX_TOL))
        return fms_error_set(err, FMS_EINVAL, 0, "the tolerance must be %g to %g, not %g", FMS_SAMPLER_MIN_TOL,
                             FMS_SAMPLER_MAX_TOL, s->tol);
    return FMS_OK;
}

fms_status fms_sampler_solve(const fms_kernel *k, const fms_sampler_spec *s, size_t m, double *x, double *traj,
                             double *evals, fms_error *err)
{
    fms_status st = fms_sampler_spec_check(s, err);
    if (st != FMS_OK)
        return st;
    fms_method_solver b;
    st = fms_method_init(&b, k, s, err);
    if (st != FMS_OK)
        return st;
    const size_t nout = fms_method_outputs(&b);
    if (traj)
        memcpy(traj, x, m * sizeof *x);
    double total = 0.0;
    for (size_t i0 = 0; st == FMS_OK && i0 < m; i0 += b.batch) {
        const size_t len = m - i0 < b.batch ? m - i0 : b.batch;
        fms_method_record rec = { traj ? traj + i0 : NULL, m, nout, NULL };
        st = fms_method_run(&b, len, x + i0, &rec, err);
        total += b.evals * (double)len;
    }
    if (st == FMS_OK && evals)
        *evals = m ? total / (double)m : 0.0;
    fms_method_free(&b);
    return st;
}

#define REF_T1 (1.0 - 0x1p-30)

typedef struct ode_ctx {
    const fms_kernel *k;
    fms_kernel_at *at;
    fms_status st;
    fms_error *err;
} ode_ctx;

/* The ODE in σ = −log(1 − t): dx/dσ = (1 − t)·v = x̂1 − x, which stays
 * tame as t → 1 where dx/dt stiffens like 1/(1 − t). */
static int ode_rhs(double s, const double y[], double f[], void *params)
{
    ode_ctx *c = params;
    double hat;
    fms_status st = fms_kernel_prepare(c->k, -expm1(-s), c->at, c->err);
    if (st == FMS_OK)
        st = fms_kernel_x1hat(c->k, c->at, 1, y, &hat, c->err);
    if (st != FMS_OK) {
        c->st = st;
        return GSL_EBADFUNC;
    }
    f[0] = hat - y[0];
    return GSL_SUCCESS;
}

fms_status fms_sampler_reference(const fms_kernel *k, double x0, double t_mid, double *x_mid,
                                 double *x1, fms_error *err)
{
    if (!(t_mid >= 0.0 && t_mid <= REF_T1))
        return fms_error_set(err, FMS_EDOM, 0, "the intermediate time %g is outside [0, 1 - 2^-30]", t_mid);
    if (!isfinite(x0))
        return fms_error_set(err, FMS_EDOM, 0, "the starting point %g is not finite", x0);
    ode_ctx c = { k, NULL, FMS_OK, err };
    fms_status st = fms_kernel_at_new(k, &c.at, err);
    if (st != FMS_OK)
        return st;
    gsl_odeiv2_system sys = { ode_rhs, NULL, 1, &c };
    gsl_odeiv2_driver *drv = gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 0.1, 1e-10, 1e-10);
    if (drv == NULL) {
        fms_kernel_at_free(c.at);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the ODE solver");
    }
    const double s_mid = -log1p(-t_mid), s1 = -log1p(-REF_T1);
    double s = 0.0, y[1] = { x0 };
    int rc = t_mid > 0.0 ? gsl_odeiv2_driver_apply(drv, &s, s_mid, y) : GSL_SUCCESS;
    if (x_mid)
        *x_mid = y[0];
    if (rc == GSL_SUCCESS)
        rc = gsl_odeiv2_driver_apply(drv, &s, s1, y);
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
    fms_kernel_at_free(c.at);
    return st;
}

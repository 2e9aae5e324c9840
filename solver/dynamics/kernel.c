/* kernel.c — see kernel.h.  Compiled with the project's ordinary flags, so
 * that isfinite() here really tests (fast-math would fold it to true). */
#include "dynamics/kernel.h"

#include <math.h>
#include <stdlib.h>

#include "dynamics/kernel_fast.h"

fms_status fms_kernel_create(const fms_data *d, fms_kernel **out, fms_error *err)
{
    if (d == NULL || d->n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "no data points");
    fms_kernel *k = calloc(1, sizeof *k);
    if (k == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the kernel");
    k->n = d->n;
    /* One block: x_k, log p_k, then the 2n coefficients. */
    k->x = malloc(4 * d->n * sizeof *k->x);
    if (k->x == NULL) {
        free(k);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the kernel");
    }
    k->log_prob = k->x + d->n;
    k->coef = k->x + 2 * d->n;
    for (size_t i = 0; i < d->n; i++) {
        k->x[i] = d->x[i];
        k->log_prob[i] = d->log_prob[i];
        k->xabs_max = fmax(k->xabs_max, fabs(d->x[i]));
    }
    *out = k;
    return FMS_OK;
}

void fms_kernel_free(fms_kernel *k)
{
    if (k == NULL)
        return;
    free(k->x); /* with log_prob and coef */
    free(k);
}

fms_status fms_kernel_prepare(const fms_kernel *k, double t, double *coef, fms_error *err)
{
    if (!(isfinite(t) && t >= 0.0 && t < 1.0))
        return fms_error_set(err, FMS_EDOM, 0, "t = %g is outside [0, 1)", t);
    const double omt = 1.0 - t;
    const double c = 0.5 / (omt * omt);
    for (size_t i = 0; i < k->n; i++) {
        coef[i] = k->log_prob[i] - c * t * t * k->x[i] * k->x[i];
        coef[k->n + i] = 2.0 * c * t * k->x[i];
        if (!isfinite(coef[i]) || !isfinite(coef[k->n + i]))
            return fms_error_set(err, FMS_EDOM, 0, "t = %.17g is too close to 1 for the kernel", t);
    }
    return FMS_OK;
}

fms_status fms_kernel_x1hat(const fms_kernel *k, const double *coef, size_t m,
                            const double *x, double *out, fms_error *err)
{
    double xabs;
    if (!fms_kernel_all_finite(x, m, &xabs)) {
        for (size_t i = 0; i < m; i++)
            if (!isfinite(x[i]))
                return fms_error_set(err, FMS_EDOM, 0, "particle %zu is not a finite number (%g)", i, x[i]);
    }
    fms_status st = fms_kernel_check_range(k, coef, xabs, err);
    if (st != FMS_OK)
        return st;
    for (size_t i = 0; i < m; i += FMS_KERNEL_BLOCK) {
        size_t len = m - i < FMS_KERNEL_BLOCK ? m - i : FMS_KERNEL_BLOCK;
        fms_kernel_fast_x1hat(k->n, coef, coef + k->n, k->x, len, x + i, out + i);
    }
    for (size_t i = 0; i < m; i++)
        if (!isfinite(out[i]))
            return fms_error_set(err, FMS_ERANGE, 0, "the posterior mean overflows at particle %zu", i);
    return FMS_OK;
}

void fms_kernel_x1hat_unchecked(const fms_kernel *k, const double *coef, size_t m, const double *x,
                                double *out)
{
    for (size_t i = 0; i < m; i += FMS_KERNEL_BLOCK) {
        size_t len = m - i < FMS_KERNEL_BLOCK ? m - i : FMS_KERNEL_BLOCK;
        fms_kernel_fast_x1hat(k->n, coef, coef + k->n, k->x, len, x + i, out + i);
    }
}

int fms_kernel_all_finite(const double *x, size_t m, double *xabs)
{
    int bad = 0;
    double big = 0.0;
    for (size_t i = 0; i < m; i++) {
        bad |= !isfinite(x[i]);
        big = fmax(big, fabs(x[i]));
    }
    if (xabs)
        *xabs = big;
    return !bad;
}

fms_status fms_kernel_check_range(const fms_kernel *k, const double *coef, double xabs, fms_error *err)
{
    if (!isfinite(xabs))
        return fms_error_set(err, FMS_EDOM, 0, "a query is not a finite number");
    double bmax = 0.0, gmax = 0.0;
    for (size_t i = 0; i < k->n; i++) {
        bmax = fmax(bmax, fabs(coef[i]));
        gmax = fmax(gmax, fabs(coef[k->n + i]));
    }
    /* The exponents and their differences must stay finite in fast-math code. */
    if (!(bmax + gmax * xabs < 1e300))
        return fms_error_set(err, FMS_ERANGE, 0, "|x| = %g is too large for the kernel at this t", xabs);
    return FMS_OK;
}

fms_status fms_kernel_x1hat_at(fms_kernel *k, double t, size_t m, const double *x,
                               double *out, fms_error *err)
{
    fms_status st = fms_kernel_prepare(k, t, k->coef, err);
    if (st != FMS_OK)
        return st;
    return fms_kernel_x1hat(k, k->coef, m, x, out, err);
}

double fms_kernel_velocity(double t, double x, double x1hat)
{
    return (x1hat - x) / (1.0 - t);
}

double fms_kernel_eps(double t, double x, double x1hat)
{
    return (x - t * x1hat) / (1.0 - t);
}

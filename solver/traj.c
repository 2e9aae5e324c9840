/* traj.c — see traj.h. */
#include "traj.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "engine.h"

fms_status fms_traj_noise(unsigned long seed, size_t n, double *eps, fms_error *err)
{
    if (n == 0)
        return FMS_OK;
    if (eps == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "no room for the noise draws");
    gsl_set_error_handler_off();
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (rng == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the random number generator");
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < n; i++)
        eps[i] = gsl_ran_gaussian_ziggurat(rng, 1.0);
    gsl_rng_free(rng);
    return FMS_OK;
}

fms_status fms_traj_euler(const fms_data *d, double x0, size_t steps, double *path, double *end,
                          fms_error *err)
{
    if (d == NULL || d->n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "no data points");
    if (steps == 0 || steps > FMS_TRAJ_MAX_STEPS)
        return fms_error_set(err, FMS_EINVAL, 0, "%zu Euler steps is out of range (1 to %d)", steps,
                             FMS_TRAJ_MAX_STEPS);
    if (!isfinite(x0))
        return fms_error_set(err, FMS_EINVAL, 0, "the starting point %g is not finite", x0);
    const double h = 1.0 / (double)steps;
    double x = x0;
    if (path)
        path[0] = x;
    for (size_t i = 0; i < steps; i++) {
        /* i·h rather than a running sum, so that t never drifts up to 1. */
        const double t = (double)i * h;
        fms_posterior p;
        fms_status st = fms_engine_eval(d, t, x, NULL, &p, err);
        if (st != FMS_OK)
            return st;
        x += h * p.velocity;
        if (!isfinite(x))
            return fms_error_set(err, FMS_ERANGE, 0, "an Euler trajectory left the double range at t = %g", t);
        if (path)
            path[i + 1] = x;
    }
    if (end)
        *end = x;
    return FMS_OK;
}

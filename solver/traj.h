/* traj.h — seeded Euler trajectories of the exact marginal velocity.
 *
 * The probability-flow ODE dx/dt = u*(x, t), with u* = E[x1 − ε | x_t = x, t]
 * from fms_engine_eval, integrated by the explicit Euler scheme on the
 * uniform grid t_i = i/K, i = 0..K:
 *
 *   x_0 = ε ~ N(0, 1),   x_{i+1} = x_i + (1/K)·u*(x_i, t_i).
 *
 * Because u*(x, t) = (x̂1 − x)/(1 − t), the last step (t_{K−1} = 1 − 1/K)
 * lands exactly on the posterior mean x̂1(x_{K−1}, t_{K−1}); t = 1 itself is
 * never evaluated.  This is a small reference integrator for the figures
 * (one engine call per step, in long double); a faster sampler may replace
 * it behind the same two functions.
 */
#ifndef FMS_TRAJ_H
#define FMS_TRAJ_H

#include <stddef.h>

#include "data.h"
#include "status.h"

/* The most Euler steps a trajectory may take: far above what a figure can
 * show, low enough that a typo cannot run for hours. */
#define FMS_TRAJ_MAX_STEPS 100000

/* Fills eps[0..n−1] with independent N(0, 1) draws from GSL's mt19937
 * generator seeded with seed (gsl_ran_gaussian_ziggurat), so the same seed
 * gives the same draws on every run and machine.  n = 0 is allowed and does
 * nothing.  Errors: FMS_EINVAL when eps is NULL and n > 0, FMS_ENOMEM when
 * the generator cannot be allocated. */
fms_status fms_traj_noise(unsigned long seed, size_t n, double *eps, fms_error *err);

/* Integrates one trajectory from x_0 = x0 at t = 0 to t = 1 with `steps`
 * Euler steps as above.  path, when not NULL, must hold steps + 1 values and
 * receives x_0 .. x_K (x_i at t = i/steps); end, when not NULL, receives
 * x_K.  Errors: FMS_EINVAL for a NULL or empty d, steps = 0 or above
 * FMS_TRAJ_MAX_STEPS, or a non-finite x0; otherwise the engine's errors
 * (FMS_ERANGE when the state leaves the double range). */
fms_status fms_traj_euler(const fms_data *d, double x0, size_t steps, double *path, double *end,
                          fms_error *err);

#endif /* FMS_TRAJ_H */

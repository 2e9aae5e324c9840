/* keep.h — what a variant of a point exercise must keep: named predicates
 * on the exercise's posterior, computed by the engine (engine.h).
 *
 * A keep list is "PRED, PRED, ..." (all must hold); PRED is NAME, NAME(ARG)
 * or !PRED (its negation):
 *
 *   identifies(E)   the runner-up's share is below E, 0 < E < 1: x_t
 *                   identifies the most likely x1 (max over k ≠ k1 of w_k < E)
 *   mixed(E)        every share is at least E, 0 < E < 1 (min_k w_k ≥ E)
 *   t0              t = 0 (exactly, as typed)
 *   prior           the posterior equals the prior: |ℓ_k − log p_k| ≤ 1e-12 for every k
 *   toward(LABEL)   LABEL has the largest share (the first on ties)
 *   v_above(X)      v = E[x1 − ε | x_t, t] > X
 *   v_below(X)      v < X
 *
 * Shares are compared in log space (ℓ_k against log E), so E = 1e-300 or a
 * share below the range of a double is judged correctly.
 */
#ifndef FMS_KEEP_H
#define FMS_KEEP_H

#include <stddef.h>

#include "model/data.h"
#include "model/exset.h"
#include "base/status.h"

#define FMS_KEEP_MAX 8

typedef enum fms_keep_kind {
    FMS_KEEP_IDENTIFIES,
    FMS_KEEP_MIXED,
    FMS_KEEP_T0,
    FMS_KEEP_PRIOR,
    FMS_KEEP_TOWARD,
    FMS_KEEP_V_ABOVE,
    FMS_KEEP_V_BELOW
} fms_keep_kind;

typedef struct fms_keep_pred {
    fms_keep_kind kind;
    int negate;
    double arg;                  /* E or X */
    char label[FMS_LABEL_MAX];   /* toward */
} fms_keep_pred;

typedef struct fms_keep {
    size_t n;
    fms_keep_pred pred[FMS_KEEP_MAX];
} fms_keep;

/* Parses a keep list.  Errors: FMS_EINVAL with a message in err (line 0)
 * naming the bad predicate or argument. */
fms_status fms_keep_parse(const char *text, fms_keep *out, fms_error *err);

/* Sets *holds to 1 when every predicate holds at point exercise x of a set
 * with data d, else 0 (and *failed to the index of the first that fails,
 * when failed is not NULL).  Errors: FMS_EINVAL when x is not a point
 * exercise or toward() names no data point; the engine's; FMS_ENOMEM. */
fms_status fms_keep_eval(const fms_keep *k, const fms_data *d, const fms_exercise *x, int *holds, size_t *failed,
                         fms_error *err);

#endif /* FMS_KEEP_H */

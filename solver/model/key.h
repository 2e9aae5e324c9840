/* key.h — the answer key of an exercise set: every answer as an id and a value.
 *
 * Ids (documented in docs/exercise-format.md and docs/fmsolve.1; the worked
 * answers' JSON carries them as docs/answers-json.md describes):
 *   X p . LABEL       parts of kind eps, target, share: ε_k, u_k, w_k per label
 *                     (e.g. 1.3a.B, 1.3c.B)
 *   X p               a part of kind limit: v, what u_θ(x_t, t) converges to
 *   X p .x1           a part of kind limit: x̂1 = E[x1 | x_t, t], where v points
 *   X.v(Y)            compare exercises: v at point exercise Y
 *   X.w(Y).LABEL      compare exercises: w_LABEL at point exercise Y
 *   X                 eps_to_velocity / euler_eps: an ASCII formula in x_t, eps,
 *                     eps_theta, t, dt
 * Every value comes from the engine (engine.h) applied to the set's data,
 * and is printed from exact.h's bounded evaluation: only the digits its error
 * bound supports (at most 15), also for values far outside the range of a
 * double (a velocity of −3.6e-78173003 is printed so, never as 0).
 */
#ifndef FMS_KEY_H
#define FMS_KEY_H

#include <stddef.h>

#include "base/numfmt.h"
#include "model/exset.h"
#include "base/index.h"
#include "base/status.h"

#define FMS_KEY_ID_MAX 128

typedef enum fms_item_kind {
    FMS_ITEM_NUMBER,   /* a real value (ε, u, v, x̂1) */
    FMS_ITEM_SHARE,    /* a posterior probability; may be far below the range of a double */
    FMS_ITEM_FORMULA   /* an expression in the item's variables */
} fms_item_kind;

typedef struct fms_key_item {
    char id[FMS_KEY_ID_MAX];
    size_t exercise;       /* index into the set's exercises */
    int part;              /* part index, or -1 */
    fms_item_kind kind;
    double value;          /* NUMBER and SHARE as a double (0 when it underflows) */
    double log_value;      /* SHARE: the natural log of the value, always finite */
    double mant;           /* SHARE: value = mant·10^e10 exactly, 1 ≤ mant < 10; NaN when */
    long long e10;         /* ℓ < −1e15 (no digit known: the key writes exp(ℓ)) */
    fms_sci sci;           /* NUMBER and SHARE: the value with its error bound (exact.h), what the key prints */
    fms_sci log_sci;       /* SHARE: ℓ with its bound, printed as exp(ℓ) when sci fixes no digit */
    double scale;          /* NUMBER: the problem's length scale (spread of the data, or 1) */
    const char *formula;   /* FORMULA: the expression, ASCII */
    const char *vars;      /* FORMULA: the variables it may use, space-separated */
} fms_key_item;

typedef struct fms_key {
    size_t n;
    fms_key_item *items;
    fms_index by_id, by_id_fold; /* lookups by id (model/keyindex.h) */
} fms_key;

/* Computes the answer key of every exercise of set, in file order and part
 * order, labels in data order.  On success *out must be released with
 * fms_key_free.  Errors: those of fms_engine_eval (which cannot occur for a
 * validated set unless |x_t|/(1 − t) overflows), FMS_ENOMEM. */
fms_status fms_key_build(const fms_exset *set, fms_key **out, fms_error *err);

/* Releases a key; NULL is allowed. */
void fms_key_free(fms_key *key);

/* Writes an item's value as the key prints it: numbers and shares with the
 * significant digits their error bound supports, at most 15 (C's %g layout:
 * "2.385", "1.23456789012345e-20", "-3.6e-78173003", "3.1e-500"; "0" for a
 * value that is 0 exactly or to within its bound, see exact.h), a share of
 * which no digit is known as "exp(-1.23456789012345e+20)", the expression for
 * formulas.  out must hold FMS_KEY_VALUE_MAX bytes. */
#define FMS_KEY_VALUE_MAX 128
void fms_key_item_value(const fms_key_item *item, char out[FMS_KEY_VALUE_MAX]);

/* Returns the item with the given id, or NULL (a hash lookup, model/keyindex.h). */
const fms_key_item *fms_key_find(const fms_key *key, const char *id);

/* The velocity formula of 2.1 (u from x_t, ε, t) and the Euler update of 2.2
 * (x_{t+Δt} from x_t, ε_θ, t, Δt), in the key's ASCII notation. */
extern const char FMS_FORMULA_EPS_TO_VELOCITY[];
extern const char FMS_FORMULA_EULER_EPS[];

#endif /* FMS_KEY_H */

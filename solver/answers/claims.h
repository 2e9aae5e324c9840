/* claims.h — the qualitative sentences of a worked answer, each chosen by a
 * named predicate over the engine's results.
 *
 * A point exercise is first summarised as facts (fms_facts_eval): the
 * engine's components and posterior at (x_t, t), plus the structural facts
 * that make a sentence exact (t = 0; one data point; equal candidate noises
 * |ε_k|).  Each predicate fms_claim_<name> looks at the facts, says whether
 * its sentence holds, and records its name and inputs in an fms_claim (which
 * the JSON output carries, so a test can check every printed claim).  A
 * sentence that no predicate supports is not printed.
 *
 * Thresholds are written once, in FMS_THRESHOLDS (claims.c):
 *   rare        w_k < 1e-6                  "supervision toward k is rare, not impossible"
 *   dominant    w_top ≥ 1 − 1e-6            "x_t all but identifies x1 = top"
 *   near_prior  max_k |w_k − p_k|/p_k ≤ 1e-3 "close to the prior, within δ"
 *   negligible  |v| ≤ 1e-6·scale            "u_θ ≈ 0" (scale: the data's spread, or 1)
 *   rel_eq      relative 1e-15              equality of computed rationals (|ε_j| = |ε_k|,
 *                                            E[x1] = x_k, equal limits): the 15 digits of a double
 * Errors: fms_facts_eval returns the engine's errors and FMS_ENOMEM.
 */
#ifndef FMS_CLAIMS_H
#define FMS_CLAIMS_H

#include <stddef.h>

#include "model/exact.h"
#include "model/exset.h"
#include "answers/math.h"
#include "base/status.h"

typedef struct fms_threshold {
    const char *name;
    double value;
    const char *meaning;
} fms_threshold;

typedef enum fms_threshold_id {
    FMS_TH_RARE, FMS_TH_DOMINANT, FMS_TH_NEAR_PRIOR, FMS_TH_NEGLIGIBLE, FMS_TH_REL_EQ, FMS_TH_COUNT
} fms_threshold_id;

extern const fms_threshold FMS_THRESHOLDS[FMS_TH_COUNT];

#define FMS_CLAIM_MAX_INPUTS 10

/* One input of a claim: a number, or a label (label != NULL). */
typedef struct fms_claim_input {
    const char *name;
    double value;
    const char *label;
} fms_claim_input;

typedef struct fms_claim {
    const char *predicate; /* NULL: no claim */
    size_t n;
    fms_claim_input in[FMS_CLAIM_MAX_INPUTS];
} fms_claim;

/* The input called name of claim c (every predicate documents its inputs);
 * a zero input when there is none. */
fms_claim_input fms_claim_get(const fms_claim *c, const char *name);

/* What the answers know about one point exercise. */
typedef struct fms_facts {
    const fms_data *d;
    const fms_exercise *x;
    fms_component *comp;     /* d->n entries (owned): the engine's doubles, for the predicates */
    fms_posterior post;
    fms_exact_component *ex; /* d->n entries (owned): the same with error bounds (model/exact.h), */
    fms_exact_posterior exact; /* for every number printed */
    size_t top, second;      /* the likeliest and the runner-up (second = top for one point) */
    int t_zero, one_point, equal_noise, prior;
    double prior_dev;        /* max_k |w_k − p_k|/p_k */
    double mean, spread, scale;
    int v_zero;              /* v = 0 exactly: the posterior is the prior and x_t = E[x1] */
    fms_mnum v;              /* v, also below the range of a double (mantissa·10^e10) */
    fms_mnum xhat, epshat;
    fms_mnum v_from_eps;     /* (x_t − ε̂)/t without cancellation (t > 0) */
} fms_facts;

fms_status fms_facts_eval(const fms_data *d, const fms_exercise *x, fms_facts *f, fms_error *err);
void fms_facts_free(fms_facts *f);

/* The weight w_k as a number: exact (p_k) when the posterior is the prior,
 * 1 − (1 − w_k) close to 1, else mantissa·10^e10. */
fms_mnum fms_facts_weight(const fms_facts *f, size_t k);
/* ε_k and u_k: rational functions of the inputs (with model/exact's bound). */
fms_mnum fms_facts_eps(const fms_facts *f, size_t k);
fms_mnum fms_facts_u(const fms_facts *f, size_t k);
/* The log-likelihood gap ℓ_j − ℓ_k = (ε_k² − ε_j²)/2 + log(p_j/p_k), in nats. */
double fms_facts_gap(const fms_facts *f, size_t j, size_t k);

/* ---- the predicates: each returns 1 when its sentence holds ---------------- */

int fms_claim_t_is_zero(const fms_facts *f, fms_claim *c);
int fms_claim_posterior_is_prior(const fms_facts *f, fms_claim *c);  /* inputs say which reason */
int fms_claim_posterior_near_prior(const fms_facts *f, fms_claim *c); /* not equal, within near_prior */
int fms_claim_rare(const fms_facts *f, fms_claim *c);      /* names the likeliest of the rare labels */
int fms_claim_dominant(const fms_facts *f, fms_claim *c);  /* x_t all but identifies x1 = top */
int fms_claim_undecided(const fms_facts *f, fms_claim *c); /* not the prior, top below dominant */
int fms_claim_velocity_zero(const fms_facts *f, fms_claim *c);
int fms_claim_velocity_negligible(const fms_facts *f, fms_claim *c);
int fms_claim_xhat_at_mean(const fms_facts *f, fms_claim *c);   /* x̂1 = E[x1] (the prior) */
int fms_claim_mean_is_point(const fms_facts *f, fms_claim *c, size_t *k); /* E[x1] = x_k */
int fms_claim_xhat_near_point(const fms_facts *f, fms_claim *c); /* |x̂1 − x_top| ≤ (1 − w_top)·spread */
int fms_claim_xhat_between(const fms_facts *f, fms_claim *c, size_t *lo, size_t *hi);
int fms_claim_xhat_at_point_value(const fms_facts *f, fms_claim *c, size_t *k); /* within 1e-9·scale of x_k */
int fms_claim_limits_differ(const fms_facts *a, const fms_facts *b, fms_claim *c);
int fms_claim_same_posterior(const fms_facts *a, const fms_facts *b, fms_claim *c);

#endif /* FMS_CLAIMS_H */

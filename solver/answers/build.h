/* build.h — the worked answers written as documents (doc.h), one builder per
 * exercise kind: point exercises and their parts (build_point.c), the
 * comparison of two points (build_compare.c), and the two derivations
 * (build_deriv.c).  Every number comes from the engine through the facts of
 * claims.h; every qualitative sentence from a predicate of claims.h.
 * Errors: the engine's (through fms_facts_eval), FMS_ENOMEM, FMS_ENOTFOUND
 * for an exercise or part out of range, FMS_EINVAL when a builder wrote a
 * malformed formula (a bug the unit tests catch).
 */
#ifndef FMS_BUILD_H
#define FMS_BUILD_H

#include <stddef.h>

#include "answers/doc.h"
#include "model/exset.h"
#include "base/status.h"

/* Lists (result lines, 1.4's noises and shares) show this many points in
 * full; beyond, they give the count and point at `fmsolve key`. */
#define FMS_BUILD_LIST_MAX 12

/* Builds exercise ex of set (part −1 for all its parts) into doc (zeroed). */
fms_status fms_build_exercise(const fms_exset *set, size_t ex, int part, fms_doc *doc, fms_error *err);

/* The set's heading as a one-part document: its data and the path. */
fms_status fms_build_set_header(const fms_exset *set, fms_doc *doc, fms_error *err);

/* ---- the builders (internal to answers/) ------------------------------------ */
fms_status fms_build_point(const fms_exset *set, size_t ex, int part, fms_doc *doc, fms_error *err);
fms_status fms_build_compare(const fms_exset *set, size_t ex, fms_doc *doc, fms_error *err);
fms_status fms_build_eps_to_velocity(const fms_exset *set, size_t ex, fms_doc *doc, fms_error *err);
fms_status fms_build_euler_eps(const fms_exset *set, size_t ex, fms_doc *doc, fms_error *err);

/* Appends ", … (N values: see `fmsolve key`)" when a list of n was cut. */
void fms_build_list_cut(fms_doc *d, fms_block *b, size_t n);

/* Appends the noun phrase for where E[x1 | x_t, t] lies (the only point, the
 * mean of the data, almost exactly point X, between points X and Y), and
 * notes the claims it rests on. */
void fms_build_where(fms_doc *d, fms_block *b, const fms_facts *f);

/* "u_θ(x, t) → Σ … = v [≈ 0]": the limit of part (d) (symbolic: with the
 * Σ and the point) and of 1.4's sides, at list level level. */
void fms_build_limit_line(fms_doc *d, fms_doc_part *p, int level, const fms_facts *f, int symbolic);

/* The log-likelihood gap ℓ_a − ℓ_b in nats, shown with every digit of its
 * whole part and three more (exact when p_a = p_b: a rational then), and the
 * odds e^gap as mantissa·10^e10. */
void fms_build_gap(const fms_facts *f, size_t a, size_t b, fms_mnum *gap, fms_mnum *odds);

/* The exercise's inputs as exact numbers. */
fms_mnum fms_build_t(const fms_exercise *x);
fms_mnum fms_build_x_t(const fms_exercise *x);

#endif /* FMS_BUILD_H */

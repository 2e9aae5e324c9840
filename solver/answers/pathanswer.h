/* pathanswer.h — worked answers on any affine path and in any
 * parameterization: the point parts, the comparison, and the kinds convert
 * (2.1 generalised) and euler (2.2 generalised), as documents (doc.h).
 * Internal to answers/: build_deriv.c's fms_build_exercise hands these
 * exercises here.
 *
 * Each answer is written as steps of UTF-8 text in which a formula stands
 * between '$' signs (a step starting with two spaces is a sub-step, one
 * starting with ⇒ the result); every formula becomes one math node of the
 * document, a symbol with its text and its TeX form, so that the four
 * writers (text, Markdown, LaTeX, JSON) print the same steps.  The formulas
 * of a path (α_t = sin(π·t/2), ...) come from pathexpr.h, which math.h's
 * syntax does not cover.
 *
 * Every number comes from the library: the schedule at the exercise's t
 * (schedule.h), the exact model on the set's path (fms_exset_eval_path),
 * conversions (param.h, fms_affine_convert) and the formulas written out in
 * t (pathexpr.h); numbers show six digits, "=" where those are the value and
 * "≈" where they are rounded.  At a singular point the answer gives the limit
 * argument: at α = 0 the posterior is the prior, so x̂1 = E[x1]; the value
 * shown is the exact model's there.
 *
 * Errors: those of fms_exset_eval_path, fms_param_convert and
 * fms_pathexpr_* (FMS_EDOM, FMS_ERANGE, FMS_EINVAL), FMS_ENOMEM (also when
 * the document's pool runs out).
 */
#ifndef FMS_PATHANSWER_H
#define FMS_PATHANSWER_H

#include <stddef.h>

#include "answers/doc.h"
#include "base/status.h"
#include "model/exset.h"

/* 1 when the set's point and compare exercises need these answers: a path
 * other than the seed's, or a parameterization other than the velocity.
 * (convert and euler always come here.) */
int fms_pathanswer_needed(const fms_exset *set);

/* Builds exercise ex of set (part −1 for all its parts; a point exercise's
 * part index otherwise) into d, whose id, kind and heading the caller set. */
fms_status fms_pathanswer_build(const fms_exset *set, size_t ex, int part, fms_doc *d, fms_error *err);

/* Appends the heading's line on the path ("Path: x_t = α_t·x1 + σ_t·ε, ...") to part p of d. */
void fms_pathanswer_header(const fms_exset *set, fms_doc *d, fms_doc_part *p);

/* The lead-in of a convert or euler exercise the sheet gives no text for, into buf. */
const char *fms_pathanswer_heading(const fms_exercise *x, char *buf, size_t cap);

#endif /* FMS_PATHANSWER_H */

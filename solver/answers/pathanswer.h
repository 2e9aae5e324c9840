/* pathanswer.h — worked answers on any affine path and in any
 * parameterization: the point parts, the comparison, and the kinds convert
 * (2.1 generalised) and euler (2.2 generalised).  Internal to answers/.
 *
 * Written against the current renderer's markup (render.c): each function
 * appends lines of UTF-8 text in which math stands between '$' signs, a line
 * starting with two spaces being a sub-step of the line before; render.c
 * turns them into text, Markdown or JSON steps.  Kept apart from render.c so
 * that it ports to the document model (answers/doc.h) line by line.
 *
 * Every number comes from the library: the schedule at the exercise's t
 * (schedule.h), the exact model on the set's path (fms_exset_eval_path),
 * conversions (param.h, fms_affine_convert) and the formulas written out in
 * t (pathexpr.h).  At a singular point the answer gives the limit argument:
 * at α = 0 the posterior is the prior, so x̂1 = E[x1]; the value shown is
 * the exact model's there.
 *
 * Errors: those of fms_exset_eval_path, fms_param_convert and
 * fms_pathexpr_* (FMS_EDOM, FMS_ERANGE, FMS_EINVAL), FMS_ENOMEM.
 */
#ifndef FMS_PATHANSWER_H
#define FMS_PATHANSWER_H

#include <stddef.h>

#include "base/status.h"
#include "base/strbuf.h"
#include "model/exset.h"

/* 1 when the set needs these answers: a path other than the seed's, or a
 * parameterization other than the velocity. */
int fms_pathanswer_needed(const fms_exset *set);

/* The heading's line on the path: "Path: $x_t = α_t·x1 + σ_t·ε$, ...". */
void fms_pathanswer_path(const fms_exset *set, fms_strbuf *lines);

/* Part p of point exercise ex. */
fms_status fms_pathanswer_part(const fms_exset *set, size_t ex, size_t p, fms_strbuf *lines, fms_error *err);

/* A compare exercise. */
fms_status fms_pathanswer_compare(const fms_exset *set, size_t ex, fms_strbuf *lines, fms_error *err);

/* A convert exercise: the derivation, the singular points, the check at the sheet's points. */
fms_status fms_pathanswer_convert(const fms_exset *set, size_t ex, fms_strbuf *lines, fms_error *err);

/* An euler exercise: the step with the P-model, its singular start, one step from each point. */
fms_status fms_pathanswer_euler(const fms_exset *set, size_t ex, fms_strbuf *lines, fms_error *err);

/* The question of part p of a point exercise when the sheet gives none, in the set's parameterization. */
const char *fms_pathanswer_question(const fms_exset *set, const fms_exercise *x, size_t p, char *buf, size_t cap);

#endif /* FMS_PATHANSWER_H */

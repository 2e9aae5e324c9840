/* pathreport.h — one query of the exact model on any affine path, and one
 * conversion between parameterizations, written up as the `query --schedule`
 * and `convert` commands print them.
 *
 * A query (schedule.h, affine.h) on data d at (x_t, t): the schedule at t
 * (α, σ, α̇, σ̇), each data point's ε_k, velocity target u_k, log-weight ℓ_k
 * and weight w_k, and the exact model in all five parameterizations (x̂1,
 * ε̂, velocity, score, v).  A conversion (param.h) of a model output y from P
 * to Q at (x_t, t): the formula in x_t, t and the output (pathexpr.h, explicit
 * in t), its general form, the value and the gain, or, where the conversion
 * is undetermined, the reason and the exact model's value there
 * (fms_affine_convert) computed from d.
 *
 *   text  UTF-8, numbers by fms_numfmt_key with 15 significant digits; a value
 *         that is not finite is a word: "+inf" or "-inf" (it diverges as
 *         t → 1), "undetermined" (affine.h: a limit this library leaves open).
 *   JSON  one object (keys in docs/fmsolve.1, "JSON output"); whole numbers as
 *         integers, reals with 17 digits, a value that is not finite null,
 *         with its word under "nonfinite" ({"velocity": "+inf"}).
 *
 * At σ = 0 (t = 1 for every schedule but ve) the values are the limits t → 1
 * at fixed x_t (affine.h) and the report says so ("limit": true).
 *
 * Errors: those of fms_schedule_eval, fms_affine_eval and fms_param_convert
 * (FMS_EDOM, FMS_ERANGE, FMS_EINVAL), FMS_ENOMEM.  Nothing is printed.
 */
#ifndef FMS_PATHREPORT_H
#define FMS_PATHREPORT_H

#include "base/status.h"
#include "base/strbuf.h"
#include "model/data.h"
#include "model/param.h"
#include "model/schedule.h"

/* Where a query or a conversion is made: the path and the point, with t and
 * 1 − t as read from the decimal text. */
typedef struct fms_path_query {
    fms_schedule schedule;
    fms_time_convention convention;
    long double t, one_minus_t, x_t;
} fms_path_query;

/* The query q on data d, as text or JSON, appended to out. */
fms_status fms_pathreport_query(const fms_data *d, const fms_path_query *q, int json, fms_strbuf *out,
                                fms_error *err);

/* The conversion of the output y of a from-model at q into to; d gives the
 * exact model's value where the conversion is undetermined. */
fms_status fms_pathreport_convert(const fms_data *d, const fms_path_query *q, fms_param from, fms_param to,
                                  long double y, int json, fms_strbuf *out, fms_error *err);

#endif /* FMS_PATHREPORT_H */

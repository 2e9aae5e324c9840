/* dynreport.h — the reports of the dynamics runs: simulate, train, sample.
 *
 * A run of the dynamics layer (simulate.h, train.h, sampler.h) returns
 * numbers; these functions write them up, as the fmsolve command prints them:
 *
 *   text  a UTF-8 table appended to an fms_strbuf.  Shares, intervals and
 *         velocities are printed by fms_numfmt_key with 6 significant digits
 *         (errors and differences with 3, binomial standard deviations with
 *         2); a share too small for a double is printed from its logarithm
 *         (1e-400, never 0).
 *   JSON  a jansson object (the caller dumps it, with 17-digit reals), whose
 *         keys are documented in docs/fmsolve.1 (FILES, "JSON output"); a value that is NaN or infinite
 *         (an interval without samples, a point outside the model) is null.
 *
 * The train report evaluates, at every point exercise of the set, u_θ
 * (fms_train_eval; n/a or null outside the model's range) beside the exact v
 * (fms_exset_eval).  Errors: FMS_ENOMEM (also when jansson cannot allocate),
 * and for train those of fms_exset_eval.  Nothing is printed.
 */
#ifndef FMS_DYNREPORT_H
#define FMS_DYNREPORT_H

#include <jansson.h>

#include "base/status.h"
#include "base/strbuf.h"
#include "model/data.h"
#include "model/exset.h"
#include "dynamics/sampler.h"
#include "dynamics/simulate.h"
#include "dynamics/train.h"

/* simulate: the run o around point exercise ex on data d, with result r. */
fms_status fms_dynreport_simulate_text(const fms_data *d, const fms_exercise *ex, const fms_simulate_opts *o,
                                       const fms_simulate_result *r, fms_strbuf *out, fms_error *err);
fms_status fms_dynreport_simulate_json(const fms_data *d, const fms_exercise *ex, const fms_simulate_opts *o,
                                       const fms_simulate_result *r, json_t **out, fms_error *err);

/* train: the model m fitted by the run o, at the point exercises of set (m's
 * scratch is used: not for two threads at once). */
fms_status fms_dynreport_train_text(const fms_exset *set, const fms_train_opts *o, fms_train_model *m,
                                    fms_strbuf *out, fms_error *err);
fms_status fms_dynreport_train_json(const fms_exset *set, const fms_train_opts *o, fms_train_model *m,
                                    json_t **out, fms_error *err);

/* sample: the run o on data d, with result r (shares beside the data's
 * probabilities, the end points' mean, their histogram, the reference). */
fms_status fms_dynreport_sample_text(const fms_data *d, const fms_sample_opts *o, const fms_sample_result *r,
                                     fms_strbuf *out, fms_error *err);
fms_status fms_dynreport_sample_json(const fms_data *d, const fms_sample_opts *o, const fms_sample_result *r,
                                     json_t **out, fms_error *err);

#endif /* FMS_DYNREPORT_H */

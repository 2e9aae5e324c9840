/* gradescope.h — Gradescope's results.json for one student's sheet, with
 * the expected answers kept back until the grades are published.
 *
 * Format (Gradescope's autograder specification; written with jansson):
 *   {"score": CORRECT, "output": SUMMARY, "visibility": "visible",
 *    "stdout_visibility": "hidden",
 *    "tests": [
 *      {"name": ID, "score": 0|1, "max_score": 1, "status": "passed"|"failed",
 *       "output": VERDICT, "visibility": "visible"},        one per key item
 *      {"name": "ID: the expected answer", "score": 0, "max_score": 0,
 *       "output": "Expected: VALUE\n" FEEDBACK, "visibility": "after_published"},
 *                                                        one per item not correct
 *      {"name": "lines not graded", "score": 0, "max_score": 0, "output": ...,
 *       "visibility": "visible"}                          when some lines answer nothing
 *    ]}
 * VERDICT says right or wrong and why without the answer: "Correct. You
 * wrote: A", "Incorrect (REASON, line N): MEANING. You wrote: A", "Missing:
 * no line answers ID." — MEANING is the reason code's fixed phrase
 * (grade.h), never the feedback sentence, which may quote the exact value.
 * A sheet that cannot be graded gives {"score": 0, "output": MESSAGE,
 * "visibility": "visible", "stdout_visibility": "hidden", "tests": []}.
 */
#ifndef FMS_GRADESCOPE_H
#define FMS_GRADESCOPE_H

#include <stddef.h>

#include "base/status.h"
#include "base/strbuf.h"
#include "grading/grade.h"
#include "model/exset.h"

/* Appends the results.json of grade g of a sheet on set; note, when not
 * NULL, is added to the summary.  Errors: FMS_ENOMEM. */
fms_status fms_gradescope_results(const fms_exset *set, const fms_grade *g, const char *note, fms_strbuf *out,
                                  fms_error *err);

/* Appends the results.json of a submission that could not be graded. */
fms_status fms_gradescope_failure(const char *message, fms_strbuf *out, fms_error *err);

/* Reads the student's id from Gradescope's submission_metadata.json at
 * path: users[0].FIELD, a string or a whole number (field is "email",
 * "sid" or "id").  Errors: FMS_EIO (cannot read), FMS_EINVAL (not JSON, no
 * users, no such field, an id longer than cap − 1 bytes); err->file = path. */
fms_status fms_gradescope_student(const char *path, const char *field, char *id, size_t cap, fms_error *err);

#endif /* FMS_GRADESCOPE_H */

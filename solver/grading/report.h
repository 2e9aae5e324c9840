/* report.h — the grade of an answer sheet (grade.h) as text, JSON or a
 * Gradescope results.json.
 *
 * Text: a header line naming the exercise set, one line per key item grouped
 * under its exercise's id, then the lines that answered nothing, then
 * "score: CORRECT/TOTAL" (never a "N passed, N failed" line).
 * JSON (jansson, 2-space indent):
 *   {"exercises": TITLE, "total": N, "correct": n, "score": "n/N",
 *    "items": [{"id", "exercise", "line" (null when missing), "verdict",
 *               "reason", "expected", "got" (null when missing), "feedback"}],
 *    "unknown": [{"line", "id", "note"}]}
 * Gradescope: {"score": n, "max_score": N, "output": SUMMARY,
 *              "tests": [{"name", "score", "max_score", "status", "output"}]}
 * with one test per key item worth 1 point ("passed" or "failed").
 */
#ifndef FMS_REPORT_H
#define FMS_REPORT_H

#include "model/exset.h"
#include "grading/grade.h"
#include "base/status.h"
#include "base/strbuf.h"

typedef enum fms_report_format {
    FMS_REPORT_TEXT,
    FMS_REPORT_JSON,
    FMS_REPORT_GRADESCOPE
} fms_report_format;

/* Parses "text", "json" or "gradescope".  Returns FMS_OK or FMS_EINVAL. */
fms_status fms_report_format_parse(const char *name, fms_report_format *out);

/* Appends the report of grade g (made from set's key) to out.
 * Errors: FMS_ENOMEM (also when jansson cannot allocate). */
fms_status fms_report_render(const fms_exset *set, const fms_grade *g, fms_report_format fmt, fms_strbuf *out,
                             fms_error *err);

#endif /* FMS_REPORT_H */

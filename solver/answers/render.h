/* render.h — worked answers: the solution sheet a good TA would write.
 *
 * Each exercise of a set is built as a document (doc.h, build.h): its
 * question, then every part worked with the numbers substituted, from the
 * engine (engine.h) and the key (key.h), every qualitative sentence chosen by
 * a named predicate (claims.h).  Four writers of that one tree: UTF-8 text
 * for the terminal, Markdown with $TeX$ math (pandoc and KaTeX), a
 * standalone LaTeX document (pdflatex), and JSON (docs/answers-json.md).
 * Nothing is printed: output is appended to an fms_strbuf.
 */
#ifndef FMS_RENDER_H
#define FMS_RENDER_H

#include "model/exset.h"
#include "model/key.h"
#include "base/status.h"
#include "base/strbuf.h"

typedef enum fms_format {
    FMS_FORMAT_TEXT,
    FMS_FORMAT_MARKDOWN,
    FMS_FORMAT_JSON,
    FMS_FORMAT_LATEX
} fms_format;

/* Parses "text", "markdown" (or "md"), "json" and "latex" (or "tex").
 * Returns FMS_OK or FMS_EINVAL. */
fms_status fms_render_format_parse(const char *name, fms_format *out);

/* Renders exercise ex of set (part = -1 for all its parts, or one part's
 * index) in format fmt, appending to out.  For JSON the output is one object
 * for the exercise (docs/answers-json.md); for LaTeX a whole document.
 * Errors: FMS_ENOTFOUND for an index out of range, the engine's errors,
 * FMS_ENOMEM, FMS_EINVAL when a builder wrote a malformed formula (a bug). */
fms_status fms_render_exercise(const fms_exset *set, const fms_key *key, size_t ex, int part,
                               fms_format fmt, fms_strbuf *out, fms_error *err);

/* Renders n exercises (ex[i], part[i] as for fms_render_exercise) one after
 * the other: for JSON an array when n > 1, for LaTeX one document. */
fms_status fms_render_exercises(const fms_exset *set, const fms_key *key, size_t n, const size_t *ex,
                                const int *part, fms_format fmt, fms_strbuf *out, fms_error *err);

/* Renders the whole set: a title, then every exercise in order (for JSON,
 * one object {"title", "source", "data", "exercises": [...]}). */
fms_status fms_render_all(const fms_exset *set, const fms_key *key, fms_format fmt,
                          fms_strbuf *out, fms_error *err);

/* Renders the answer key, one "ID = VALUE" line per item (see key.h). */
fms_status fms_render_key(const fms_key *key, fms_strbuf *out, fms_error *err);

/* Renders the list of exercises: "ID  first line of its text" per line. */
fms_status fms_render_list(const fms_exset *set, fms_strbuf *out, fms_error *err);

/* Renders one query (x_t, t) on data d (one_minus_t as for fms_engine_eval_lt): a table of ε_k, u_k, w_k and the
 * posterior means in text, or exactly the JSON object documented in the
 * manual, docs/fmsolve.1 ("t", "x_t", "components", "velocity", "x1_mean", "eps_mean") with
 * 17 significant digits.  Errors: those of fms_engine_eval, FMS_ENOMEM. */
fms_status fms_render_query(const fms_data *d, long double t, long double one_minus_t, long double x_t, int json,
                            fms_strbuf *out, fms_error *err);

#endif /* FMS_RENDER_H */

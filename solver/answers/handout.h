/* handout.h — a student's handout of an exercise set, in Markdown or LaTeX.
 *
 * Built from the worked-answers renderer (render.h): its JSON document gives
 * the title, the data, every exercise's text and every part's question (and,
 * for LaTeX with answers, its steps); the Markdown handout with answers is
 * the renderer's Markdown itself, with the student line under the title.  A handout without answers ends with the
 * answer sheet to hand in: one "ID =" line per key item (grading.md).
 *
 *   Markdown   "# TITLE", the student line, the data and the path, "## ID"
 *              per exercise with its text as a quote and "**(a)** question"
 *              per part; pandoc and KaTeX render it.
 *   LaTeX      a complete article (amsmath, inputenc utf8) for pdflatex:
 *              the same content, with the text's symbols (ε, θ, −, ·, ≈, ...)
 *              as math and TeX's special characters escaped.
 *
 * who, when not NULL, is shown under the title ("Variant for: who").
 * Errors: those of fms_render_all, FMS_ENOMEM.
 */
#ifndef FMS_HANDOUT_H
#define FMS_HANDOUT_H

#include "model/exset.h"
#include "model/key.h"
#include "base/status.h"
#include "base/strbuf.h"

typedef enum fms_handout_format {
    FMS_HANDOUT_MARKDOWN,
    FMS_HANDOUT_LATEX
} fms_handout_format;

fms_status fms_handout_render(const fms_exset *set, const fms_key *key, fms_handout_format fmt, int with_answers,
                              const char *who, fms_strbuf *out, fms_error *err);

#endif /* FMS_HANDOUT_H */

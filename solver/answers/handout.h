/* handout.h — a student's handout of an exercise set, in Markdown or LaTeX.
 *
 * Written by the worked answers' own writers (render_doc.h) from the same
 * documents (build.h), so a handout reads exactly as `fmsolve --all
 * --format markdown|latex` does on the student's variant:
 *
 *   with_answers = 0  the questions only: the set's title, "Variant for:
 *                     who", the data and the path, then per exercise its
 *                     text and every part's question (no step, claim or
 *                     result), and at the end the answer sheet to hand in,
 *                     one "ID =" line per key item (grading.md).
 *   with_answers = 1  the worked answers, byte for byte as the renderer
 *                     writes them, with the "Variant for: who" line after the title.
 *
 * Markdown renders with pandoc and KaTeX; LaTeX is a standalone article that
 * pdflatex compiles.  who, when NULL, leaves the student line out; it is
 * prose (escaped by the writers).
 * Errors: those of the builders (build.h), FMS_ENOMEM.
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

/* render_doc.h — the four writers of a worked-answer document (doc.h):
 * UTF-8 text wrapped at 78 columns (render_text.c), Markdown with $TeX$ math
 * that pandoc and KaTeX both render (render_md.c), a standalone LaTeX
 * document for pdflatex (render_latex.c) and JSON (render_json.c, schema in
 * docs/answers-json.md).  Each writes the same tree; none computes anything.
 * Internal to answers/; the public entry points are in render.h.
 */
#ifndef FMS_RENDER_DOC_H
#define FMS_RENDER_DOC_H

#include <jansson.h>

#include "answers/doc.h"
#include "model/exset.h"
#include "model/key.h"
#include "base/strbuf.h"

/* Text. */
void fms_render_doc_text(const fms_doc *d, fms_strbuf *out);
void fms_render_runs_text(const fms_block *b, fms_strbuf *out);
size_t fms_render_text_width(const char *s, size_t n);
/* Appends text wrapped at 78 columns: the first line after `first` columns
 * already used, the others indented by `indent`. */
void fms_render_wrapped(fms_strbuf *out, const char *text, size_t first, size_t indent);
/* The set's heading (title underlined, data, path). */
void fms_render_head_text(const char *title, const fms_doc *head, fms_strbuf *out);

/* What the Markdown and LaTeX writers keep of a document: every block (the
 * worked answers), or the exercise's text and its parts' questions only,
 * with no step, equation, claim or result (a handout, handout.h). */
typedef enum fms_render_scope { FMS_RENDER_WORKED, FMS_RENDER_QUESTIONS } fms_render_scope;

/* Markdown. */
void fms_render_doc_md(const fms_doc *d, fms_strbuf *out); /* scope FMS_RENDER_WORKED */
void fms_render_doc_md_scope(const fms_doc *d, fms_render_scope scope, fms_strbuf *out);
void fms_render_head_md(const char *title, const fms_doc *head, fms_strbuf *out);

/* LaTeX: begin (preamble, title, heading) and end of the document around the exercises. */
void fms_render_latex_begin(const char *title, const fms_doc *head, fms_strbuf *out);
void fms_render_doc_latex(const fms_doc *d, fms_strbuf *out); /* scope FMS_RENDER_WORKED */
void fms_render_doc_latex_scope(const fms_doc *d, fms_render_scope scope, fms_strbuf *out);
void fms_render_latex_end(fms_strbuf *out);

/* JSON: a number, whole numbers as integers and -0 as 0 (jansson would
 * print "-0.0"), null when not finite. */
json_t *fms_render_json_num(double x);

/* JSON: one exercise object (NULL when memory runs out). */
json_t *fms_render_doc_json(const fms_doc *d, const fms_exset *set, const fms_key *key);

#endif /* FMS_RENDER_DOC_H */

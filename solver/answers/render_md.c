/* render_md.c — a worked answer as Markdown (see render_doc.h): "## ID",
 * the exercise's text quoted, "**(a)** question", and the steps as a list
 * whose sub-steps are a nested list.  Formulas are $TeX$ written by
 * math_write.c, which pandoc (-t html --mathml) and KaTeX both read: no
 * space after the opening or before the closing '$'.  Prose is escaped, so
 * a '$' or '*' in a question stays a character.  In scope
 * FMS_RENDER_QUESTIONS only the heading, the text and the questions. */
#include "answers/render_doc.h"

#include <string.h>

/* Prose with Markdown's active characters backslash-escaped. */
static void put_escaped(fms_strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]<>$|#~^", *s))
            fms_strbuf_puts(out, "\\");
        fms_strbuf_putn(out, s, 1);
    }
}

static void put_runs(const fms_block *b, fms_strbuf *out)
{
    for (size_t i = 0; i < b->nruns; i++) {
        const fms_run *r = &b->runs[i];
        if (r->kind == FMS_RUN_TEXT) {
            put_escaped(out, r->text);
            continue;
        }
        fms_strbuf_puts(out, "$");
        if (r->kind == FMS_RUN_MATH) {
            fms_math_tex(r->math, out);
        } else {
            fms_strbuf_puts(out, "\\mathrm{");
            for (const char *p = r->text; *p; p++)
                fms_strbuf_puts(out, *p == '_' ? "\\_" : (char[2]){ *p, 0 });
            fms_strbuf_puts(out, "}");
        }
        fms_strbuf_puts(out, "$");
    }
}

void fms_render_doc_md_scope(const fms_doc *d, fms_render_scope scope, fms_strbuf *out)
{
    fms_strbuf_printf(out, "## %s\n\n", d->id);
    const char *text = d->text ? d->text : d->heading;
    if (text) {
        fms_strbuf_puts(out, "> ");
        put_escaped(out, text);
        fms_strbuf_puts(out, "\n\n");
    }
    for (const fms_doc_part *p = d->first; p; p = p->next) {
        int steps = 0;
        for (const fms_block *b = p->first; b; b = b->next) {
            if (b->kind == FMS_BLOCK_QUESTION) {
                fms_strbuf_printf(out, "**(%c)** ", p->letter);
                put_runs(b, out);
                fms_strbuf_puts(out, "\n\n");
            } else if (scope == FMS_RENDER_WORKED) {
                fms_strbuf_puts(out, b->level ? "    - " : "- ");
                put_runs(b, out);
                fms_strbuf_puts(out, "\n");
                steps = 1;
            }
        }
        if (steps || scope == FMS_RENDER_WORKED)
            fms_strbuf_puts(out, "\n");
    }
}

void fms_render_doc_md(const fms_doc *d, fms_strbuf *out)
{
    fms_render_doc_md_scope(d, FMS_RENDER_WORKED, out);
}

void fms_render_head_md(const char *title, const fms_doc *head, fms_strbuf *out)
{
    fms_strbuf_puts(out, "# ");
    put_escaped(out, title);
    fms_strbuf_puts(out, "\n\n");
    for (const fms_block *b = head->first ? head->first->first : NULL; b; b = b->next) {
        put_runs(b, out);
        fms_strbuf_puts(out, "\n\n");
    }
}

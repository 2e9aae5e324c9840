/* render_text.c — a worked answer as UTF-8 text for the terminal (see
 * render_doc.h): parts headed "(a) question", steps indented by four
 * columns, sub-steps by six, everything wrapped at 78 columns. */
#include "answers/render_doc.h"

#include <string.h>

#include "base/utf8.h"

#define WIDTH 78

size_t fms_render_text_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (fms_utf8_is_cont(ch))
            continue;
        if (ch == 0xCC || (ch == 0xCD && i + 1 < n && (unsigned char)s[i + 1] < 0xB0))
            continue; /* combining marks U+0300–U+036F take no column */
        w++;
    }
    return w;
}

void fms_render_wrapped(fms_strbuf *out, const char *text, size_t first, size_t indent)
{
    size_t col = first;
    const char *p = text;
    int start = 1;
    while (*p) {
        size_t sp = strspn(p, " ");
        if (p[sp] == '\0')
            break;
        const char *word = p + sp;
        size_t n = strcspn(word, " ");
        size_t w = fms_render_text_width(word, n);
        if (!start && col + sp + w > WIDTH) {
            fms_strbuf_puts(out, "\n");
            for (size_t i = 0; i < indent; i++)
                fms_strbuf_puts(out, " ");
            col = indent;
        } else if (!start) {
            fms_strbuf_putn(out, p, sp);
            col += sp;
        }
        fms_strbuf_putn(out, word, n);
        col += w;
        start = 0;
        p = word + n;
    }
}

void fms_render_runs_text(const fms_block *b, fms_strbuf *out)
{
    for (size_t i = 0; i < b->nruns; i++) {
        const fms_run *r = &b->runs[i];
        if (r->kind == FMS_RUN_MATH)
            fms_math_text(r->math, out);
        else
            fms_strbuf_puts(out, r->text);
    }
}

/* One block, indented by its level; continuation lines of a sub-step two more. */
static void put_block(const fms_block *b, fms_strbuf *out)
{
    fms_strbuf line = { 0 };
    fms_render_runs_text(b, &line);
    size_t indent = 4 + 2 * (size_t)b->level;
    for (size_t i = 0; i < indent; i++)
        fms_strbuf_puts(out, " ");
    fms_render_wrapped(out, fms_strbuf_str(&line), indent, indent + (b->level ? 2 : 0));
    fms_strbuf_puts(out, "\n");
    fms_strbuf_free(&line);
}

void fms_render_doc_text(const fms_doc *d, fms_strbuf *out)
{
    fms_strbuf_printf(out, "%s  ", d->id);
    size_t w = strlen(d->id) + 2;
    fms_render_wrapped(out, d->text ? d->text : d->heading ? d->heading : "", w, w);
    fms_strbuf_puts(out, "\n\n");
    for (const fms_doc_part *p = d->first; p; p = p->next) {
        for (const fms_block *b = p->first; b; b = b->next) {
            if (b->kind != FMS_BLOCK_QUESTION) {
                put_block(b, out);
                continue;
            }
            fms_strbuf q = { 0 };
            fms_render_runs_text(b, &q);
            fms_strbuf_printf(out, "(%c) ", p->letter);
            fms_render_wrapped(out, fms_strbuf_str(&q), 4, 4);
            fms_strbuf_puts(out, "\n");
            fms_strbuf_free(&q);
        }
        fms_strbuf_puts(out, "\n");
    }
}

void fms_render_head_text(const char *title, const fms_doc *head, fms_strbuf *out)
{
    fms_strbuf_printf(out, "%s\n", title);
    for (size_t i = fms_render_text_width(title, strlen(title)); i > 0; i--)
        fms_strbuf_puts(out, "=");
    fms_strbuf_puts(out, "\n");
    for (const fms_block *b = head->first ? head->first->first : NULL; b; b = b->next) {
        fms_strbuf line = { 0 };
        fms_render_runs_text(b, &line);
        fms_render_wrapped(out, fms_strbuf_str(&line), 0, 6);
        fms_strbuf_puts(out, "\n");
        fms_strbuf_free(&line);
    }
    fms_strbuf_puts(out, "\n");
}

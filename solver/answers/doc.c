/* doc.c — see doc.h. */
#include "answers/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void fail(fms_doc *d, const char *what, const char *where)
{
    if (!d->failed)
        snprintf(d->why, sizeof d->why, "%s: %.80s", what, where ? where : "");
    d->failed = 1;
}

const char *fms_doc_strdup(fms_doc *d, const char *s)
{
    const char *c = fms_math_pool_strdup(&d->pool, s ? s : "");
    if (c == NULL)
        fail(d, "out of memory", NULL);
    return c ? c : "";
}

static void add_run(fms_doc *d, fms_block *b, fms_run run)
{
    fms_run *runs = fms_math_pool_alloc(&d->pool, (b->nruns + 1) * sizeof *runs);
    if (runs == NULL) {
        fail(d, "out of memory", NULL);
        return;
    }
    if (b->nruns)
        memcpy(runs, b->runs, b->nruns * sizeof *runs);
    runs[b->nruns++] = run;
    b->runs = runs;
}

static void add_text(fms_doc *d, fms_block *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    char *t = fms_math_pool_alloc(&d->pool, n + 1);
    if (t == NULL) {
        fail(d, "out of memory", NULL);
        return;
    }
    memcpy(t, s, n);
    add_run(d, b, (fms_run){ .kind = FMS_RUN_TEXT, .text = t });
}

/* One $...$ formula of fmt, parsed with the arguments it consumes. */
static const char *add_math(fms_doc *d, fms_block *b, const char *p, va_list *ap)
{
    const char *end = strchr(p, '$');
    if (end == NULL) {
        fail(d, "unclosed formula", p);
        return p + strlen(p);
    }
    char *src = fms_math_pool_alloc(&d->pool, (size_t)(end - p) + 1);
    if (src == NULL) {
        fail(d, "out of memory", NULL);
        return end + 1;
    }
    memcpy(src, p, (size_t)(end - p));
    const char *err_at = NULL;
    fms_math *m = fms_math_vparse(&d->pool, src, ap, &err_at);
    if (m == NULL)
        fail(d, "bad formula", src);
    else
        add_run(d, b, (fms_run){ .kind = FMS_RUN_MATH, .math = m });
    return end + 1;
}

static void vappend(fms_doc *d, fms_block *b, const char *fmt, va_list *ap)
{
    const char *p = fmt, *text = fmt;
    while (*p) {
        if (*p != '$' && *p != '%') {
            p++;
            continue;
        }
        add_text(d, b, text, (size_t)(p - text));
        if (*p == '$') {
            p = add_math(d, b, p + 1, ap);
        } else if (p[1] == 'l') {
            add_run(d, b, (fms_run){ .kind = FMS_RUN_LABEL, .text = fms_doc_strdup(d, va_arg(*ap, const char *)) });
            p += 2;
        } else if (p[1] == 's') {
            const char *s = va_arg(*ap, const char *);
            add_text(d, b, s, strlen(s));
            p += 2;
        } else {
            add_text(d, b, "%", 1);
            p += p[1] == '%' ? 2 : 1;
        }
        text = p;
    }
    add_text(d, b, text, (size_t)(p - text));
}

fms_doc_part *fms_doc_part_new(fms_doc *d, const char *id, const char *kind, int letter, int key_part,
                               const char *question)
{
    fms_doc_part *p = fms_math_pool_alloc(&d->pool, sizeof *p);
    if (p == NULL) {
        fail(d, "out of memory", NULL);
        return NULL;
    }
    snprintf(p->id, sizeof p->id, "%s", id);
    p->kind = kind;
    p->letter = letter;
    p->key_part = key_part;
    if (d->last)
        d->last->next = p;
    else
        d->first = p;
    d->last = p;
    if (question)
        fms_doc_add(d, p, FMS_BLOCK_QUESTION, 0, "%s", question);
    return p;
}

static fms_block *new_block(fms_doc *d, fms_doc_part *p, fms_block_kind kind, int level)
{
    if (p == NULL)
        return NULL;
    fms_block *b = fms_math_pool_alloc(&d->pool, sizeof *b);
    if (b == NULL) {
        fail(d, "out of memory", NULL);
        return NULL;
    }
    b->kind = kind;
    b->level = level;
    if (p->last)
        p->last->next = b;
    else
        p->first = b;
    p->last = b;
    return b;
}

fms_block *fms_doc_add(fms_doc *d, fms_doc_part *p, fms_block_kind kind, int level, const char *fmt, ...)
{
    fms_block *b = new_block(d, p, kind, level);
    if (b == NULL)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    vappend(d, b, fmt, &ap);
    va_end(ap);
    return b;
}

fms_block *fms_doc_claim(fms_doc *d, fms_doc_part *p, const fms_claim *claim, const char *fmt, ...)
{
    fms_block *b = new_block(d, p, FMS_BLOCK_CLAIM, 0);
    if (b == NULL)
        return NULL;
    fms_doc_note(d, b, claim);
    va_list ap;
    va_start(ap, fmt);
    vappend(d, b, fmt, &ap);
    va_end(ap);
    return b;
}

void fms_doc_note(fms_doc *d, fms_block *b, const fms_claim *claim)
{
    if (b == NULL)
        return;
    if (b->nclaims == FMS_BLOCK_MAX_CLAIMS) {
        fail(d, "too many claims in one block", claim->predicate);
        return;
    }
    b->claims[b->nclaims++] = *claim;
}

void fms_doc_append(fms_doc *d, fms_block *b, const char *fmt, ...)
{
    if (b == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vappend(d, b, fmt, &ap);
    va_end(ap);
}

void fms_doc_free(fms_doc *d)
{
    fms_math_pool_free(&d->pool);
    memset(d, 0, sizeof *d);
}

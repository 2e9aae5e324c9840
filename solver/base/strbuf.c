/* strbuf.c — see strbuf.h. */
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(fms_strbuf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = 1;
            return 0;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (d == NULL) {
        b->failed = 1;
        return 0;
    }
    b->data = d;
    b->cap = cap;
    return 1;
}

void fms_strbuf_reset(fms_strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void fms_strbuf_free(fms_strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void fms_strbuf_putn(fms_strbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void fms_strbuf_puts(fms_strbuf *b, const char *s)
{
    fms_strbuf_putn(b, s, strlen(s));
}

void fms_strbuf_vprintf(fms_strbuf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof small)
        fms_strbuf_putn(b, small, (size_t)n);
    else if (n >= 0 && reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void fms_strbuf_printf(fms_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fms_strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *fms_strbuf_str(const fms_strbuf *b)
{
    return b->data ? b->data : "";
}

fms_status fms_strbuf_status(const fms_strbuf *b)
{
    return b->failed ? FMS_ENOMEM : FMS_OK;
}

char *fms_strbuf_dupn(const char *s, size_t n)
{
    if (n == (size_t)-1)
        return NULL;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *fms_strbuf_dup(const char *s)
{
    return fms_strbuf_dupn(s, strlen(s));
}

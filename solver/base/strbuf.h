/* strbuf.h — a growable, always NUL-terminated text buffer.
 *
 * The library never prints: renderers append to an fms_strbuf and the
 * command-line front end writes the result.  An allocation failure is sticky:
 * later appends do nothing and fms_strbuf_status reports FMS_ENOMEM, so a
 * renderer can append freely and check once at the end.
 */
#ifndef FMS_STRBUF_H
#define FMS_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/status.h"

typedef struct fms_strbuf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
    int failed;   /* an allocation failed */
} fms_strbuf;

/* Empties b (keeps its memory). */
void fms_strbuf_reset(fms_strbuf *b);

/* Releases b's memory and leaves it empty and usable. */
void fms_strbuf_free(fms_strbuf *b);

/* Appends the NUL-terminated s. */
void fms_strbuf_puts(fms_strbuf *b, const char *s);

/* Appends n bytes of s. */
void fms_strbuf_putn(fms_strbuf *b, const char *s, size_t n);

/* Appends printf-formatted text. */
void fms_strbuf_printf(fms_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends vprintf-formatted text (ap is consumed). */
void fms_strbuf_vprintf(fms_strbuf *b, const char *fmt, va_list ap);

/* The contents ("" when empty; never NULL). */
const char *fms_strbuf_str(const fms_strbuf *b);

/* FMS_OK, or FMS_ENOMEM when an append could not allocate. */
fms_status fms_strbuf_status(const fms_strbuf *b);

/* A malloc'ed copy of the NUL-terminated s (the library's one strdup, which
 * C11 lacks); NULL when memory runs out.  The caller frees it. */
char *fms_strbuf_dup(const char *s);

/* A malloc'ed, NUL-terminated copy of the n bytes at s; NULL when memory
 * runs out.  The caller frees it. */
char *fms_strbuf_dupn(const char *s, size_t n);

#endif /* FMS_STRBUF_H */

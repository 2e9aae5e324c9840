/* json.c — see json.h. */
#include "base/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The project's one set of dump flags (see json.h). */
#define FMS_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY)

char *fms_json_text(const json_t *v)
{
    return v ? json_dumps(v, FMS_JSON_FLAGS) : NULL;
}

/* The text of v into *s, releasing v (the reference is stolen). */
static fms_status take_text(json_t *v, char **s, fms_error *err)
{
    *s = NULL;
    if (v == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory while building JSON");
    *s = fms_json_text(v);
    json_decref(v);
    return *s ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory while writing JSON");
}

fms_status fms_json_append(fms_strbuf *out, json_t *v, fms_error *err)
{
    char *s;
    if (take_text(v, &s, err) != FMS_OK)
        return FMS_ENOMEM;
    fms_strbuf_puts(out, s);
    fms_strbuf_puts(out, "\n");
    free(s);
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

/* Appends text with `pad` spaces after each of its newlines: a value dumped
 * alone, set at a deeper level. */
static void put_indented(fms_strbuf *out, const char *text, const char *pad)
{
    for (const char *nl; (nl = strchr(text, '\n')) != NULL; text = nl + 1) {
        fms_strbuf_putn(out, text, (size_t)(nl - text + 1));
        fms_strbuf_puts(out, pad);
    }
    fms_strbuf_puts(out, text);
}

fms_status fms_json_append_streamed(fms_strbuf *out, json_t *root, const char *key, size_t n, fms_json_make_fn make,
                                    void *ctx, fms_error *err)
{
    char mark[96], *s;
    if (take_text(root, &s, err) != FMS_OK)
        return FMS_ENOMEM;
    /* At depth 1 of an indented object: a newline, two spaces, the key, an empty array. */
    int m = snprintf(mark, sizeof mark, "\n  \"%s\": []", key);
    char *at = m > 0 && (size_t)m < sizeof mark ? strstr(s, mark) : NULL;
    if (at == NULL) {
        free(s);
        return fms_error_set(err, FMS_EINVAL, 0, "no member '%s' to stream into", key);
    }
    fms_strbuf_putn(out, s, (size_t)(at - s) + (size_t)m - 2); /* up to "KEY": */
    fms_strbuf_puts(out, n ? "[" : "[]");
    fms_status st = FMS_OK;
    for (size_t i = 0; i < n && st == FMS_OK; i++) {
        char *v;
        if ((st = take_text(make(i, ctx), &v, err)) != FMS_OK)
            break;
        fms_strbuf_puts(out, i ? ",\n    " : "\n    ");
        put_indented(out, v, "    ");
        free(v);
    }
    if (n)
        fms_strbuf_puts(out, "\n  ]");
    fms_strbuf_puts(out, at + m);
    fms_strbuf_puts(out, "\n");
    free(s);
    if (st != FMS_OK || fms_strbuf_status(out) != FMS_OK)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory while writing JSON");
    return FMS_OK;
}

json_t *fms_json_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *fms_json_points(double p)
{
    double r = round(p * 1e6) / 1e6;
    return r == floor(r) && fabs(r) < 1e15 ? json_integer((json_int_t)r) : json_real(r);
}

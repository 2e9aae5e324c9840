/* sheet.c — see sheet.h. */
#include "grading/sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/utf8.h"

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static fms_status add(fms_sheet *sh, size_t *cap, long line, const char *id, size_t idn, const char *ans,
                      size_t ansn, int has_eq, int too_long, fms_error *err)
{
    if (sh->n == *cap) {
        size_t c = *cap ? 2 * *cap : 32;
        fms_sheet_entry *e = realloc(sh->entries, c * sizeof *e);
        if (e == NULL)
            return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        sh->entries = e;
        *cap = c;
    }
    fms_sheet_entry *e = &sh->entries[sh->n];
    e->line = line;
    e->too_long = too_long;
    e->id = fms_strbuf_dupn(id, idn);
    e->answer = has_eq ? fms_strbuf_dupn(ans, ansn) : NULL;
    if (e->id == NULL || (has_eq && e->answer == NULL)) {
        free(e->id);
        free(e->answer);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    sh->n++;
    return FMS_OK;
}

fms_status fms_sheet_parse(const char *text, size_t len, fms_sheet **out, fms_error *err)
{
    *out = NULL;
    if (len > FMS_SHEET_MAX_BYTES)
        return fms_error_set(err, FMS_EINVAL, 0, "the sheet is larger than %d bytes: not an answer sheet",
                             FMS_SHEET_MAX_BYTES);
    /* Check the whole text first, so that a binary file is refused outright
     * rather than half graded. */
    long line = 1;
    for (size_t i = 0; i < len;) {
        const unsigned char *u = (const unsigned char *)text + i;
        if (*u == '\0')
            return fms_error_set(err, FMS_EINVAL, line, "the sheet holds a NUL byte: not a text file");
        if (*u == '\n' || (*u == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
            line++;
        size_t k = fms_utf8_seq_len(text + i, len - i);
        if (k == 0)
            return fms_error_set(err, FMS_EINVAL, line, "the sheet is not UTF-8 text (byte 0x%02X)", *u);
        i += k;
    }
    fms_sheet *sh = calloc(1, sizeof *sh);
    if (sh == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    size_t cap = 0, pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    fms_status st = FMS_OK;
    for (line = 1; st == FMS_OK && pos < len; line++) {
        size_t end = pos;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        size_t next = end;
        if (next < len && text[next] == '\r')
            next++;
        if (next < len && text[next] == '\n' && (next == end || text[next - 1] == '\r'))
            next++;
        const char *s = text + pos;
        size_t n = end - pos;
        pos = next;
        int too_long = n > FMS_SHEET_MAX_LINE;
        const char *hash = memchr(s, '#', n);
        if (hash)
            n = (size_t)(hash - s);
        trim(&s, &n);
        if (n == 0)
            continue;
        const char *eq = memchr(s, '=', n);
        if (eq == NULL) {
            size_t m = fms_utf8_cut(s, n, 40);
            st = add(sh, &cap, line, s, m, NULL, 0, 0, too_long, err);
            continue;
        }
        const char *id = s, *ans = eq + 1;
        size_t idn = (size_t)(eq - s), ansn = n - idn - 1;
        trim(&id, &idn);
        trim(&ans, &ansn);
        if (idn > FMS_SHEET_ID_MAX)
            idn = fms_utf8_cut(id, idn, FMS_SHEET_ID_MAX);
        if (too_long)
            ansn = 0;
        st = add(sh, &cap, line, id, idn, ans, ansn, 1, too_long, err);
    }
    if (st != FMS_OK) {
        fms_sheet_free(sh);
        return st;
    }
    *out = sh;
    return FMS_OK;
}

fms_status fms_sheet_read(FILE *f, fms_sheet **out, fms_error *err)
{
    *out = NULL;
    size_t cap = 64 * 1024, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    for (;;) {
        if (len == cap) {
            if (cap > FMS_SHEET_MAX_BYTES)
                break;
            cap *= 2;
            char *b = realloc(buf, cap);
            if (b == NULL) {
                free(buf);
                return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
            }
            buf = b;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        return fms_error_set(err, FMS_EIO, 0, "cannot read the sheet: %s", strerror(e));
    }
    fms_status st = fms_sheet_parse(buf, len, out, err);
    free(buf);
    return st;
}

void fms_sheet_free(fms_sheet *sheet)
{
    if (sheet == NULL)
        return;
    for (size_t i = 0; i < sheet->n; i++) {
        free(sheet->entries[i].id);
        free(sheet->entries[i].answer);
    }
    free(sheet->entries);
    free(sheet);
}

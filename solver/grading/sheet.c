/* sheet.c — see sheet.h. */
#include "grading/sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/* A copy of n bytes of s with every byte that is not UTF-8 replaced by
 * U+FFFD; *bad is set when there was one. */
static char *clean_copy(const char *s, size_t n, int *bad)
{
    char *d = malloc(3 * n + 1);
    if (d == NULL)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t k = fms_utf8_seq_len(s + i, n - i);
        if (k == 0) {
            memcpy(d + m, "\xEF\xBF\xBD", 3);
            m += 3;
            i++;
            *bad = 1;
            continue;
        }
        memcpy(d + m, s + i, k);
        m += k;
        i += k;
    }
    d[m] = '\0';
    return d;
}

static int has_bad_bytes(const char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if ((k = fms_utf8_seq_len(s + i, n - i)) == 0)
            return 1;
    return 0;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* One line's text: its id and its answer (ans NULL when there is no '='). */
typedef struct raw_line {
    long line;
    const char *id, *ans;
    size_t idn, ansn;
    int too_long;
} raw_line;

static fms_status add(fms_sheet *sh, size_t *cap, const raw_line *r, fms_error *err)
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
    memset(e, 0, sizeof *e);
    e->line = r->line;
    e->too_long = r->too_long;
    e->id = clean_copy(r->id, r->idn, &e->bad_bytes);
    e->answer = r->ans ? clean_copy(r->ans, r->ansn, &e->bad_bytes) : NULL;
    if (e->id == NULL || (r->ans && e->answer == NULL)) {
        free(e->id);
        free(e->answer);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    sh->n++;
    return FMS_OK;
}

/* Splits the line [s, s + n) (comment cut, trimmed) into id and answer: at
 * the first '=', or else before the first '≈', which stays in the answer. */
static void split_line(const char *s, size_t n, raw_line *r)
{
    const char *eq = memchr(s, '=', n);
    size_t skip = 1;
    for (size_t i = 0; eq == NULL && i + 3 <= n; i++)
        if (memcmp(s + i, "\xe2\x89\x88", 3) == 0) {
            eq = s + i;
            skip = 0;
        }
    if (eq == NULL) {
        r->id = s;
        r->idn = fms_utf8_cut(s, n, 40);
        r->ans = NULL;
        return;
    }
    r->id = s;
    r->idn = (size_t)(eq - s);
    r->ans = eq + skip;
    r->ansn = n - r->idn - skip;
    trim(&r->id, &r->idn);
    trim(&r->ans, &r->ansn);
    if (r->idn > FMS_SHEET_ID_MAX)
        r->idn = fms_utf8_cut(r->id, r->idn, FMS_SHEET_ID_MAX);
    if (r->too_long)
        r->ansn = 0;
}

/* Refuses a binary text: one with a NUL byte. */
static fms_status check_text(const char *text, size_t len, fms_error *err)
{
    long line = 1;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\0')
            return fms_error_set(err, FMS_EINVAL, line, "the sheet holds a NUL byte: not a text file");
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
            line++;
    }
    return FMS_OK;
}

/* Reads the lines of UTF-8 text (invalid bytes allowed) into sh. */
static fms_status read_lines(fms_sheet *sh, const char *text, size_t len, fms_error *err)
{
    size_t cap = 0, pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    fms_status st = FMS_OK;
    for (long line = 1; st == FMS_OK && pos < len; line++) {
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
        raw_line r = { line, NULL, NULL, 0, 0, n > FMS_SHEET_MAX_LINE };
        if (has_bad_bytes(s, n) && sh->bad_line == 0)
            sh->bad_line = line;
        const char *hash = memchr(s, '#', n);
        if (hash)
            n = (size_t)(hash - s);
        trim(&s, &n);
        if (n == 0)
            continue;
        split_line(s, n, &r);
        st = add(sh, &cap, &r, err);
    }
    if (sh->bad_line > 0 && sh->encoding == FMS_SHEET_UTF8)
        sh->encoding = FMS_SHEET_NOT_UTF8;
    return st;
}

/* The UTF-16 encoding of text, from its byte-order mark or, without one,
 * from NUL bytes on one side of every code unit; FMS_SHEET_UTF8 otherwise. */
static fms_sheet_encoding utf16_kind(const unsigned char *t, size_t len)
{
    if (len >= 2 && t[0] == 0xFF && t[1] == 0xFE)
        return FMS_SHEET_UTF16LE;
    if (len >= 2 && t[0] == 0xFE && t[1] == 0xFF)
        return FMS_SHEET_UTF16BE;
    size_t nul[2] = { 0, 0 };
    for (size_t i = 0; i < len; i++)
        nul[i & 1] += t[i] == 0;
    if (len < 2 || len % 2 != 0 || nul[0] + nul[1] == 0 || (nul[0] && nul[1]))
        return FMS_SHEET_UTF8;
    /* ASCII text in UTF-16: about every other byte is NUL. */
    size_t units = len / 2, zeros = nul[0] + nul[1];
    if (2 * zeros < units)
        return FMS_SHEET_UTF8;
    return nul[1] ? FMS_SHEET_UTF16LE : FMS_SHEET_UTF16BE;
}

/* Appends code point c to d as UTF-8; returns the bytes written. */
static size_t put_utf8(char *d, unsigned long c)
{
    if (c < 0x80) {
        d[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        d[0] = (char)(0xC0 | (c >> 6));
        d[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        d[0] = (char)(0xE0 | (c >> 12));
        d[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        d[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (c >> 18));
    d[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    d[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Decodes UTF-16 text into a malloc'd UTF-8 string (*out, *outlen); a
 * surrogate without its pair becomes U+FFFD, a last odd byte is dropped. */
static fms_status utf16_decode(const unsigned char *t, size_t len, int be, char **out, size_t *outlen)
{
    char *d = malloc(3 * (len / 2) + 4);
    if (d == NULL)
        return FMS_ENOMEM;
    size_t m = 0, i = (len >= 2 && ((t[0] == 0xFF && t[1] == 0xFE) || (t[0] == 0xFE && t[1] == 0xFF))) ? 2 : 0;
    while (i + 1 < len) {
        unsigned long u = be ? (unsigned long)t[i] << 8 | t[i + 1] : (unsigned long)t[i + 1] << 8 | t[i];
        i += 2;
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < len) {
            unsigned long v = be ? (unsigned long)t[i] << 8 | t[i + 1] : (unsigned long)t[i + 1] << 8 | t[i];
            if (v >= 0xDC00 && v <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF)
            u = 0xFFFD;
        m += put_utf8(d + m, u);
    }
    d[m] = '\0';
    *out = d;
    *outlen = m;
    return FMS_OK;
}

fms_status fms_sheet_parse(const char *text, size_t len, fms_sheet **out, fms_error *err)
{
    *out = NULL;
    if (len > FMS_SHEET_MAX_BYTES)
        return fms_error_set(err, FMS_EINVAL, 0, "the sheet is larger than %d bytes: not an answer sheet",
                             FMS_SHEET_MAX_BYTES);
    fms_sheet_encoding enc = utf16_kind((const unsigned char *)text, len);
    char *decoded = NULL;
    if (enc != FMS_SHEET_UTF8) {
        if (utf16_decode((const unsigned char *)text, len, enc == FMS_SHEET_UTF16BE, &decoded, &len) != FMS_OK)
            return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        text = decoded;
    }
    /* A binary file is refused outright rather than half graded. */
    fms_status st = check_text(text, len, err);
    fms_sheet *sh = st == FMS_OK ? calloc(1, sizeof *sh) : NULL;
    if (st == FMS_OK && sh == NULL)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    if (st == FMS_OK) {
        sh->encoding = enc;
        st = read_lines(sh, text, len, err);
    }
    free(decoded);
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

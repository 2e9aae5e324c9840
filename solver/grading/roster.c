/* roster.c — see roster.h.  A small RFC 4180 reader: one record at a time,
 * its fields in a growing buffer, the line of its start kept for messages. */
#include "grading/roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h> /* strncasecmp, for the header */

#include "base/fileio.h"
#include "base/strbuf.h"
#include "base/utf8.h"

/* One record being read: the fields' text, NUL-separated, in buf. */
typedef struct record {
    char *buf;
    size_t len, cap;
    size_t nfields;
    size_t *start;     /* offset of each field in buf */
    size_t cap_fields;
    long line;         /* the record's first line */
} record;

typedef struct reader {
    const char *s;
    size_t len, pos;
    long line;
    fms_error *err;
} reader;

static int put(record *r, char c)
{
    if (r->len == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        char *b = realloc(r->buf, cap);
        if (b == NULL)
            return 0;
        r->buf = b;
        r->cap = cap;
    }
    r->buf[r->len++] = c;
    return 1;
}

/* Starts a new field at the end of buf. */
static int new_field(record *r)
{
    if (r->nfields == r->cap_fields) {
        size_t cap = r->cap_fields ? 2 * r->cap_fields : 16;
        size_t *s = realloc(r->start, cap * sizeof *s);
        if (s == NULL)
            return 0;
        r->start = s;
        r->cap_fields = cap;
    }
    r->start[r->nfields++] = r->len;
    return 1;
}

/* Reads a quoted field's text after its opening quote. */
static fms_status read_quoted(reader *rd, record *r)
{
    for (;;) {
        if (rd->pos >= rd->len)
            return fms_error_set(rd->err, FMS_EINVAL, r->line, "a quoted field is not closed (a '\"' is missing)");
        char c = rd->s[rd->pos++];
        if (c == '"') {
            if (rd->pos < rd->len && rd->s[rd->pos] == '"')
                rd->pos++;
            else
                return FMS_OK;
        }
        if (c == '\n')
            rd->line++;
        if (!put(r, c))
            return fms_error_set(rd->err, FMS_ENOMEM, r->line, "out of memory");
    }
}

/* Reads one record into r; *more is 0 at the end of the text. */
static fms_status read_record(reader *rd, record *r, int *more)
{
    r->len = 0;
    r->nfields = 0;
    r->line = rd->line;
    *more = rd->pos < rd->len;
    if (!*more)
        return FMS_OK;
    if (!new_field(r))
        return fms_error_set(rd->err, FMS_ENOMEM, r->line, "out of memory");
    int quoted = 0;
    while (rd->pos < rd->len) {
        char c = rd->s[rd->pos++];
        if (c == '\n' || (c == '\r' && rd->pos < rd->len && rd->s[rd->pos] == '\n')) {
            rd->pos += c == '\r';
            rd->line++;
            break;
        }
        if (c == ',') {
            if (!put(r, '\0') || !new_field(r))
                return fms_error_set(rd->err, FMS_ENOMEM, r->line, "out of memory");
            quoted = 0;
            continue;
        }
        if (quoted && c != ' ' && c != '\t' && c != '\r')
            return fms_error_set(rd->err, FMS_EINVAL, rd->line, "text after a quoted field's closing '\"'");
        if (c == '"' && r->len == r->start[r->nfields - 1]) {
            fms_status st = read_quoted(rd, r);
            if (st != FMS_OK)
                return st;
            quoted = 1;
            continue;
        }
        if (c == '"')
            return fms_error_set(rd->err, FMS_EINVAL, rd->line, "a '\"' inside a field that does not start with one "
                                 "(quote the whole field and double the quote: \"a\"\"b\")");
        if (c != '\r' && !put(r, c))
            return fms_error_set(rd->err, FMS_ENOMEM, r->line, "out of memory");
    }
    if (!put(r, '\0'))
        return fms_error_set(rd->err, FMS_ENOMEM, r->line, "out of memory");
    return FMS_OK;
}

/* Field i of r, without surrounding blanks, as *s with *n bytes. */
static void field(const record *r, size_t i, const char **s, size_t *n)
{
    *s = r->buf + r->start[i];
    *n = strlen(*s);
    fms_strbuf_trim(s, n);
}

const char *fms_roster_id_problem(const char *id)
{
    size_t n = strlen(id);
    if (n == 0)
        return "the id is empty";
    if (n >= FMS_ROSTER_ID_MAX)
        return "the id is longer than 127 bytes";
    if (id[0] == '.')
        return "an id may not start with '.' (it names the student's files)";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c < 0x20 || c == 0x7F)
            return "the id holds a control character";
        if (c == '/' || c == '\\')
            return "an id may not hold '/' or '\\' (it names the student's files)";
    }
    return NULL;
}

/* ASCII case folding: ids that differ only in case name one file on some disks. */
static int fold(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int cmp_fold_ids(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && fold(*p) == fold(*q))
        p++, q++;
    return fold(*p) - fold(*q);
}

/* Folded ids, then file order. */
static int cmp_folded(const void *a, const void *b)
{
    const fms_roster_entry *x = *(const fms_roster_entry *const *)a, *y = *(const fms_roster_entry *const *)b;
    int c = cmp_fold_ids(x->id, y->id);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int cmp_exact(const void *a, const void *b)
{
    const fms_roster_entry *x = *(const fms_roster_entry *const *)a, *y = *(const fms_roster_entry *const *)b;
    return strcmp(x->id, y->id);
}

/* Refuses ids that are equal, also ignoring case (the duplicate whose second
 * occurrence comes first in the file is reported), then sorts for lookups. */
static fms_status check_unique(fms_roster *r, fms_error *err)
{
    r->sorted = malloc((r->n ? r->n : 1) * sizeof *r->sorted);
    if (r->sorted == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < r->n; i++)
        r->sorted[i] = &r->entries[i];
    qsort(r->sorted, r->n, sizeof *r->sorted, cmp_folded);
    const fms_roster_entry *a = NULL, *b = NULL;
    for (size_t i = 1; i < r->n; i++) {
        const fms_roster_entry *x = r->sorted[i - 1], *y = r->sorted[i];
        if (cmp_fold_ids(x->id, y->id) == 0 && (b == NULL || y->line < b->line))
            a = x, b = y;
    }
    if (b != NULL)
        return strcmp(a->id, b->id) == 0
                   ? fms_error_set(err, FMS_EINVAL, b->line, "id '%s' appears twice (first at line %ld)", b->id, a->line)
                   : fms_error_set(err, FMS_EINVAL, b->line, "id '%s' differs from '%s' (line %ld) only in case; their "
                                   "files would be one file on a case-insensitive disk", b->id, a->id, a->line);
    qsort(r->sorted, r->n, sizeof *r->sorted, cmp_exact);
    return FMS_OK;
}

long fms_roster_find(const fms_roster *r, const char *id, size_t n)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = r->sorted[mid]->id;
        int c = strncmp(m, id, n);
        if (c == 0)
            c = m[n] != '\0';
        if (c == 0)
            return (long)(r->sorted[mid] - r->entries);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void fms_roster_free(fms_roster *r)
{
    if (r == NULL)
        return;
    free(r->entries);
    free(r->sorted);
    free(r);
}

/* The column of the header record named column (-1 when none). */
static long find_column(const record *hdr, const char *column)
{
    size_t cn = strlen(column);
    for (size_t i = 0; i < hdr->nfields; i++) {
        const char *f;
        size_t n;
        field(hdr, i, &f, &n);
        if (n == cn && strncasecmp(f, column, n) == 0)
            return (long)i;
    }
    return -1;
}

/* Adds the id in field col of record rec. */
static fms_status add_entry(fms_roster *r, size_t *cap, const record *rec, size_t col, const char *column,
                            fms_error *err)
{
    const char *f;
    size_t n;
    if (col >= rec->nfields)
        return fms_error_set(err, FMS_EINVAL, rec->line, "this record has no '%s' field (it has %zu field%s)", column,
                             rec->nfields, rec->nfields == 1 ? "" : "s");
    field(rec, col, &f, &n);
    char id[FMS_ROSTER_ID_MAX + 1];
    snprintf(id, sizeof id, "%.*s", (int)(n < FMS_ROSTER_ID_MAX ? n : FMS_ROSTER_ID_MAX), f);
    const char *why = fms_roster_id_problem(id);
    if (why)
        return fms_error_set(err, FMS_EINVAL, rec->line, "%s%s", why, n == 0 ? " (every student needs an id)" : "");
    if (r->n == FMS_ROSTER_MAX_IDS)
        return fms_error_set(err, FMS_EINVAL, rec->line, "more than %d students", FMS_ROSTER_MAX_IDS);
    if (r->n == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        fms_roster_entry *e = realloc(r->entries, c * sizeof *e);
        if (e == NULL)
            return fms_error_set(err, FMS_ENOMEM, rec->line, "out of memory");
        r->entries = e;
        *cap = c;
    }
    memcpy(r->entries[r->n].id, id, n + 1);
    r->entries[r->n++].line = rec->line;
    return FMS_OK;
}

/* Whether the record is a blank line (one empty field). */
static int blank_record(const record *rec)
{
    const char *f;
    size_t n;
    field(rec, 0, &f, &n);
    return rec->nfields == 1 && n == 0;
}

/* Reads the header and the records into r. */
static fms_status read_all(reader *rd, const char *column, fms_roster *r, fms_error *err)
{
    record rec = { 0 };
    size_t cap = 0;
    long col = -1;
    int more = 1;
    fms_status st = FMS_OK;
    while (st == FMS_OK && more) {
        st = read_record(rd, &rec, &more);
        if (st != FMS_OK || !more || blank_record(&rec))
            continue;
        if (col < 0) {
            col = find_column(&rec, column);
            if (col < 0)
                st = fms_error_set(err, FMS_EINVAL, rec.line, "the header has no '%s' column (the first line names "
                                   "the columns, e.g. id,name)", column);
            continue;
        }
        st = add_entry(r, &cap, &rec, (size_t)col, column, err);
    }
    if (st == FMS_OK && col < 0)
        st = fms_error_set(err, FMS_EINVAL, 0, "the roster is empty (expected a header line with an '%s' column)", column);
    free(rec.buf);
    free(rec.start);
    return st;
}

fms_status fms_roster_parse(const char *name, const char *text, size_t len, const char *column, fms_roster **out,
                            fms_error *err)
{
    *out = NULL;
    fms_error_set_file(err, name);
    if (column == NULL)
        column = "id";
    if (len > FMS_ROSTER_MAX_BYTES)
        return fms_error_set(err, FMS_EINVAL, 0, "the roster is larger than %d bytes", FMS_ROSTER_MAX_BYTES);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    const char *nul = memchr(text, '\0', len);
    if (nul)
        return fms_error_set(err, FMS_EINVAL, 0, "binary data (a NUL byte): a roster is a CSV text file");
    if (!fms_utf8_valid(text, len))
        return fms_error_set(err, FMS_EINVAL, 0, "the roster is not valid UTF-8 text (save it as CSV UTF-8)");
    fms_roster *r = calloc(1, sizeof *r);
    if (r == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    reader rd = { .s = text, .len = len, .line = 1, .err = err };
    fms_status st = read_all(&rd, column, r, err);
    if (st == FMS_OK)
        st = check_unique(r, err);
    if (st != FMS_OK) {
        fms_roster_free(r);
        return st;
    }
    *out = r;
    return FMS_OK;
}

fms_status fms_roster_load(const char *path, const char *column, fms_roster **out, fms_error *err)
{
    char *text;
    size_t len;
    *out = NULL;
    fms_status st = fms_fileio_read(path, FMS_ROSTER_MAX_BYTES, &text, &len, err);
    if (st == FMS_OK)
        st = fms_roster_parse(path, text, len, column, out, err);
    free(text);
    return st;
}

/* exset.c — see exset.h.  The INI syntax is libinih's; this file adds line
 * tracking (through our own line reader), the schema and the validation.
 *
 * The schema is a set of tables: the sections ([set], [data], exercises),
 * the keys of an exercise section with their handlers, and the names of the
 * part and exercise kinds. */
#include "model/exset.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "base/fileio.h"
#include "base/index.h"
#include "base/numfmt.h"
#include "base/strbuf.h"
#include "base/utf8.h"

/* Provided by the generated builtin_exercises.c. */
extern const char fms_builtin_exercises[];
extern const size_t fms_builtin_exercises_len;

/* ---- names ------------------------------------------------------------- */

static const char *const part_kind_names[] = {
    [FMS_PART_EPS] = "eps", [FMS_PART_TARGET] = "target", [FMS_PART_SHARE] = "share", [FMS_PART_LIMIT] = "limit",
};

static const char *const ex_kind_names[] = {
    [FMS_EX_POINT] = "point",
    [FMS_EX_COMPARE] = "compare",
    [FMS_EX_EPS_TO_VELOCITY] = "eps_to_velocity",
    [FMS_EX_EULER_EPS] = "euler_eps",
    [FMS_EX_CONVERT] = "convert",
    [FMS_EX_EULER] = "euler",
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

const char *fms_exset_part_kind_name(fms_part_kind kind)
{
    return (size_t)kind < COUNT(part_kind_names) ? part_kind_names[kind] : "?";
}

const char *fms_exset_kind_name(fms_ex_kind kind)
{
    return (size_t)kind < COUNT(ex_kind_names) ? ex_kind_names[kind] : "?";
}

/* The index of s in names[0..n), or -1. */
static int find_name(const char *const names[], size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

/* ---- parse state ------------------------------------------------------ */

/* The keys of an exercise section; SEEN(k) is key k's bit in pending_ex.seen. */
enum ex_key { KEY_T, KEY_XT, KEY_PARTS, KEY_TEXT, KEY_KIND, KEY_COMPARE, KEY_FROM, KEY_TO, KEY_MODEL, KEY_POINTS,
               KEY_COUNT };
#define SEEN(k) (1u << (k))

typedef struct pending_ex {
    fms_exercise ex;
    unsigned seen;             /* SEEN(k) for every key k given */
    long key_line[KEY_COUNT];  /* the line of each key given */
    int kind_given;
    char compare_ids[2][FMS_ID_MAX];
    long question_line[FMS_MAX_PARTS];
} pending_ex;

typedef struct parser {
    const char *buf;
    size_t len, pos;
    long line;                 /* number of the line last handed to inih */
    int continuation;          /* that line is an indented continuation */
    int stop;                  /* a reader-level error ended the input */
    fms_error *err;

    /* [set] */
    long set_line;             /* header line, 0 when absent */
    char *title;
    long title_line;
    fms_schedule schedule;
    fms_time_convention convention;
    fms_param param;
    long path_line[3];         /* the lines of schedule, convention and param, 0 when absent */
    /* [data] */
    long data_line;            /* header line, 0 when absent */
    size_t ndata, capdata;
    char (*labels)[FMS_LABEL_MAX];
    long double *x, *w;
    long *data_lines;
    fms_index label_index;     /* over labels */
    /* exercises in header order */
    size_t nex, capex;
    pending_ex *ex;
    fms_index ex_index;        /* over ex[i].ex.id */
} parser;

/* Records the first error (at the current line) and returns 0, which tells
 * inih to count this line as bad: every handler ends in `return fail(...)`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(parser *p, fms_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fms_error_vset(p->err, st, p->line, fmt, ap);
    va_end(ap);
    return 0;
}

static int id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= FMS_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!(alnum || (i > 0 && (c == '.' || c == '-' || c == '_'))))
            return 0;
    }
    return s[n - 1] >= '0' && s[n - 1] <= '9';
}

/* Appends " more" to *dst (for continuation lines). */
static int append_str(char **dst, const char *more)
{
    size_t a = strlen(*dst), b = strlen(more);
    char *d = realloc(*dst, a + b + 2);
    if (d == NULL)
        return 0;
    d[a] = ' ';
    memcpy(d + a + 1, more, b + 1);
    *dst = d;
    return 1;
}

static pending_ex *find_pending(parser *p, const char *id)
{
    long i = fms_index_find(&p->ex_index, id);
    return i < 0 ? NULL : &p->ex[i];
}

/* ---- sections ---------------------------------------------------------- */

static int handle_set(parser *p, const char *name, const char *value);
static int handle_data(parser *p, const char *name, const char *value);

/* The fixed sections: name, where their header's line is kept, the handler
 * of their keys.  Any other section is an exercise. */
static const struct section_def {
    const char *name;
    size_t header_line;        /* offset of a long in parser */
    int (*handle)(parser *p, const char *name, const char *value);
} sections[] = {
    { "set", offsetof(parser, set_line), handle_set },
    { "data", offsetof(parser, data_line), handle_data },
};

static const struct section_def *find_section(const char *name)
{
    for (size_t i = 0; i < COUNT(sections); i++)
        if (strcmp(name, sections[i].name) == 0)
            return &sections[i];
    return NULL;
}

/* Opens exercise [id] (a valid, new id) at the current line; 0 (through fail) on failure. */
static int add_exercise(parser *p, const char *id)
{
    if (p->nex == FMS_EXSET_MAX_EXERCISES)
        return fail(p, FMS_EINVAL, "too many exercises: [%s] would be number %d; a set holds at most %d", id,
                    FMS_EXSET_MAX_EXERCISES + 1, FMS_EXSET_MAX_EXERCISES);
    if (p->nex == p->capex) {
        size_t cap = p->capex ? 2 * p->capex : 8;
        if (cap > FMS_EXSET_MAX_EXERCISES)
            cap = FMS_EXSET_MAX_EXERCISES;
        pending_ex *e = realloc(p->ex, cap * sizeof *e);
        if (e == NULL)
            return fail(p, FMS_ENOMEM, "out of memory");
        p->ex = e;
        p->capex = cap;
        fms_index_rebase(&p->ex_index, p->ex[0].ex.id);
    }
    pending_ex *e = &p->ex[p->nex];
    memset(e, 0, sizeof *e);
    snprintf(e->ex.id, sizeof e->ex.id, "%s", id);
    e->ex.line = p->line;
    e->ex.kind = FMS_EX_POINT;
    if (fms_index_add(&p->ex_index, p->nex, NULL) != FMS_OK)
        return fail(p, FMS_ENOMEM, "out of memory");
    p->nex++;
    return 1;
}

/* Called by the line reader for each [header] line: records sections in file
 * order with their line numbers, so that a missing key can be reported at its
 * section and duplicates caught (inih itself would silently merge them).
 * Returns 0 (through fail) when the header is refused. */
static int note_section(parser *p, const char *name, size_t len)
{
    char id[FMS_ID_MAX + 8];
    while (len > 0 && (*name == ' ' || *name == '\t')) {
        name++;
        len--;
    }
    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (len >= FMS_ID_MAX)
        return fail(p, FMS_EINVAL, "section name '%.*s...' is too long (at most %d characters)", 20, name,
                    FMS_ID_MAX - 1);
    memcpy(id, name, len);
    id[len] = '\0';
    const struct section_def *sec = find_section(id);
    if (sec) {
        long *where = (long *)((char *)p + sec->header_line);
        if (*where)
            return fail(p, FMS_EINVAL, "section [%s] appears twice (first at line %ld)", id, *where);
        *where = p->line;
        return 1;
    }
    if (!id_valid(id))
        return fail(p, FMS_EINVAL,
                    "section name '%s' is not 'set', 'data' or an exercise id such as 1.3 "
                    "(letters, digits and '.', ending in a digit)", id);
    pending_ex *dup = find_pending(p, id);
    if (dup)
        return fail(p, FMS_EINVAL, "exercise [%s] appears twice (first at line %ld)", id, dup->ex.line);
    return add_exercise(p, id);
}

/* inih's line source: hands out one line at a time from the buffer and keeps
 * the line number.  A NUL byte or a line longer than inih's buffer stops the
 * parse with an error instead of being split silently. */
static char *read_line(char *str, int num, void *stream)
{
    parser *p = stream;
    if (p->stop || p->pos >= p->len || num < 2)
        return NULL;
    size_t start = p->pos, end = start;
    while (end < p->len && p->buf[end] != '\n')
        end++;
    p->line++;
    size_t n = end - start;
    if (memchr(p->buf + start, '\0', n) != NULL) {
        fail(p, FMS_EINVAL, "binary data (a NUL byte): this is not a text file");
        p->stop = 1;
        return NULL;
    }
    if (n > FMS_EXSET_MAX_LINE || n + 2 > (size_t)num) {
        fail(p, FMS_EINVAL, "line is too long (%zu bytes; at most %d)", n, FMS_EXSET_MAX_LINE);
        p->stop = 1;
        return NULL;
    }
    memcpy(str, p->buf + start, n);
    str[n] = '\n';
    str[n + 1] = '\0';
    p->pos = end < p->len ? end + 1 : end;

    const char *s = str;
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    int blank_or_comment = *s == '\0' || *s == '\n' || *s == ';' || *s == '#';
    p->continuation = (str[0] == ' ' || str[0] == '\t') && !blank_or_comment;
    if (*s == '[' && !p->continuation) {
        const char *close = strchr(s, ']');
        if (close && !note_section(p, s + 1, (size_t)(close - s - 1)))
            p->stop = 1; /* a bad header ends the input */
    }
    return str;
}

/* ---- values ------------------------------------------------------------ */

static int parse_number_key(parser *p, const char *name, const char *value, long double *out)
{
    fms_status st = fms_numfmt_parse_ld(value, out);
    if (st == FMS_ERANGE)
        return fail(p, FMS_EINVAL, "%s = '%s' is too large for a double", name, value);
    if (st != FMS_OK)
        return fail(p, FMS_EINVAL, "%s = '%s' is not a number", name, value);
    return 1;
}

/* Stores a line of free text (UTF-8) in *slot: the first line, or an
 * indented continuation appended with a space.  section is the exercise's id,
 * or NULL for the set's title. */
static int put_text(parser *p, char **slot, const char *name, const char *section, const char *value)
{
    if (!fms_utf8_valid(value, strlen(value)))
        return section ? fail(p, FMS_EINVAL, "'%s' in [%s] is not valid UTF-8 text", name, section)
                       : fail(p, FMS_EINVAL, "the title is not valid UTF-8 text");
    if (*slot && p->continuation)
        return append_str(slot, value) ? 1 : fail(p, FMS_ENOMEM, "out of memory");
    if (*slot)
        return section ? fail(p, FMS_EINVAL, "'%s' is given twice in [%s]", name, section)
                       : fail(p, FMS_EINVAL, "title is given twice");
    *slot = fms_strbuf_dup(value);
    return *slot ? 1 : fail(p, FMS_ENOMEM, "out of memory");
}

/* Splits a comma-separated list into trimmed items; returns the count, or -1
 * when an item is empty or too long, or there are more than max. */
static int split_list(const char *value, char items[][FMS_ID_MAX], int max)
{
    int n = 0;
    const char *s = value;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        while (len > 0 && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        }
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (len == 0 || len >= FMS_ID_MAX || n == max)
            return -1;
        memcpy(items[n], s, len);
        items[n][len] = '\0';
        n++;
        if (!end)
            return n;
        s = end + 1;
    }
}

/* ---- [set] and [data] -------------------------------------------------- */

static int set_title(parser *p, const char *value)
{
    int first = p->title == NULL;
    if (!put_text(p, &p->title, "title", NULL, value))
        return 0;
    if (first)
        p->title_line = p->line;
    return 1;
}

/* The keys of the path (schedule.h, param.h): each parsed by the library,
 * its message quoted; given once, on one line. */
static int set_schedule(parser *p, const char *value)
{
    fms_error e;
    fms_error_clear(&e);
    return fms_schedule_parse(value, &p->schedule, &e) == FMS_OK ? 1 : fail(p, FMS_EINVAL, "schedule: %s", e.msg);
}

static int set_convention(parser *p, const char *value)
{
    fms_error e;
    fms_error_clear(&e);
    return fms_schedule_convention_parse(value, &p->convention, &e) == FMS_OK ? 1
                                                                               : fail(p, FMS_EINVAL, "convention: %s", e.msg);
}

static int set_param(parser *p, const char *value)
{
    fms_error e;
    fms_error_clear(&e);
    return fms_param_parse(value, &p->param, &e) == FMS_OK ? 1 : fail(p, FMS_EINVAL, "param: %s", e.msg);
}

static const struct set_key_def {
    const char *name;
    int path;                  /* index into path_line, or -1 for the title (free text) */
    int (*set)(parser *p, const char *value);
} set_keys[] = {
    { "title", -1, set_title },
    { "schedule", 0, set_schedule },
    { "convention", 1, set_convention },
    { "param", 2, set_param },
};

static int handle_set(parser *p, const char *name, const char *value)
{
    const struct set_key_def *k = NULL;
    for (size_t i = 0; i < COUNT(set_keys); i++)
        if (strcmp(name, set_keys[i].name) == 0)
            k = &set_keys[i];
    if (k == NULL)
        return fail(p, FMS_EINVAL, "unknown key '%s' in [set] (expected title, schedule, convention or param)", name);
    if (k->path >= 0 && p->path_line[k->path] != 0)
        return fail(p, FMS_EINVAL, p->continuation ? "'%s' in [set] does not continue on an indented line"
                                                   : "'%s' is given twice in [set]", name);
    if (!k->set(p, value))
        return 0;
    if (k->path >= 0)
        p->path_line[k->path] = p->line;
    return 1;
}

/* Makes room for one more data point. */
static int grow_data(parser *p, const char *name)
{
    if (p->ndata == FMS_DATA_MAX_POINTS)
        return fail(p, FMS_EINVAL, "too many data points: '%s' would be number %d; a set holds at most %d", name,
                    FMS_DATA_MAX_POINTS + 1, FMS_DATA_MAX_POINTS);
    if (p->ndata < p->capdata)
        return 1;
    size_t cap = p->capdata ? 2 * p->capdata : 8;
    if (cap > FMS_DATA_MAX_POINTS)
        cap = FMS_DATA_MAX_POINTS;
    void *l = realloc(p->labels, cap * sizeof *p->labels);
    if (l) p->labels = l;
    void *x = realloc(p->x, cap * sizeof *p->x);
    if (x) p->x = x;
    void *w = realloc(p->w, cap * sizeof *p->w);
    if (w) p->w = w;
    void *ln = realloc(p->data_lines, cap * sizeof *p->data_lines);
    if (ln) p->data_lines = ln;
    if (!l || !x || !w || !ln)
        return fail(p, FMS_ENOMEM, "out of memory");
    p->capdata = cap;
    fms_index_rebase(&p->label_index, p->labels[0]);
    return 1;
}

/* Reads "VALUE[, PROB]" of data point name into x[k], w[k]. */
static int parse_point(parser *p, size_t k, const char *name, const char *value)
{
    char buf[FMS_EXSET_MAX_LINE];
    snprintf(buf, sizeof buf, "%s", value);
    char *comma = strchr(buf, ',');
    if (comma)
        *comma = '\0';
    if (fms_numfmt_parse_ld(buf, &p->x[k]) != FMS_OK)
        return fail(p, FMS_EINVAL, "the value of data point '%s' is not a number: '%s' (expected VALUE, PROB)", name,
                    buf);
    p->w[k] = 1.0L;
    if (comma == NULL)
        return 1;
    const char *prob = comma + 1;
    while (*prob == ' ' || *prob == '\t')
        prob++;
    if (strchr(prob, ',') != NULL)
        return fail(p, FMS_EINVAL, "data point '%s' has more than VALUE, PROB: '%s'", name, value);
    if (fms_numfmt_parse_ld(prob, &p->w[k]) != FMS_OK)
        return fail(p, FMS_EINVAL, "the probability of data point '%s' is not a number: '%s'", name, prob);
    if (!(p->w[k] > 0.0L))
        return fail(p, FMS_EINVAL, "the probability of data point '%s' must be positive, not %s", name, prob);
    return 1;
}

static int handle_data(parser *p, const char *name, const char *value)
{
    if (p->continuation)
        return fail(p, FMS_EINVAL, "data point '%s' does not continue on an indented line", name);
    if (!fms_data_label_valid(name))
        return fail(p, FMS_EINVAL, "data label '%s' is not a word (letters, digits, '_', starting with a letter)",
                    name);
    long dup = fms_index_find(&p->label_index, name);
    if (dup >= 0)
        return fail(p, FMS_EINVAL, "data label '%s' is used twice (first at line %ld)", name, p->data_lines[dup]);
    if (!grow_data(p, name) || !parse_point(p, p->ndata, name, value))
        return 0;
    snprintf(p->labels[p->ndata], FMS_LABEL_MAX, "%s", name);
    p->data_lines[p->ndata] = p->line;
    if (fms_index_add(&p->label_index, p->ndata, NULL) != FMS_OK)
        return fail(p, FMS_ENOMEM, "out of memory");
    p->ndata++;
    return 1;
}

/* ---- exercise sections ------------------------------------------------- */

static int key_t_value(parser *p, pending_ex *e, const char *value)
{
    if (!parse_number_key(p, "t", value, &e->ex.t_l))
        return 0;
    e->ex.t = (double)e->ex.t_l;
    if (fms_numfmt_parse_one_minus(value, &e->ex.one_minus_t_l) != FMS_OK)
        return fail(p, FMS_EINVAL, "t = '%s' is not a number", value);
    return 1;
}

static int key_x_t(parser *p, pending_ex *e, const char *value)
{
    if (!parse_number_key(p, "x_t", value, &e->ex.x_t_l))
        return 0;
    e->ex.x_t = (double)e->ex.x_t_l;
    return 1;
}

static int key_parts(parser *p, pending_ex *e, const char *value)
{
    char items[FMS_MAX_PARTS][FMS_ID_MAX];
    int n = split_list(value, items, FMS_MAX_PARTS);
    if (n < 0)
        return fail(p, FMS_EINVAL, "parts = '%s' must be 1 to 26 kinds separated by commas", value);
    for (int i = 0; i < n; i++) {
        int kind = find_name(part_kind_names, COUNT(part_kind_names), items[i]);
        if (kind < 0)
            return fail(p, FMS_EINVAL, "unknown part kind '%s' (expected eps, target, share or limit)", items[i]);
        e->ex.parts[i].kind = (fms_part_kind)kind;
    }
    e->ex.nparts = (size_t)n;
    return 1;
}

static int key_text(parser *p, pending_ex *e, const char *value)
{
    return put_text(p, &e->ex.text, "text", e->ex.id, value);
}

static int key_kind(parser *p, pending_ex *e, const char *value)
{
    int kind = find_name(ex_kind_names, COUNT(ex_kind_names), value);
    if (kind < 0)
        return fail(p, FMS_EINVAL,
                    "unknown kind '%s' (expected point, compare, eps_to_velocity, euler_eps, convert or euler)", value);
    e->ex.kind = (fms_ex_kind)kind;
    e->kind_given = 1;
    return 1;
}

static int key_compare(parser *p, pending_ex *e, const char *value)
{
    if (split_list(value, e->compare_ids, 2) != 2)
        return fail(p, FMS_EINVAL, "compare = '%s' must name two exercises, e.g. compare = 1.1, 1.3", value);
    return 1;
}

/* from, to, model: a parameterization (param.h). */
static int key_param(parser *p, const char *name, fms_param *out, const char *value)
{
    fms_error e;
    fms_error_clear(&e);
    return fms_param_parse(value, out, &e) == FMS_OK ? 1 : fail(p, FMS_EINVAL, "%s: %s", name, e.msg);
}

static int key_from(parser *p, pending_ex *e, const char *value)
{
    return key_param(p, "from", &e->ex.from, value);
}

static int key_to(parser *p, pending_ex *e, const char *value)
{
    return key_param(p, "to", &e->ex.to, value);
}

static int key_model(parser *p, pending_ex *e, const char *value)
{
    return key_param(p, "model", &e->ex.model, value);
}

/* points = P or points = Pa, Pb, ...: what the exercise or each part is
 * worth, numbers from 0 to 1e6 (the count is checked in validate_exercise). */
static int key_points(parser *p, pending_ex *e, const char *value)
{
    char items[FMS_MAX_PARTS][FMS_ID_MAX];
    int n = split_list(value, items, FMS_MAX_PARTS);
    if (n < 0)
        return fail(p, FMS_EINVAL, "points = '%s' must be a number, or one number per part separated by commas", value);
    for (int i = 0; i < n; i++) {
        double v;
        if (fms_numfmt_parse(items[i], &v) != FMS_OK || !(v >= 0.0 && v <= 1e6))
            return fail(p, FMS_EINVAL, "points: '%s' is not a number from 0 to 1000000", items[i]);
        e->ex.points[i] = v;
    }
    e->ex.npoints = (size_t)n;
    return 1;
}

/* The keys of an exercise section: name, whether the value is free text
 * that may continue on indented lines, and the handler that stores it. */
static const struct ex_key_def {
    const char *name;
    int free_text;
    int (*set)(parser *p, pending_ex *e, const char *value);
} ex_keys[KEY_COUNT] = {
    [KEY_T] = { "t", 0, key_t_value },
    [KEY_XT] = { "x_t", 0, key_x_t },
    [KEY_PARTS] = { "parts", 0, key_parts },
    [KEY_TEXT] = { "text", 1, key_text },
    [KEY_KIND] = { "kind", 0, key_kind },
    [KEY_COMPARE] = { "compare", 0, key_compare },
    [KEY_FROM] = { "from", 0, key_from },
    [KEY_TO] = { "to", 0, key_to },
    [KEY_MODEL] = { "model", 0, key_model },
    [KEY_POINTS] = { "points", 0, key_points },
};

/* A part's question: key a, b, ... (free text). */
static int handle_question(parser *p, pending_ex *e, const char *name, const char *value)
{
    int q = name[0] - 'a';
    int first = e->ex.parts[q].question == NULL;
    if (!put_text(p, &e->ex.parts[q].question, name, e->ex.id, value))
        return 0;
    if (first)
        e->question_line[q] = p->line;
    return 1;
}

static int handle_exercise(parser *p, pending_ex *e, const char *name, const char *value)
{
    int key = -1;
    for (int k = 0; k < KEY_COUNT; k++)
        if (strcmp(name, ex_keys[k].name) == 0)
            key = k;
    if (key < 0 && name[0] >= 'a' && name[0] <= 'z' && name[1] == '\0')
        return handle_question(p, e, name, value);
    if (key < 0)
        return fail(p, FMS_EINVAL,
                    "unknown key '%s' in [%s] (expected t, x_t, parts, text, kind, compare, from, to, model, points, "
                    "or a part letter a, b, ...)",
                    name, e->ex.id);
    int seen = (e->seen & SEEN(key)) != 0;
    if (seen && !ex_keys[key].free_text)
        return fail(p, FMS_EINVAL, p->continuation ? "'%s' in [%s] does not continue on an indented line"
                                                   : "'%s' is given twice in [%s]", name, e->ex.id);
    if (!ex_keys[key].set(p, e, value))
        return 0;
    if (!seen) {
        e->seen |= SEEN(key);
        e->key_line[key] = p->line;
    }
    return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    parser *p = user;
    if (p->err && p->err->status != FMS_OK)
        return 0;
    if (section[0] == '\0')
        return fail(p, FMS_EINVAL, "'%s' comes before any [section]", name);
    const struct section_def *sec = find_section(section);
    if (sec)
        return sec->handle(p, name, value);
    pending_ex *e = find_pending(p, section);
    if (e == NULL) /* the reader refused this header already */
        return fail(p, FMS_EINVAL, "section [%s] is not valid", section);
    return handle_exercise(p, e, name, value);
}

/* ---- validation -------------------------------------------------------- */

/* 1 when the parsed path is the seed sheet's: condot in data-at-1 time. */
static int path_is_seed(const parser *p)
{
    return p->schedule.kind == FMS_SCHEDULE_CONDOT && p->convention == FMS_DATA_AT_1;
}

/* A point exercise on another path: t in [0, 1] where σ > 0, and the
 * velocity defined there when the set asks for it. */
static fms_status validate_point_path(parser *p, const pending_ex *e)
{
    const fms_exercise *x = &e->ex;
    const long line = e->key_line[KEY_T];
    char name[FMS_SCHEDULE_NAME_MAX];
    fms_schedule_name(&p->schedule, name);
    if (!(x->t_l >= 0.0L && x->t_l <= 1.0L))
        return fms_error_set(p->err, FMS_EINVAL, line, "t = %g is outside [0, 1]", x->t);
    fms_schedule_point pt;
    fms_error e2;
    fms_error_clear(&e2);
    if (fms_schedule_eval(&p->schedule, p->convention, x->t_l, x->one_minus_t_l, &pt, &e2) != FMS_OK)
        return fms_error_set(p->err, FMS_EINVAL, line, "t = %g: %s", x->t, e2.msg);
    if (!(pt.sigma > 0.0L))
        return fms_error_set(p->err, FMS_EINVAL, line,
                             "at t = %g the schedule %s (%s) has σ = 0: x_t = x1 and the noise cannot be recovered "
                             "(a point exercise needs σ > 0)", x->t, name, fms_schedule_convention_name(p->convention));
    if (p->param == FMS_PARAM_VELOCITY && (fms_schedule_point_flags(&pt) & FMS_SCHEDULE_RATE_INFINITE))
        return fms_error_set(p->err, FMS_EINVAL, line,
                             "at t = %g the velocity of the schedule %s is not defined (a rate is infinite); "
                             "choose another t or param", x->t, name);
    return FMS_OK;
}

/* A point exercise: t, x_t and parts given, t in [0, 1) also as a double. */
static fms_status validate_point(parser *p, const pending_ex *e)
{
    fms_error *err = p->err;
    const fms_exercise *x = &e->ex;
    if (!(e->seen & SEEN(KEY_T)))
        return fms_error_set(err, FMS_EINVAL, x->line, "exercise [%s] has no t (a point exercise needs t, x_t and parts)", x->id);
    if (!(e->seen & SEEN(KEY_XT)))
        return fms_error_set(err, FMS_EINVAL, x->line, "exercise [%s] has no x_t (a point exercise needs t, x_t and parts)", x->id);
    if (!(e->seen & SEEN(KEY_PARTS)))
        return fms_error_set(err, FMS_EINVAL, x->line, "exercise [%s] has no parts (e.g. parts = eps, target, share, limit)", x->id);
    if (e->seen & SEEN(KEY_COMPARE))
        return fms_error_set(err, FMS_EINVAL, e->key_line[KEY_COMPARE], "compare is not a key of a point exercise [%s]", x->id);
    if (!path_is_seed(p))
        return validate_point_path(p, e);
    if (x->t_l < 1.0L && x->t >= 1.0)
        return fms_error_set(err, FMS_EINVAL, e->key_line[KEY_T],
                             "t is so close to 1 that it rounds to 1 in double precision; use t <= 1 - 1e-15");
    if (!(x->t_l >= 0.0L && x->t_l < 1.0L))
        return fms_error_set(err, FMS_EINVAL, e->key_line[KEY_T],
                             x->t_l == 1.0L ? "t = 1 is outside [0, 1): at t = 1 the noise cannot be recovered from x_t"
                                         : "t = %g is outside [0, 1)", x->t);
    return FMS_OK;
}

/* The keys of a point exercise are refused in the other kinds. */
static fms_status validate_not_point(parser *p, const pending_ex *e)
{
    static const enum ex_key point_keys[] = { KEY_T, KEY_XT, KEY_PARTS };
    for (size_t i = 0; i < COUNT(point_keys); i++) {
        enum ex_key k = point_keys[i];
        if (e->seen & SEEN(k))
            return fms_error_set(p->err, FMS_EINVAL, e->key_line[k], "%s is only for point exercises, and [%s] is of kind %s",
                                 ex_keys[k].name, e->ex.id, fms_exset_kind_name(e->ex.kind));
    }
    return FMS_OK;
}

/* from, to and model: required by convert and euler, refused elsewhere. */
static fms_status validate_params(parser *p, pending_ex *e)
{
    static const struct { enum ex_key key; fms_ex_kind kind; } owner[] = {
        { KEY_FROM, FMS_EX_CONVERT }, { KEY_TO, FMS_EX_CONVERT }, { KEY_MODEL, FMS_EX_EULER },
    };
    fms_exercise *x = &e->ex;
    for (size_t i = 0; i < COUNT(owner); i++) {
        enum ex_key k = owner[i].key;
        if (x->kind != owner[i].kind && (e->seen & SEEN(k)))
            return fms_error_set(p->err, FMS_EINVAL, e->key_line[k], "%s is only for exercises of kind %s",
                                 ex_keys[k].name, fms_exset_kind_name(owner[i].kind));
        if (x->kind == owner[i].kind && !(e->seen & SEEN(k)))
            return fms_error_set(p->err, FMS_EINVAL, x->line, "exercise [%s] is of kind %s but has no %s = %s",
                                 x->id, fms_exset_kind_name(x->kind), ex_keys[k].name,
                                 "velocity, epsilon, x1, score or v");
    }
    if (x->kind == FMS_EX_CONVERT && x->from == x->to)
        return fms_error_set(p->err, FMS_EINVAL, e->key_line[KEY_TO],
                             "from and to are both %s: a conversion needs two parameterizations", fms_param_name(x->to));
    return FMS_OK;
}

/* Off the seed's path, its two derivations are the general ones for an ε-model. */
static void generalise_kind(const parser *p, fms_exercise *x)
{
    if (path_is_seed(p))
        return;
    if (x->kind == FMS_EX_EPS_TO_VELOCITY) {
        x->kind = FMS_EX_CONVERT;
        x->from = FMS_PARAM_EPSILON;
        x->to = FMS_PARAM_VELOCITY;
    } else if (x->kind == FMS_EX_EULER_EPS) {
        x->kind = FMS_EX_EULER;
        x->model = FMS_PARAM_EPSILON;
    }
}

/* A compare exercise names two different point exercises of the file. */
static fms_status validate_compare(parser *p, pending_ex *e)
{
    fms_error *err = p->err;
    fms_exercise *x = &e->ex;
    const long line = e->key_line[KEY_COMPARE];
    if (!(e->seen & SEEN(KEY_COMPARE)))
        return fms_error_set(err, FMS_EINVAL, x->line, "exercise [%s] is of kind compare but has no compare = ID, ID", x->id);
    for (int k = 0; k < 2; k++) {
        pending_ex *o = find_pending(p, e->compare_ids[k]);
        int point = o && ((o->kind_given && o->ex.kind == FMS_EX_POINT) ||
                          (!o->kind_given && !(o->seen & SEEN(KEY_COMPARE))));
        if (!o)
            return fms_error_set(err, FMS_EINVAL, line, "compare names '%s', which is not an exercise of this file", e->compare_ids[k]);
        if (!point)
            return fms_error_set(err, FMS_EINVAL, line, "compare names '%s', which is not a point exercise", e->compare_ids[k]);
        x->compare[k] = (size_t)(o - p->ex);
    }
    if (x->compare[0] == x->compare[1])
        return fms_error_set(err, FMS_EINVAL, line, "compare names '%s' twice; it needs two different exercises", e->compare_ids[0]);
    return FMS_OK;
}

/* One exercise: its kind settled, its keys and questions fit the kind. */
static fms_status validate_exercise(parser *p, pending_ex *e)
{
    fms_exercise *x = &e->ex;
    if (!e->kind_given)
        x->kind = (e->seen & SEEN(KEY_COMPARE)) ? FMS_EX_COMPARE : FMS_EX_POINT;
    fms_status st = x->kind == FMS_EX_POINT ? validate_point(p, e) : validate_not_point(p, e);
    if (st != FMS_OK)
        return st;
    if (x->npoints > 1 && x->npoints != x->nparts)
        return fms_error_set(p->err, FMS_EINVAL, e->key_line[KEY_POINTS], "points lists %zu numbers, but [%s] has %zu "
                             "part%s (give one number, or one per part)", x->npoints, x->id, x->nparts,
                             x->nparts == 1 ? "" : "s");
    for (size_t q = x->nparts; q < FMS_MAX_PARTS; q++)
        if (x->parts[q].question)
            return fms_error_set(p->err, FMS_EINVAL, e->question_line[q],
                                 "question '%c' in [%s] has no part: the exercise has %zu part%s",
                                 (char)('a' + q), x->id, x->nparts, x->nparts == 1 ? "" : "s");
    if ((st = validate_params(p, e)) != FMS_OK)
        return st;
    generalise_kind(p, x);
    if (x->kind == FMS_EX_COMPARE)
        return validate_compare(p, e);
    if (e->seen & SEEN(KEY_COMPARE))
        return fms_error_set(p->err, FMS_EINVAL, e->key_line[KEY_COMPARE], "compare is only for exercises of kind compare");
    return FMS_OK;
}

/* Checks what only the whole file can tell: required keys, references, the domain of t. */
static fms_status validate(parser *p)
{
    fms_error *err = p->err;
    if (p->data_line == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "there is no [data] section (it lists the data points: A = 0.5, 0.5)");
    if (p->ndata == 0)
        return fms_error_set(err, FMS_EINVAL, p->data_line, "[data] lists no data points (expected LABEL = VALUE, PROB)");
    if (p->nex == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "the file defines no exercises (sections such as [1.1])");
    for (size_t i = 0; i < p->nex; i++) {
        fms_status st = validate_exercise(p, &p->ex[i]);
        if (st != FMS_OK)
            return st;
    }
    return FMS_OK;
}

/* ---- loading ----------------------------------------------------------- */

static void free_exercise(fms_exercise *x)
{
    free(x->text);
    for (size_t k = 0; k < FMS_MAX_PARTS; k++)
        free(x->parts[k].question);
}

void fms_exset_free(fms_exset *set)
{
    if (set == NULL)
        return;
    free(set->title);
    free(set->source);
    fms_data_free(set->data);
    for (size_t i = 0; i < set->n; i++)
        free_exercise(&set->ex[i]);
    free(set->ex);
    fms_index_free(&set->by_id);
    free(set);
}

static void parser_free(parser *p)
{
    for (size_t i = 0; i < p->nex; i++)
        free_exercise(&p->ex[i].ex);
    free(p->ex);
    free(p->title);
    free(p->labels);
    free(p->x);
    free(p->w);
    free(p->data_lines);
    fms_index_free(&p->label_index);
    fms_index_free(&p->ex_index);
}

/* Runs inih over the text with our line reader, then the whole-file checks. */
static fms_status parse_text(parser *p)
{
    /* Debian's libinih reads these at run time: a heap buffer of a fixed size
     * (no silent realloc), so our reader sees, and reports, over-long lines. */
    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_initial_alloc = FMS_EXSET_MAX_LINE + 2; /* the line, its newline and a NUL */
    ini_max_line = FMS_EXSET_MAX_LINE + 2;
    ini_allow_multiline = true;
    ini_stop_on_first_error = true;
    int rc = ini_parse_stream(read_line, p, handler, p);

    fms_status st = p->err->status;
    if (st == FMS_OK && rc == -2)
        st = fms_error_set(p->err, FMS_ENOMEM, 0, "out of memory");
    else if (st == FMS_OK && rc > 0)
        st = fms_error_set(p->err, FMS_EINVAL, rc,
                           "expected 'name = value', a [section] header or a comment; this line is none of them");
    return st == FMS_OK ? validate(p) : st;
}

/* The data of a parsed file; its failure is reported at the [data] header. */
static fms_status build_data(parser *p, fms_data **out)
{
    const char **lp = calloc(p->ndata, sizeof *lp);
    if (lp == NULL)
        return fms_error_set(p->err, FMS_ENOMEM, 0, "out of memory");
    for (size_t k = 0; k < p->ndata; k++)
        lp[k] = p->labels[k];
    fms_error derr;
    fms_error_clear(&derr);
    fms_status st = fms_data_create_l(out, p->ndata, lp, p->x, p->w, &derr);
    if (st != FMS_OK)
        fms_error_set(p->err, st, p->data_line, "%s", derr.msg);
    free(lp);
    return st;
}

/* Moves what the parser holds into a new set. */
static fms_status build_set(parser *p, const char *name, fms_exset **out)
{
    fms_exset *set = calloc(1, sizeof *set);
    if (set == NULL)
        return fms_error_set(p->err, FMS_ENOMEM, 0, "out of memory");
    set->ex = calloc(p->nex, sizeof *set->ex);
    set->source = fms_strbuf_dup(name ? name : "");
    fms_status st = !set->ex || !set->source ? fms_error_set(p->err, FMS_ENOMEM, 0, "out of memory")
                                             : build_data(p, &set->data);
    if (st != FMS_OK) {
        fms_exset_free(set);
        return st;
    }
    for (size_t i = 0; i < p->nex; i++)
        set->ex[i] = p->ex[i].ex; /* moves the strings */
    set->n = p->nex;
    p->nex = 0;
    set->title = p->title;
    p->title = NULL;
    set->schedule = p->schedule;
    set->convention = p->convention;
    set->param = p->param;
    st = fms_index_build(&set->by_id, set->ex[0].id, sizeof *set->ex, set->n, 0, p->err);
    if (st != FMS_OK) {
        fms_exset_free(set);
        return st;
    }
    *out = set;
    return FMS_OK;
}

/* The one message for a file past exercise-file-bytes (docs/limits.md), of
 * len bytes (0: unknown, a pipe). */
static fms_status too_large(fms_error *err, unsigned long long len)
{
    if (len == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "the file has more than %d bytes; an exercise file holds at most %d "
                             "(exercise-file-bytes)", FMS_EXSET_MAX_BYTES, FMS_EXSET_MAX_BYTES);
    return fms_error_set(err, FMS_EINVAL, 0, "the file has %llu bytes; an exercise file holds at most %d (exercise-file-bytes)",
                         len, FMS_EXSET_MAX_BYTES);
}

fms_status fms_exset_load_string(const char *name, const char *text, size_t len,
                                 fms_exset **out, fms_error *err)
{
    *out = NULL;
    fms_error local;
    fms_error_clear(&local);
    if (err == NULL)
        err = &local;
    fms_error_set_file(err, name);
    if (len > FMS_EXSET_MAX_BYTES)
        return too_large(err, len);

    /* A UTF-8 byte-order mark (editors on Windows write one) is not content. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    parser p;
    memset(&p, 0, sizeof p);
    fms_schedule_default(&p.schedule); /* condot, data-at-1, velocity: the seed's path */
    p.buf = text;
    p.len = len;
    p.err = err;
    fms_index_init(&p.label_index, NULL, sizeof *p.labels, 0);
    fms_index_init(&p.ex_index, NULL, sizeof *p.ex, 0);
    fms_status st = parse_text(&p);
    if (st == FMS_OK)
        st = build_set(&p, name, out);
    parser_free(&p);
    return st;
}

fms_status fms_exset_load_file(const char *path, fms_exset **out, fms_error *err)
{
    *out = NULL;
    fms_error_set_file(err, path);
    char *buf;
    size_t n;
    fms_error local;
    fms_error_clear(&local);
    fms_status st = fms_fileio_read(path, FMS_EXSET_MAX_BYTES, &buf, &n, &local);
    if (st == FMS_EINVAL) /* past the limit: n is the size, or 0 from a pipe */
        return too_large(err, n);
    if (st != FMS_OK)
        return fms_error_set(err, st, 0, "%s", local.msg);
    st = fms_exset_load_string(path, buf, n, out, err);
    free(buf);
    return st;
}

const char *fms_exset_builtin_text(size_t *len)
{
    if (len)
        *len = fms_builtin_exercises_len;
    return fms_builtin_exercises;
}

fms_status fms_exset_load_builtin(fms_exset **out, fms_error *err)
{
    return fms_exset_load_string("exercises/discussion11.ini (built in)", fms_builtin_exercises,
                                 fms_builtin_exercises_len, out, err);
}

long fms_exset_find(const fms_exset *set, const char *id)
{
    return fms_index_find(&set->by_id, id);
}

fms_status fms_exset_resolve(const fms_exset *set, const char *ref, long *ex, long *part, fms_error *err)
{
    *ex = -1;
    *part = -1;
    size_t n = strlen(ref);
    if (n == 0 || n >= FMS_ID_MAX + 1)
        return fms_error_set(err, FMS_ENOTFOUND, 0, "'%.40s' is not an exercise id (try 'fmsolve list')", ref);
    long i = fms_exset_find(set, ref);
    if (i >= 0) {
        *ex = i;
        return FMS_OK;
    }
    char c = ref[n - 1];
    if (n >= 2 && c >= 'a' && c <= 'z') {
        char id[FMS_ID_MAX + 1];
        memcpy(id, ref, n - 1);
        id[n - 1] = '\0';
        i = fms_exset_find(set, id);
        if (i >= 0) {
            const fms_exercise *x = &set->ex[i];
            if ((size_t)(c - 'a') >= x->nparts) {
                if (x->nparts == 0)
                    return fms_error_set(err, FMS_ENOTFOUND, 0, "exercise %s has no parts; ask for '%s'", id, id);
                return fms_error_set(err, FMS_ENOTFOUND, 0, "exercise %s has parts a to %c; there is no part %c",
                                     id, (char)('a' + x->nparts - 1), c);
            }
            *ex = i;
            *part = c - 'a';
            return FMS_OK;
        }
    }
    return fms_error_set(err, FMS_ENOTFOUND, 0, "there is no exercise '%.40s' in this set (try 'fmsolve list')", ref);
}

fms_status fms_exset_eval(const fms_data *d, const fms_exercise *x, fms_component *comp,
                             fms_posterior *post, fms_error *err)
{
    if (x->kind != FMS_EX_POINT)
        return fms_error_set(err, FMS_EINVAL, 0, "exercise %s is not a point (x_t, t)", x->id);
    return fms_engine_eval_lt(d, x->t_l, x->one_minus_t_l, x->x_t_l, comp, post, err);
}

int fms_exset_seed_path(const fms_exset *set)
{
    return set->schedule.kind == FMS_SCHEDULE_CONDOT && set->convention == FMS_DATA_AT_1;
}

fms_status fms_exset_eval_path(const fms_exset *set, const fms_exercise *x, fms_component *comp,
                               fms_affine_result *res, fms_schedule_point *pt, fms_error *err)
{
    if (x->kind != FMS_EX_POINT)
        return fms_error_set(err, FMS_EINVAL, 0, "exercise %s is not a point (x_t, t)", x->id);
    fms_schedule_point local;
    fms_schedule_point *s = pt ? pt : &local;
    fms_status st = fms_schedule_eval(&set->schedule, set->convention, x->t_l, x->one_minus_t_l, s, err);
    return st != FMS_OK ? st : fms_affine_eval(set->data, s, x->x_t_l, comp, res, err);
}

double fms_exset_target(const fms_exset *set, const fms_schedule_point *pt, size_t k, const fms_component *c)
{
    const long double x = set->data->x_l[k], eps = c->eps;
    switch (set->param) {
    case FMS_PARAM_EPSILON: return c->eps;
    case FMS_PARAM_X1: return set->data->x[k];
    case FMS_PARAM_SCORE: return (double)(-eps / pt->sigma);
    case FMS_PARAM_V: return (double)(pt->alpha * eps - pt->sigma * x);
    default: return c->u;
    }
}

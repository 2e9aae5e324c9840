/* exset.c — see exset.h.  The INI syntax is libinih's; this file adds line
 * tracking (through our own line reader), the schema and the validation. */
#include "model/exset.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "base/numfmt.h"

/* Provided by the generated builtin_exercises.c. */
extern const char fms_builtin_exercises[];
extern const size_t fms_builtin_exercises_len;

const char *fms_exset_part_kind_name(fms_part_kind kind)
{
    switch (kind) {
    case FMS_PART_EPS: return "eps";
    case FMS_PART_TARGET: return "target";
    case FMS_PART_SHARE: return "share";
    case FMS_PART_LIMIT: return "limit";
    }
    return "?";
}

const char *fms_exset_kind_name(fms_ex_kind kind)
{
    switch (kind) {
    case FMS_EX_POINT: return "point";
    case FMS_EX_COMPARE: return "compare";
    case FMS_EX_EPS_TO_VELOCITY: return "eps_to_velocity";
    case FMS_EX_EULER_EPS: return "euler_eps";
    }
    return "?";
}

/* ---- parse state ------------------------------------------------------ */

enum { SEEN_T = 1, SEEN_XT = 2, SEEN_PARTS = 4, SEEN_TEXT = 8, SEEN_KIND = 16, SEEN_COMPARE = 32, SEEN_POINTS = 64 };

typedef struct pending_ex {
    fms_exercise ex;
    unsigned seen;
    long key_line[8];          /* line of t, x_t, parts, text, kind, compare, points */
    int kind_given;
    char compare_ids[2][FMS_ID_MAX];
    unsigned question_seen;    /* bit per part letter */
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
    char *title;
    long title_line;
    /* [data] */
    long data_line;            /* header line, 0 when absent */
    size_t ndata, capdata;
    char (*labels)[FMS_LABEL_MAX];
    long double *x, *w;
    long *data_lines;
    /* exercises in header order */
    size_t nex, capex;
    pending_ex *ex;
    long set_line;
} parser;

static int fail(parser *p, fms_status st, const char *fmt, const char *a, const char *b)
{
    /* One place that keeps the first error and tells inih to count this line as bad. */
    fms_error_set(p->err, st, p->line, fmt, a ? a : "", b ? b : "");
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

static int utf8_valid(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        if (*u < 0x80) {
            u++;
            continue;
        }
        int n = (*u & 0xE0) == 0xC0 ? 1 : (*u & 0xF0) == 0xE0 ? 2 : (*u & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || *u == 0xC0 || *u == 0xC1 || *u > 0xF4)
            return 0;
        for (int i = 1; i <= n; i++)
            if ((u[i] & 0xC0) != 0x80)
                return 0;
        u += n + 1;
    }
    return 1;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
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
    for (size_t i = 0; i < p->nex; i++)
        if (strcmp(p->ex[i].ex.id, id) == 0)
            return &p->ex[i];
    return NULL;
}

/* Called by the line reader for each [header] line: records sections in file
 * order with their line numbers, so that a missing key can be reported at its
 * section and duplicates caught (inih itself would silently merge them). */
static void note_section(parser *p, const char *name, size_t len)
{
    char id[FMS_ID_MAX + 8];
    while (len > 0 && (*name == ' ' || *name == '\t')) {
        name++;
        len--;
    }
    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (len >= FMS_ID_MAX) {
        fms_error_set(p->err, FMS_EINVAL, p->line, "section name '%.*s...' is too long (at most %d characters)",
                      20, name, FMS_ID_MAX - 1);
        p->stop = 1;
        return;
    }
    memcpy(id, name, len);
    id[len] = '\0';
    if (strcmp(id, "set") == 0 || strcmp(id, "data") == 0) {
        long *where = id[0] == 's' ? &p->set_line : &p->data_line;
        if (*where) {
            fms_error_set(p->err, FMS_EINVAL, p->line, "section [%s] appears twice (first at line %ld)", id, *where);
            p->stop = 1;
        }
        *where = p->line;
        return;
    }
    if (!id_valid(id)) {
        fms_error_set(p->err, FMS_EINVAL, p->line,
                      "section name '%s' is not 'set', 'data' or an exercise id such as 1.3 "
                      "(letters, digits and '.', ending in a digit)", id);
        p->stop = 1;
        return;
    }
    pending_ex *dup = find_pending(p, id);
    if (dup) {
        fms_error_set(p->err, FMS_EINVAL, p->line, "exercise [%s] appears twice (first at line %ld)", id, dup->ex.line);
        p->stop = 1;
        return;
    }
    if (p->nex == p->capex) {
        size_t cap = p->capex ? 2 * p->capex : 8;
        if (cap > 10000) {
            fms_error_set(p->err, FMS_EINVAL, p->line, "too many exercises (at most 10000)");
            p->stop = 1;
            return;
        }
        pending_ex *e = realloc(p->ex, cap * sizeof *e);
        if (e == NULL) {
            fms_error_set(p->err, FMS_ENOMEM, p->line, "out of memory");
            p->stop = 1;
            return;
        }
        p->ex = e;
        p->capex = cap;
    }
    pending_ex *e = &p->ex[p->nex++];
    memset(e, 0, sizeof *e);
    memcpy(e->ex.id, id, len + 1);
    e->ex.line = p->line;
    e->ex.kind = FMS_EX_POINT;
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
        fms_error_set(p->err, FMS_EINVAL, p->line, "binary data (a NUL byte): this is not a text file");
        p->stop = 1;
        return NULL;
    }
    if (n + 2 > (size_t)num) {
        fms_error_set(p->err, FMS_EINVAL, p->line, "line is too long (%zu bytes; at most %d)", n, num - 3);
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
        if (close)
            note_section(p, s + 1, (size_t)(close - s - 1));
    }
    return str;
}

static int parse_number_key(parser *p, const char *name, const char *value, long double *out)
{
    fms_status st = fms_numfmt_parse_ld(value, out);
    if (st == FMS_ERANGE) {
        fail(p, FMS_EINVAL, "%s = '%s' is too large for a double", name, value);
        return 0;
    }
    if (st != FMS_OK) {
        fail(p, FMS_EINVAL, "%s = '%s' is not a number", name, value);
        return 0;
    }
    return 1;
}

static int handle_data(parser *p, const char *name, const char *value)
{
    if (!fms_data_label_valid(name))
        return fail(p, FMS_EINVAL, "data label '%s' is not a word (letters, digits, '_', starting with a letter)%s",
                    name, "");
    for (size_t k = 0; k < p->ndata; k++)
        if (strcmp(p->labels[k], name) == 0) {
            char first[32];
            snprintf(first, sizeof first, "%ld", p->data_lines[k]);
            return fail(p, FMS_EINVAL, "data label '%s' is used twice (first at line %s)", name, first);
        }
    if (p->ndata == p->capdata) {
        size_t cap = p->capdata ? 2 * p->capdata : 8;
        if (cap > 2 * (size_t)FMS_DATA_MAX_POINTS)
            return fail(p, FMS_EINVAL, "too many data points%s%s", "", "");
        void *l = realloc(p->labels, cap * sizeof *p->labels);
        if (l) p->labels = l;
        void *x = realloc(p->x, cap * sizeof *p->x);
        if (x) p->x = x;
        void *w = realloc(p->w, cap * sizeof *p->w);
        if (w) p->w = w;
        void *ln = realloc(p->data_lines, cap * sizeof *p->data_lines);
        if (ln) p->data_lines = ln;
        if (!l || !x || !w || !ln)
            return fail(p, FMS_ENOMEM, "out of memory%s%s", "", "");
        p->capdata = cap;
    }
    char buf[FMS_EXSET_MAX_LINE];
    snprintf(buf, sizeof buf, "%s", value);
    char *comma = strchr(buf, ',');
    if (comma)
        *comma = '\0';
    size_t k = p->ndata;
    if (fms_numfmt_parse_ld(buf, &p->x[k]) != FMS_OK)
        return fail(p, FMS_EINVAL, "the value of data point '%s' is not a number: '%s' (expected VALUE, PROB)", name, buf);
    p->w[k] = 1.0L;
    if (comma) {
        const char *prob = comma + 1;
        while (*prob == ' ' || *prob == '\t')
            prob++;
        if (strchr(prob, ',') != NULL)
            return fail(p, FMS_EINVAL, "data point '%s' has more than VALUE, PROB: '%s'", name, value);
        if (fms_numfmt_parse_ld(prob, &p->w[k]) != FMS_OK)
            return fail(p, FMS_EINVAL, "the probability of data point '%s' is not a number: '%s'", name, prob);
        if (!(p->w[k] > 0.0L))
            return fail(p, FMS_EINVAL, "the probability of data point '%s' must be positive, not %s", name, prob);
    }
    snprintf(p->labels[k], FMS_LABEL_MAX, "%s", name);
    p->data_lines[k] = p->line;
    p->ndata++;
    return 1;
}

static int parse_part_kind(const char *s, fms_part_kind *kind)
{
    static const fms_part_kind all[] = { FMS_PART_EPS, FMS_PART_TARGET, FMS_PART_SHARE, FMS_PART_LIMIT };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(s, fms_exset_part_kind_name(all[i])) == 0) {
            *kind = all[i];
            return 1;
        }
    return 0;
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

/* points = P or points = Pa, Pb, ...: numbers from 0 to 1e6 (the count is
 * checked against the parts in validate). */
static int parse_points(parser *p, pending_ex *e, const char *value)
{
    char items[FMS_MAX_PARTS][FMS_ID_MAX];
    int n = split_list(value, items, FMS_MAX_PARTS);
    if (n < 0)
        return fail(p, FMS_EINVAL, "points = '%s' must be a number, or one number per part separated by commas%s",
                    value, "");
    for (int i = 0; i < n; i++) {
        double v;
        if (fms_numfmt_parse(items[i], &v) != FMS_OK || !(v >= 0.0 && v <= 1e6))
            return fail(p, FMS_EINVAL, "points: '%s' is not a number from 0 to 1000000%s", items[i], "");
        e->ex.points[i] = v;
    }
    e->ex.npoints = (size_t)n;
    return 1;
}

static int handle_exercise(parser *p, pending_ex *e, const char *name, const char *value)
{
    static const char *const keys[] = { "t", "x_t", "parts", "text", "kind", "compare", "points" };
    int key = -1;
    for (int i = 0; i < 7; i++)
        if (strcmp(name, keys[i]) == 0)
            key = i;
    int question = -1;
    if (key < 0 && name[0] >= 'a' && name[0] <= 'z' && name[1] == '\0')
        question = name[0] - 'a';
    if (key < 0 && question < 0)
        return fail(p, FMS_EINVAL,
                    "unknown key '%s' in [%s] (expected t, x_t, parts, text, kind, compare, points, or a part letter a, b, ...)",
                    name, e->ex.id);

    if (key == 3 || question >= 0) { /* free text: may continue on indented lines */
        if (!utf8_valid(value))
            return fail(p, FMS_EINVAL, "'%s' in [%s] is not valid UTF-8 text", name, e->ex.id);
        char **slot = key == 3 ? &e->ex.text : &e->ex.parts[question].question;
        unsigned bit = key == 3 ? SEEN_TEXT : 0;
        int seen = key == 3 ? (e->seen & SEEN_TEXT) != 0 : (e->question_seen >> question) & 1u;
        if (seen && p->continuation) {
            if (!append_str(slot, value))
                return fail(p, FMS_ENOMEM, "out of memory%s%s", "", "");
            return 1;
        }
        if (seen)
            return fail(p, FMS_EINVAL, "'%s' is given twice in [%s]", name, e->ex.id);
        *slot = dup_str(value);
        if (*slot == NULL)
            return fail(p, FMS_ENOMEM, "out of memory%s%s", "", "");
        if (key == 3) {
            e->seen |= bit;
            e->key_line[3] = p->line;
        } else {
            e->question_seen |= 1u << question;
            e->question_line[question] = p->line;
        }
        return 1;
    }

    unsigned bit = 1u << key;
    if (e->seen & bit)
        return fail(p, FMS_EINVAL, p->continuation ? "'%s' in [%s] does not continue on an indented line"
                                                   : "'%s' is given twice in [%s]", name, e->ex.id);
    e->seen |= bit;
    e->key_line[key] = p->line;
    switch (key) {
    case 0:
        if (!parse_number_key(p, "t", value, &e->ex.t_l))
            return 0;
        e->ex.t = (double)e->ex.t_l;
        if (fms_numfmt_parse_one_minus(value, &e->ex.one_minus_t_l) != FMS_OK)
            return fail(p, FMS_EINVAL, "t = '%s' is not a number%s", value, "");
        return 1;
    case 1:
        if (!parse_number_key(p, "x_t", value, &e->ex.x_t_l))
            return 0;
        e->ex.x_t = (double)e->ex.x_t_l;
        return 1;
    case 2: {
        char items[FMS_MAX_PARTS][FMS_ID_MAX];
        int n = split_list(value, items, FMS_MAX_PARTS);
        if (n < 0)
            return fail(p, FMS_EINVAL, "parts = '%s' must be 1 to 26 kinds separated by commas%s", value, "");
        for (int i = 0; i < n; i++)
            if (!parse_part_kind(items[i], &e->ex.parts[i].kind))
                return fail(p, FMS_EINVAL, "unknown part kind '%s' (expected eps, target, share or limit)%s",
                            items[i], "");
        e->ex.nparts = (size_t)n;
        return 1;
    }
    case 4:
        if (strcmp(value, "point") == 0)
            e->ex.kind = FMS_EX_POINT;
        else if (strcmp(value, "compare") == 0)
            e->ex.kind = FMS_EX_COMPARE;
        else if (strcmp(value, "eps_to_velocity") == 0)
            e->ex.kind = FMS_EX_EPS_TO_VELOCITY;
        else if (strcmp(value, "euler_eps") == 0)
            e->ex.kind = FMS_EX_EULER_EPS;
        else
            return fail(p, FMS_EINVAL, "unknown kind '%s' (expected point, compare, eps_to_velocity or euler_eps)%s",
                        value, "");
        e->kind_given = 1;
        return 1;
    case 5: {
        int n = split_list(value, e->compare_ids, 2);
        if (n != 2)
            return fail(p, FMS_EINVAL, "compare = '%s' must name two exercises, e.g. compare = 1.1, 1.3%s", value, "");
        return 1;
    }
    case 6:
        return parse_points(p, e, value);
    }
    return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    parser *p = user;
    if (p->err && p->err->status != FMS_OK)
        return 0;
    if (section[0] == '\0')
        return fail(p, FMS_EINVAL, "'%s' comes before any [section]%s", name, "");
    if (strcmp(section, "set") == 0) {
        if (strcmp(name, "title") != 0)
            return fail(p, FMS_EINVAL, "unknown key '%s' in [set] (expected title)%s", name, "");
        if (!utf8_valid(value))
            return fail(p, FMS_EINVAL, "the title is not valid UTF-8 text%s%s", "", "");
        if (p->title && p->continuation) {
            if (!append_str(&p->title, value))
                return fail(p, FMS_ENOMEM, "out of memory%s%s", "", "");
            return 1;
        }
        if (p->title)
            return fail(p, FMS_EINVAL, "title is given twice%s%s", "", "");
        p->title = dup_str(value);
        p->title_line = p->line;
        return p->title ? 1 : fail(p, FMS_ENOMEM, "out of memory%s%s", "", "");
    }
    if (strcmp(section, "data") == 0) {
        if (p->continuation)
            return fail(p, FMS_EINVAL, "data point '%s' does not continue on an indented line%s", name, "");
        return handle_data(p, name, value);
    }
    pending_ex *e = find_pending(p, section);
    if (e == NULL) /* the reader refused this header already */
        return fail(p, FMS_EINVAL, "section [%s] is not valid%s", section, "");
    return handle_exercise(p, e, name, value);
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
        pending_ex *e = &p->ex[i];
        fms_exercise *x = &e->ex;
        if (!e->kind_given)
            x->kind = (e->seen & SEEN_COMPARE) ? FMS_EX_COMPARE : FMS_EX_POINT;
        if (x->kind == FMS_EX_POINT) {
            if (!(e->seen & SEEN_T))
                return fms_error_set(err, FMS_EINVAL, x->line, "exercise [%s] has no t (a point exercise needs t, x_t and parts)", x->id);
            if (!(e->seen & SEEN_XT))
                return fms_error_set(err, FMS_EINVAL, x->line, "exercise [%s] has no x_t (a point exercise needs t, x_t and parts)", x->id);
            if (!(e->seen & SEEN_PARTS))
                return fms_error_set(err, FMS_EINVAL, x->line, "exercise [%s] has no parts (e.g. parts = eps, target, share, limit)", x->id);
            if (x->t_l < 1.0L && x->t >= 1.0)
                return fms_error_set(err, FMS_EINVAL, e->key_line[0],
                                     "t is so close to 1 that it rounds to 1 in double precision; use t <= 1 - 1e-15");
            if (!(x->t_l >= 0.0L && x->t_l < 1.0L))
                return fms_error_set(err, FMS_EINVAL, e->key_line[0],
                                     x->t_l == 1.0L ? "t = 1 is outside [0, 1): at t = 1 the noise cannot be recovered from x_t"
                                                 : "t = %g is outside [0, 1)", x->t);
            if (e->seen & SEEN_COMPARE)
                return fms_error_set(err, FMS_EINVAL, e->key_line[5], "compare is not a key of a point exercise [%s]", x->id);
        } else {
            static const char *const names[] = { "t", "x_t", "parts" };
            for (int k = 0; k < 3; k++)
                if (e->seen & (1u << k))
                    return fms_error_set(err, FMS_EINVAL, e->key_line[k], "%s is only for point exercises, and [%s] is of kind %s",
                                         names[k], x->id, fms_exset_kind_name(x->kind));
        }
        if (x->npoints > 1 && x->npoints != x->nparts)
            return fms_error_set(err, FMS_EINVAL, e->key_line[6], "points lists %zu numbers, but [%s] has %zu part%s "
                                 "(give one number, or one per part)", x->npoints, x->id, x->nparts,
                                 x->nparts == 1 ? "" : "s");
        for (int q = 0; q < FMS_MAX_PARTS; q++)
            if (((e->question_seen >> q) & 1u) && (size_t)q >= x->nparts)
                return fms_error_set(err, FMS_EINVAL, e->question_line[q],
                                     "question '%c' in [%s] has no part: the exercise has %zu part%s",
                                     'a' + q, x->id, x->nparts, x->nparts == 1 ? "" : "s");
        if (x->kind == FMS_EX_COMPARE) {
            if (!(e->seen & SEEN_COMPARE))
                return fms_error_set(err, FMS_EINVAL, x->line, "exercise [%s] is of kind compare but has no compare = ID, ID", x->id);
            for (int k = 0; k < 2; k++) {
                pending_ex *o = find_pending(p, e->compare_ids[k]);
                int point = o && ((o->kind_given && o->ex.kind == FMS_EX_POINT) || (!o->kind_given && !(o->seen & SEEN_COMPARE)));
                if (!o)
                    return fms_error_set(err, FMS_EINVAL, e->key_line[5], "compare names '%s', which is not an exercise of this file", e->compare_ids[k]);
                if (!point)
                    return fms_error_set(err, FMS_EINVAL, e->key_line[5], "compare names '%s', which is not a point exercise", e->compare_ids[k]);
                x->compare[k] = (size_t)(o - p->ex);
            }
            if (x->compare[0] == x->compare[1])
                return fms_error_set(err, FMS_EINVAL, e->key_line[5], "compare names '%s' twice; it needs two different exercises", e->compare_ids[0]);
        } else if (e->seen & SEEN_COMPARE) {
            return fms_error_set(err, FMS_EINVAL, e->key_line[5], "compare is only for exercises of kind compare");
        }
    }
    return FMS_OK;
}

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
    free(set);
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
        return fms_error_set(err, FMS_EINVAL, 0, "the file is larger than %d bytes; exercise files are small text files",
                             FMS_EXSET_MAX_BYTES);

    /* A UTF-8 byte-order mark (editors on Windows write one) is not content. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    parser p;
    memset(&p, 0, sizeof p);
    p.buf = text;
    p.len = len;
    p.err = err;
    /* Debian's libinih reads these at run time: a heap buffer of a fixed size
     * (no silent realloc), so our reader sees, and reports, over-long lines. */
    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_initial_alloc = FMS_EXSET_MAX_LINE;
    ini_max_line = FMS_EXSET_MAX_LINE;
    ini_allow_multiline = true;
    ini_stop_on_first_error = true;
    int rc = ini_parse_stream(read_line, &p, handler, &p);

    fms_status st = err->status;
    if (st == FMS_OK && rc == -2)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    else if (st == FMS_OK && rc > 0)
        st = fms_error_set(err, FMS_EINVAL, rc,
                           "expected 'name = value', a [section] header or a comment; this line is none of them");
    if (st == FMS_OK)
        st = validate(&p);

    fms_exset *set = NULL;
    if (st == FMS_OK) {
        set = calloc(1, sizeof *set);
        if (set == NULL)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    if (st == FMS_OK) {
        const char **lp = calloc(p.ndata, sizeof *lp);
        set->ex = calloc(p.nex, sizeof *set->ex);
        set->source = dup_str(name ? name : "");
        if (!lp || !set->ex || !set->source) {
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        } else {
            for (size_t k = 0; k < p.ndata; k++)
                lp[k] = p.labels[k];
            fms_error derr;
            fms_error_clear(&derr);
            st = fms_data_create_l(&set->data, p.ndata, lp, p.x, p.w, &derr);
            if (st != FMS_OK)
                fms_error_set(err, st, p.data_line, "%s", derr.msg);
        }
        free(lp);
    }
    if (st == FMS_OK) {
        for (size_t i = 0; i < p.nex; i++)
            set->ex[i] = p.ex[i].ex; /* moves the strings */
        set->n = p.nex;
        p.nex = 0;
        set->title = p.title;
        p.title = NULL;
        *out = set;
        set = NULL;
    }
    fms_exset_free(set);
    for (size_t i = 0; i < p.nex; i++)
        free_exercise(&p.ex[i].ex);
    free(p.ex);
    free(p.title);
    free(p.labels);
    free(p.x);
    free(p.w);
    free(p.data_lines);
    return st;
}

fms_status fms_exset_load_file(const char *path, fms_exset **out, fms_error *err)
{
    *out = NULL;
    fms_error_set_file(err, path);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fms_error_set(err, FMS_EIO, 0, "cannot open: %s", strerror(errno));
    char *buf = malloc(FMS_EXSET_MAX_BYTES + 1);
    if (buf == NULL) {
        fclose(f);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    size_t n = fread(buf, 1, FMS_EXSET_MAX_BYTES + 1, f);
    int bad = ferror(f);
    fclose(f);
    fms_status st;
    if (bad)
        st = fms_error_set(err, FMS_EIO, 0, "cannot read (is it a directory?)");
    else
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
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->ex[i].id, id) == 0)
            return (long)i;
    return -1;
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

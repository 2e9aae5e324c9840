/* variant.c — see variant.h.  A template is parsed once into pieces (literal
 * text, drawn slots, references) whose concatenation is the concrete file;
 * drawing renders the pieces for a seed and loads the result with exset. */
#include "model/variant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/numfmt.h"
#include "model/keep.h"

typedef enum piece_kind { P_TEXT, P_SLOT, P_REF } piece_kind;

typedef struct piece {
    piece_kind kind;
    const char *s;    /* P_TEXT: the bytes; P_REF: the reference's name */
    size_t len;
    size_t index;     /* P_SLOT: the slot; P_REF: the key it resolves to */
    size_t section;   /* P_REF: the section it appears in */
    long line;
    int text_mode;    /* P_REF in free text: a minus is written U+2212 */
} piece;

typedef struct slot {
    size_t section, k;  /* the section's index and the slot's index within it */
    int range;
    const char *choices; /* the text between the braces */
    size_t nchoices;     /* choices: the count; ranges: the count of LO + j·STEP ≤ HI */
    long long lo, step;  /* ranges: in units of 10^-scale */
    int scale;
} slot;

typedef struct vkey {
    size_t section;
    const char *name;
    size_t name_len;
    size_t first, end;  /* the pieces of its value */
} vkey;

typedef struct vsection {
    char name[FMS_ID_MAX];
    size_t nslots;
    fms_keep keep;
    long keep_line;
    const char *keep_text;
    size_t keep_len;
} vsection;

struct fms_variant {
    char *name;
    char *text;
    size_t len;
    piece *pieces;
    size_t npieces, cap_pieces;
    slot *slots;
    size_t nslots, cap_slots;
    vkey *keys;
    size_t nkeys, cap_keys;
    vsection *sections;
    size_t nsections, cap_sections;
};

/* Parse state: the template, the line being read and the error. */
typedef struct pstate {
    fms_variant *v;
    long line;
    fms_error *err;
} pstate;

/* ---- the generator ----------------------------------------------------- */

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t fms_variant_index(uint64_t seed, uint64_t section, uint64_t slot_k, uint64_t attempt, uint64_t m)
{
    uint64_t h = mix(mix(mix(mix(seed) ^ section) ^ slot_k) ^ attempt);
    return m ? h % m : 0;
}

/* ---- growing arrays ----------------------------------------------------- */

/* Makes room for one more element in *arr (n used of *cap, elements of size
 * bytes); returns 0 when out of memory. */
static int grow(void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 1;
    size_t c = *cap ? 2 * *cap : 16;
    void *a = realloc(*arr, c * size);
    if (a == NULL)
        return 0;
    *arr = a;
    *cap = c;
    return 1;
}

static fms_status oom(pstate *p)
{
    return fms_error_set(p->err, FMS_ENOMEM, p->line, "out of memory");
}

static fms_status add_piece(pstate *p, piece pc)
{
    fms_variant *v = p->v;
    if (!grow((void **)&v->pieces, v->npieces, &v->cap_pieces, sizeof pc))
        return oom(p);
    pc.line = p->line;
    v->pieces[v->npieces++] = pc;
    return FMS_OK;
}

static fms_status add_text(pstate *p, const char *s, size_t len)
{
    if (len == 0)
        return FMS_OK;
    return add_piece(p, (piece){ .kind = P_TEXT, .s = s, .len = len });
}

/* ---- numbers ------------------------------------------------------------ */

/* Parses a plain decimal (sign, digits, optional point and digits) into
 * *mant·10^-*scale.  Returns 0 when s[0..n) is not one or has over 18 digits. */
static int parse_decimal(const char *s, size_t n, long long *mant, int *scale)
{
    int neg = 0, digits = 0, frac = -1;
    long long m = 0;
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        if (s[i] == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || digits == 18)
            return 0;
        m = 10 * m + (s[i] - '0');
        digits++;
        if (frac >= 0)
            frac++;
    }
    if (digits == 0)
        return 0;
    *mant = neg ? -m : m;
    *scale = frac < 0 ? 0 : frac;
    return 1;
}

/* Multiplies *m by 10^k; returns 0 on overflow past 18 digits. */
static int rescale(long long *m, int k)
{
    for (; k > 0; k--) {
        if (*m > 99999999999999999LL || *m < -99999999999999999LL)
            return 0;
        *m *= 10;
    }
    return 1;
}

/* Writes m·10^-scale as the shortest decimal ("-0.75", "1", "0"). */
static void format_decimal(long long m, int scale, char out[FMS_NUM_MAX])
{
    int neg = m < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)m : (unsigned long long)m;
    while (scale > 0 && u % 10 == 0) {
        u /= 10;
        scale--;
    }
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%0*llu", scale + 1, u);
    int ip = nd - scale;
    snprintf(out, FMS_NUM_MAX, "%s%.*s%s%.*s", neg && u ? "-" : "", ip, digits, scale ? "." : "", scale,
             digits + ip);
}

/* ---- slots -------------------------------------------------------------- */

static fms_status add_slot(pstate *p, slot sl)
{
    fms_variant *v = p->v;
    if (v->nsections == 0)
        return fms_error_set(p->err, FMS_EINVAL, p->line, "a choice comes before any [section]");
    if (v->nslots == FMS_VARIANT_MAX_SLOTS)
        return fms_error_set(p->err, FMS_EINVAL, p->line, "too many choices and ranges (at most %d)",
                             FMS_VARIANT_MAX_SLOTS);
    if (!grow((void **)&v->slots, v->nslots, &v->cap_slots, sizeof sl))
        return oom(p);
    sl.section = v->nsections - 1;
    sl.k = v->sections[sl.section].nslots++;
    v->slots[v->nslots] = sl;
    return add_piece(p, (piece){ .kind = P_SLOT, .index = v->nslots++ });
}

/* "{C1, C2, ...}": s[0..n) is the text between the braces. */
static fms_status parse_choices(pstate *p, const char *s, size_t n)
{
    slot sl = { .choices = s };
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',')
            continue;
        char buf[FMS_NUM_MAX];
        const char *c = s + start;
        size_t len = i - start;
        fms_strbuf_trim(&c, &len);
        double x;
        if (len == 0 || len >= sizeof buf)
            return fms_error_set(p->err, FMS_EINVAL, p->line, "{%.*s}: every choice must be a number, "
                                 "separated by commas, e.g. {0.3, 0.5, 0.9}", (int)(n < 60 ? n : 60), s);
        memcpy(buf, c, len);
        buf[len] = '\0';
        if (fms_numfmt_parse(buf, &x) != FMS_OK)
            return fms_error_set(p->err, FMS_EINVAL, p->line, "choice '%s' is not a number", buf);
        if (++sl.nchoices > FMS_VARIANT_MAX_CHOICES)
            return fms_error_set(p->err, FMS_EINVAL, p->line, "too many choices (at most %d)", FMS_VARIANT_MAX_CHOICES);
        start = i + 1;
    }
    sl.choices = s;
    return add_slot(p, sl);
}

/* "[LO : STEP : HI]": s[0..n) is the text between the brackets. */
static fms_status parse_range(pstate *p, const char *s, size_t n)
{
    const char *part[3];
    size_t len[3];
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ':')
            continue;
        if (k == 3)
            break;
        part[k] = s + start;
        len[k] = i - start;
        fms_strbuf_trim(&part[k], &len[k]);
        k++;
        start = i + 1;
    }
    long long m[3];
    int sc[3], scale = 0;
    for (size_t i = 0; i < 3 && k == 3 && start > n; i++) {
        if (!parse_decimal(part[i], len[i], &m[i], &sc[i]))
            k = 0;
        else if (sc[i] > scale)
            scale = sc[i];
    }
    if (k != 3 || start <= n)
        return fms_error_set(p->err, FMS_EINVAL, p->line, "[%.*s] is not a range [LO : STEP : HI] of plain decimals "
                             "(e.g. [-1 : 0.25 : 1])", (int)(n < 60 ? n : 60), s);
    for (size_t i = 0; i < 3; i++)
        if (!rescale(&m[i], scale - sc[i]))
            return fms_error_set(p->err, FMS_EINVAL, p->line, "[%.*s]: too many digits (at most 18 once aligned)",
                                 (int)(n < 60 ? n : 60), s);
    if (m[1] <= 0)
        return fms_error_set(p->err, FMS_EINVAL, p->line, "[%.*s]: the step must be positive", (int)(n < 60 ? n : 60), s);
    if (m[2] < m[0])
        return fms_error_set(p->err, FMS_EINVAL, p->line, "[%.*s]: HI is below LO", (int)(n < 60 ? n : 60), s);
    /* Both are at most 18 digits, so HI − LO fits a long long. */
    unsigned long long count = (unsigned long long)(m[2] - m[0]) / (unsigned long long)m[1] + 1;
    if (count > 1000000000ULL)
        return fms_error_set(p->err, FMS_EINVAL, p->line, "[%.*s] has more than 10^9 values", (int)(n < 60 ? n : 60), s);
    return add_slot(p, (slot){ .range = 1, .nchoices = (size_t)count, .lo = m[0], .step = m[1], .scale = scale });
}

/* Writes the value of slot sl with the given index. */
static void slot_value(const slot *sl, uint64_t index, fms_strbuf *out)
{
    if (sl->range) {
        char buf[FMS_NUM_MAX];
        format_decimal(sl->lo + (long long)index * sl->step, sl->scale, buf);
        fms_strbuf_puts(out, buf);
        return;
    }
    const char *c = sl->choices;
    for (uint64_t i = 0; i < index; i++)
        c = strchr(c, ',') + 1;
    size_t len = strcspn(c, ",}");
    fms_strbuf_trim(&c, &len);
    fms_strbuf_putn(out, c, len);
}

/* ---- values and lines --------------------------------------------------- */

/* Splits the value s[0..end) into literal text, references and (unless free
 * text) choices and ranges. */
static fms_status parse_value(pstate *p, const char *s, const char *end, int free_text)
{
    const char *lit = s;
    fms_status st = FMS_OK;
    while (st == FMS_OK && s < end) {
        int ref = *s == '$' && s + 1 < end && s[1] == '{';
        if (!ref && (free_text || (*s != '{' && *s != '['))) {
            s++;
            continue;
        }
        const char *open = s + ref;
        const char *close = memchr(open, *open == '[' ? ']' : '}', (size_t)(end - open));
        if (close == NULL)
            return fms_error_set(p->err, FMS_EINVAL, p->line, "'%s' without a closing '%c'", ref ? "${" : *open == '[' ? "[" : "{",
                                 *open == '[' ? ']' : '}');
        st = add_text(p, lit, (size_t)(s - lit));
        if (st == FMS_OK && ref)
            st = add_piece(p, (piece){ .kind = P_REF, .s = open + 1, .len = (size_t)(close - open - 1),
                                       .section = p->v->nsections - 1, .text_mode = free_text });
        else if (st == FMS_OK && *open == '{')
            st = parse_choices(p, open + 1, (size_t)(close - open - 1));
        else if (st == FMS_OK)
            st = parse_range(p, open + 1, (size_t)(close - open - 1));
        s = lit = close + 1;
    }
    return st == FMS_OK ? add_text(p, lit, (size_t)(s - lit)) : st;
}

/* Whether key name[0..n) of the current section holds free text. */
static int is_free_text(const fms_variant *v, const char *name, size_t n)
{
    if (v->nsections == 0)
        return 0;
    const char *sec = v->sections[v->nsections - 1].name;
    if (strcmp(sec, "set") == 0)
        return n == 5 && memcmp(name, "title", 5) == 0;
    if (strcmp(sec, "data") == 0)
        return 0;
    /* The part questions a, b, ...; "t" is the time, a number. */
    return (n == 4 && memcmp(name, "text", 4) == 0) || (n == 1 && name[0] >= 'a' && name[0] <= 'z' && name[0] != 't');
}

static fms_status add_section(pstate *p, const char *s, size_t n)
{
    fms_variant *v = p->v;
    fms_strbuf_trim(&s, &n);
    if (!grow((void **)&v->sections, v->nsections, &v->cap_sections, sizeof *v->sections))
        return oom(p);
    vsection *sec = &v->sections[v->nsections++];
    memset(sec, 0, sizeof *sec);
    /* A name too long for an id is refused by exset; here it only has to fit. */
    snprintf(sec->name, sizeof sec->name, "%.*s", (int)(n < FMS_ID_MAX - 1 ? n : FMS_ID_MAX - 1), s);
    return FMS_OK;
}

/* "keep = ..." in the current section: parsed, and written as a comment. */
static fms_status parse_keep(pstate *p, const char *line, size_t n, const char *value, size_t vlen)
{
    vsection *sec = p->v->nsections ? &p->v->sections[p->v->nsections - 1] : NULL;
    if (sec == NULL || strcmp(sec->name, "set") == 0 || strcmp(sec->name, "data") == 0)
        return fms_error_set(p->err, FMS_EINVAL, p->line, "keep belongs in an exercise section such as [1.3]");
    if (sec->keep_line)
        return fms_error_set(p->err, FMS_EINVAL, p->line, "keep is given twice in [%s] (first at line %ld)", sec->name,
                             sec->keep_line);
    char buf[FMS_EXSET_MAX_LINE];
    snprintf(buf, sizeof buf, "%.*s", (int)vlen, value);
    fms_status st = fms_keep_parse(buf, &sec->keep, p->err);
    if (st != FMS_OK) {
        p->err->line = p->line;
        return st;
    }
    sec->keep_line = p->line;
    sec->keep_text = value;
    sec->keep_len = vlen;
    st = add_text(p, "; ", 2);
    return st == FMS_OK ? add_text(p, line, n) : st;
}

/* Where the value of a key line ends: at " ;" (an inline comment) or the end. */
static const char *value_end(const char *s, const char *end)
{
    for (const char *c = s; c < end; c++)
        if (*c == ';' && c > s && (c[-1] == ' ' || c[-1] == '\t'))
            return c;
    return end;
}

/* A "name = value" line, s[0..n). */
static fms_status parse_key_line(pstate *p, const char *s, size_t n, int *text_key)
{
    fms_variant *v = p->v;
    const char *end = s + n;
    const char *eq = s;
    while (eq < end && *eq != '=' && *eq != ':')
        eq++;
    if (eq == end || v->nsections == 0) /* not a key line: exset says what is wrong */
        return add_text(p, s, n);
    const char *name = s;
    size_t nlen = (size_t)(eq - s);
    fms_strbuf_trim(&name, &nlen);
    const char *val = eq + 1, *vend = value_end(val, end);
    const char *vt = val;
    size_t vtl = (size_t)(vend - val);
    fms_strbuf_trim(&vt, &vtl);
    if (nlen == 4 && memcmp(name, "keep", 4) == 0) {
        *text_key = -1;
        return parse_keep(p, s, n, vt, vtl);
    }
    *text_key = is_free_text(v, name, nlen);
    fms_status st = add_text(p, s, (size_t)(val - s));
    if (st != FMS_OK || !grow((void **)&v->keys, v->nkeys, &v->cap_keys, sizeof *v->keys))
        return st != FMS_OK ? st : oom(p);
    vkey *key = &v->keys[v->nkeys++];
    *key = (vkey){ .section = v->nsections - 1, .name = name, .name_len = nlen, .first = v->npieces };
    st = parse_value(p, val, vend, *text_key);
    v->keys[v->nkeys - 1].end = v->npieces;
    return st == FMS_OK ? add_text(p, vend, (size_t)(end - vend)) : st;
}

/* One line s[0..n) (without its line end); text_key tracks whether indented
 * continuation lines belong to free text (1), another key (0), keep (-1). */
static fms_status parse_line(pstate *p, const char *s, size_t n, int *text_key)
{
    size_t lead = 0;
    while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
        lead++;
    int blank_or_comment = lead == n || s[lead] == ';' || s[lead] == '#';
    if (blank_or_comment)
        return add_text(p, s, n);
    if (lead > 0) { /* a continuation line */
        if (*text_key < 0)
            return fms_error_set(p->err, FMS_EINVAL, p->line, "keep does not continue on an indented line");
        return *text_key ? parse_value(p, s, s + n, 1) : add_text(p, s, n);
    }
    if (s[0] == '[') {
        const char *close = memchr(s, ']', n);
        *text_key = 0;
        fms_status st = add_section(p, s + 1, close ? (size_t)(close - s - 1) : n - 1);
        return st == FMS_OK ? add_text(p, s, n) : st;
    }
    return parse_key_line(p, s, n, text_key);
}

/* ---- references ---------------------------------------------------------- */

static long find_section(const fms_variant *v, const char *name, size_t n)
{
    for (size_t i = 0; i < v->nsections; i++)
        if (strlen(v->sections[i].name) == n && memcmp(v->sections[i].name, name, n) == 0)
            return (long)i;
    return -1;
}

/* A reference may point at a value that holds references, up to this depth. */
#define MAX_REF_DEPTH 8

/* How deep the references under key k go (stops past MAX_REF_DEPTH, so a cycle ends). */
static int ref_depth(const fms_variant *v, size_t k, int depth)
{
    int deepest = depth;
    for (size_t i = v->keys[k].first; i < v->keys[k].end && deepest <= MAX_REF_DEPTH; i++)
        if (v->pieces[i].kind == P_REF) {
            int d = depth >= MAX_REF_DEPTH ? depth + 1 : ref_depth(v, v->pieces[i].index, depth + 1);
            if (d > deepest)
                deepest = d;
        }
    return deepest;
}

/* Points every reference at its key. */
static fms_status resolve_refs(fms_variant *v, fms_error *err)
{
    for (size_t i = 0; i < v->npieces; i++) {
        piece *pc = &v->pieces[i];
        if (pc->kind != P_REF)
            continue;
        const char *colon = memchr(pc->s, ':', pc->len);
        long sec = (long)pc->section;
        const char *key = pc->s;
        size_t klen = pc->len;
        if (colon) {
            sec = find_section(v, pc->s, (size_t)(colon - pc->s));
            key = colon + 1;
            klen = pc->len - (size_t)(colon - pc->s) - 1;
            if (sec < 0)
                return fms_error_set(err, FMS_EINVAL, pc->line, "${%.*s}: there is no section [%.*s]", (int)pc->len,
                                     pc->s, (int)(colon - pc->s), pc->s);
        }
        size_t k = 0;
        while (k < v->nkeys && !(v->keys[k].section == (size_t)sec && v->keys[k].name_len == klen &&
                                 memcmp(v->keys[k].name, key, klen) == 0))
            k++;
        if (k == v->nkeys)
            return fms_error_set(err, FMS_EINVAL, pc->line, "${%.*s}: [%s] has no key '%.*s'", (int)pc->len, pc->s,
                                 v->sections[sec].name, (int)klen, key);
        pc->index = k;
    }
    for (size_t i = 0; i < v->npieces; i++)
        if (v->pieces[i].kind == P_REF && ref_depth(v, v->pieces[i].index, 0) > MAX_REF_DEPTH)
            return fms_error_set(err, FMS_EINVAL, v->pieces[i].line, "${%.*s}: the references form a cycle (or a chain "
                                 "longer than %d)", (int)v->pieces[i].len, v->pieces[i].s, MAX_REF_DEPTH);
    return FMS_OK;
}

/* ---- loading -------------------------------------------------------------- */

void fms_variant_free(fms_variant *v)
{
    if (v == NULL)
        return;
    free(v->name);
    free(v->text);
    free(v->pieces);
    free(v->slots);
    free(v->keys);
    free(v->sections);
    free(v);
}

/* Parses the template's lines into pieces. */
static fms_status parse_lines(pstate *p)
{
    fms_variant *v = p->v;
    const char *s = v->text, *end = v->text + v->len;
    int text_key = 0;
    fms_status st = FMS_OK;
    while (st == FMS_OK && s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        size_t n = (size_t)(le - s);
        if (n > 0 && s[n - 1] == '\r')
            n--;
        p->line++;
        if (memchr(s, '\0', n) != NULL)
            return fms_error_set(p->err, FMS_EINVAL, p->line, "binary data (a NUL byte): this is not a text file");
        st = parse_line(p, s, n, &text_key);
        if (st == FMS_OK && nl)
            st = add_text(p, "\n", 1);
        s = nl ? nl + 1 : end;
    }
    return st;
}

fms_status fms_variant_parse(const char *name, const char *text, size_t len, fms_variant **out, fms_error *err)
{
    fms_error local;
    fms_error_clear(&local);
    if (err == NULL) /* the line of a bad keep is set after the fact */
        err = &local;
    *out = NULL;
    fms_error_set_file(err, name);
    if (len > FMS_EXSET_MAX_BYTES)
        return fms_error_set(err, FMS_EINVAL, 0, "the file has %zu bytes; a template holds at most %d (exercise-file-bytes)",
                             len, FMS_EXSET_MAX_BYTES);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    fms_variant *v = calloc(1, sizeof *v);
    if (v == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    v->name = malloc(strlen(name) + 1);
    v->text = malloc(len + 1);
    if (v->name == NULL || v->text == NULL) {
        fms_variant_free(v);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    strcpy(v->name, name);
    memcpy(v->text, text, len);
    v->text[len] = '\0';
    v->len = len;
    pstate p = { .v = v, .err = err };
    fms_status st = parse_lines(&p);
    if (st == FMS_OK)
        st = resolve_refs(v, err);
    if (st != FMS_OK) {
        fms_variant_free(v);
        return st;
    }
    *out = v;
    return FMS_OK;
}

fms_status fms_variant_load_file(const char *path, fms_variant **out, fms_error *err)
{
    char *text;
    size_t len;
    *out = NULL;
    fms_status st = fms_fileio_read(path, FMS_EXSET_MAX_BYTES, &text, &len, err);
    if (st != FMS_OK)
        return st;
    st = fms_variant_parse(path, text, len, out, err);
    free(text);
    return st;
}

fms_status fms_variant_load_builtin(fms_variant **out, fms_error *err)
{
    size_t len;
    const char *text = fms_exset_builtin_text(&len);
    return fms_variant_parse("exercises/discussion11.ini (built in)", text, len, out, err);
}

size_t fms_variant_nslots(const fms_variant *v)
{
    return v->nslots;
}

/* ---- drawing -------------------------------------------------------------- */

static void render_piece(const fms_variant *v, const piece *pc, uint64_t seed, const unsigned *tries,
                         fms_strbuf *out);

/* The concrete value of key k, trimmed. */
static void render_key(const fms_variant *v, const vkey *k, uint64_t seed, const unsigned *tries, int text_mode,
                       fms_strbuf *out)
{
    fms_strbuf val = { 0 };
    for (size_t i = k->first; i < k->end; i++)
        render_piece(v, &v->pieces[i], seed, tries, &val);
    const char *s = fms_strbuf_str(&val);
    size_t n = strlen(s);
    fms_strbuf_trim(&s, &n);
    if (text_mode && n > 0 && *s == '-') {
        fms_strbuf_puts(out, "\xE2\x88\x92");
        s++, n--;
    }
    fms_strbuf_putn(out, s, n);
    if (fms_strbuf_status(&val) != FMS_OK)
        out->failed = 1;
    fms_strbuf_free(&val);
}

static void render_piece(const fms_variant *v, const piece *pc, uint64_t seed, const unsigned *tries,
                         fms_strbuf *out)
{
    if (pc->kind == P_TEXT) {
        fms_strbuf_putn(out, pc->s, pc->len);
    } else if (pc->kind == P_SLOT) {
        const slot *sl = &v->slots[pc->index];
        slot_value(sl, fms_variant_index(seed, sl->section, sl->k, tries[sl->section], sl->nchoices), out);
    } else {
        render_key(v, &v->keys[pc->index], seed, tries, pc->text_mode, out);
    }
}

/* Checks the keeps of the drawn set; failing sections move to their next
 * try.  *again is set when some section must be drawn again. */
static fms_status check_keeps(const fms_variant *v, const fms_exset *set, uint64_t seed, unsigned *tries, int *again,
                              fms_error *err)
{
    *again = 0;
    for (size_t i = 0; i < v->nsections; i++) {
        const vsection *sec = &v->sections[i];
        if (sec->keep.n == 0)
            continue;
        long x = fms_exset_find(set, sec->name);
        int holds = 0;
        size_t failed = 0;
        fms_status st = x < 0 ? fms_error_set(err, FMS_EINVAL, 0, "[%s] is not an exercise", sec->name)
                              : fms_keep_eval(&sec->keep, set->data, &set->ex[x], &holds, &failed, err);
        if (st != FMS_OK) {
            err->line = sec->keep_line;
            return st;
        }
        if (holds)
            continue;
        if (sec->nslots == 0)
            return fms_error_set(err, FMS_EINVAL, sec->keep_line, "keep = %.*s does not hold, and [%s] has no choice "
                                 "of its own to draw again", (int)sec->keep_len, sec->keep_text, sec->name);
        if (tries[i] + 1 >= FMS_VARIANT_MAX_TRIES)
            return fms_error_set(err, FMS_EINVAL, sec->keep_line, "keep = %.*s: none of %d draws of [%s] satisfies it "
                                 "(seed %llu); widen its choices or relax keep", (int)sec->keep_len, sec->keep_text,
                                 FMS_VARIANT_MAX_TRIES, sec->name, (unsigned long long)seed);
        tries[i]++;
        *again = 1;
    }
    return FMS_OK;
}

/* Adds the seed to a drawn file's error: the same line may be fine for other seeds. */
static void note_seed(fms_error *err, uint64_t seed)
{
    size_t n = strlen(err->msg);
    snprintf(err->msg + n, sizeof err->msg - n, " (in the variant drawn for seed %llu)", (unsigned long long)seed);
}

fms_status fms_variant_draw(const fms_variant *v, uint64_t seed, fms_strbuf *text, fms_exset **set, fms_error *err)
{
    fms_error local;
    fms_error_clear(&local);
    if (err == NULL) /* messages are amended after the fact */
        err = &local;
    if (set)
        *set = NULL;
    unsigned *tries = calloc(v->nsections + 1, sizeof *tries);
    if (tries == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_strbuf buf = { 0 };
    fms_exset *s = NULL;
    fms_status st = FMS_OK;
    for (int again = 1; st == FMS_OK && again;) {
        fms_exset_free(s);
        s = NULL;
        fms_strbuf_reset(&buf);
        for (size_t i = 0; i < v->npieces; i++)
            render_piece(v, &v->pieces[i], seed, tries, &buf);
        if (fms_strbuf_status(&buf) != FMS_OK)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        if (st == FMS_OK && (st = fms_exset_load_string(v->name, fms_strbuf_str(&buf), buf.len, &s, err)) != FMS_OK &&
            v->nslots > 0)
            note_seed(err, seed);
        if (st == FMS_OK)
            st = check_keeps(v, s, seed, tries, &again, err);
    }
    free(tries);
    if (st == FMS_OK && text)
        fms_strbuf_putn(text, buf.data ? buf.data : "", buf.len);
    fms_strbuf_free(&buf);
    if (st == FMS_OK && set)
        *set = s;
    else
        fms_exset_free(s);
    return st;
}

/* math_write.c — the two writers of a formula tree (math.h): UTF-8 text and
 * TeX.  One walk, two vocabularies (the STYLES table). */
#include "answers/math.h"

#include <stdio.h>
#include <string.h>

typedef struct style {
    int tex;
    const char *minus, *times, *plus, *slash, *bar, *hat_open, *hat_close, *norm;
    const char *rel[9]; /* by fms_rel; FMS_REL_AUTO is resolved before use */
} style;

static const style STYLES[2] = {
    { 0, "\xE2\x88\x92", "\xC2\xB7", " + ", "/", " | ", "", "\xCC\x82", "\xE2\x80\x96",
      { " = ", " \xE2\x89\x88 ", " = ", " \xE2\x86\x92 ", " \xE2\x88\x9D ", " : ", " ~ ", " < ", " > " } },
    { 1, "-", "\\cdot ", " + ", "/", " \\mid ", "\\hat{", "}", "\\|",
      { " = ", " \\approx ", " = ", " \\to ", " \\propto ", " : ", " \\sim ", " < ", " > " } },
};

typedef struct writer {
    const style *st;
    fms_strbuf *out;
    int cw; /* TeX: the last thing written is a control word (a letter must not follow directly) */
} writer;

static void put(writer *w, const char *s)
{
    if (*s == '\0')
        return;
    if (w->cw && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        fms_strbuf_puts(w->out, " ");
    fms_strbuf_puts(w->out, s);
    size_t n = strlen(s), i = n;
    while (i > 0 && ((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= 'A' && s[i - 1] <= 'Z')))
        i--;
    w->cw = w->st->tex && i < n && i > 0 && s[i - 1] == '\\';
    if (w->st->tex && s[n - 1] == ' ')
        w->cw = 0;
}

/* ---- numbers ---------------------------------------------------------------- */

/* digits·10^exp10 as a plain decimal ("0.000286", "45", "3.5"). */
static void put_plain(writer *w, const char *digits, long long exp10)
{
    char buf[64];
    size_t nd = strlen(digits), k = 0;
    if (exp10 < 0) {
        buf[k++] = '0';
        buf[k++] = '.';
        for (long long i = -1; i > exp10; i--)
            buf[k++] = '0';
        for (size_t i = 0; i < nd; i++)
            buf[k++] = digits[i];
    } else {
        for (long long i = 0; i <= exp10 || (size_t)i < nd; i++) {
            if ((size_t)i == (size_t)exp10 + 1)
                buf[k++] = '.';
            buf[k++] = (size_t)i < nd ? digits[i] : '0';
        }
    }
    buf[k] = '\0';
    put(w, buf);
}

static void put_digits(writer *w, const char *digits, long long exp10)
{
    if (exp10 >= -4 && exp10 < 6) {
        put_plain(w, digits, exp10);
        return;
    }
    put_plain(w, digits, 0);
    char e[40];
    if (w->st->tex)
        snprintf(e, sizeof e, "10^{%lld}", exp10);
    else
        snprintf(e, sizeof e, "10^%lld", exp10);
    if (strcmp(digits, "1") == 0) {
        w->out->len -= 1; /* "1·10^k" is written 10^k */
        w->out->data[w->out->len] = '\0';
        w->cw = 0;
    } else {
        put(w, w->st->times);
    }
    put(w, e);
}

static void put_num(writer *w, const fms_mnum *n)
{
    fms_num_shown s;
    fms_math_num_show(n, &s);
    if (s.is_exp) {
        put(w, w->st->tex ? "e^{" : "e^(");
        if (s.neg)
            put(w, w->st->minus);
        put_digits(w, s.digits, s.exp10);
        put(w, w->st->tex ? "}" : ")");
        return;
    }
    if (s.one_minus) {
        put(w, "1 ");
        put(w, w->st->minus);
        put(w, " ");
    } else if (s.neg) {
        put(w, w->st->minus);
    }
    put_digits(w, s.digits, s.exp10);
}

static void walk(writer *w, const fms_math *m);

/* Writes a tree (m) or a number (n) in style tex (0 text, 1 TeX). */
static void write(int tex, const fms_math *m, const fms_mnum *n, fms_strbuf *out)
{
    writer w = { &STYLES[tex], out, 0 };
    if (m)
        walk(&w, m);
    else
        put_num(&w, n);
}

void fms_math_num_text(const fms_mnum *n, fms_strbuf *out) { write(0, NULL, n, out); }
void fms_math_num_tex(const fms_mnum *n, fms_strbuf *out) { write(1, NULL, n, out); }
void fms_math_text(const fms_math *m, fms_strbuf *out) { write(0, m, NULL, out); }
void fms_math_tex(const fms_math *m, fms_strbuf *out) { write(1, m, NULL, out); }

/* ---- the tree -------------------------------------------------------------- */

/* A number or negation that needs parentheses after an operator or as a base. */
static int loose(const fms_math *m, int as_base)
{
    while (m->kind == FMS_M_GROUP && m->text == NULL)
        m = m->a[0];
    if (m->kind == FMS_M_NEG || m->kind == FMS_M_BIN || m->kind == FMS_M_REL)
        return 1;
    if (m->kind == FMS_M_POW || m->kind == FMS_M_FRAC)
        return as_base;
    if (m->kind != FMS_M_NUM)
        return 0;
    fms_num_shown s;
    fms_math_num_show(&m->num, &s);
    return s.neg || s.one_minus || (as_base && (s.is_exp || s.exp10 < -4 || s.exp10 >= 6));
}

static void walk_paren(writer *w, const fms_math *m, int paren)
{
    if (paren)
        put(w, "(");
    walk(w, m);
    if (paren)
        put(w, ")");
}

/* A subscript or exponent written without braces: one symbol, label, word or short number. */
static int simple(const fms_math *m)
{
    while (m->kind == FMS_M_GROUP && m->text == NULL)
        m = m->a[0];
    if (m->kind == FMS_M_SYM || m->kind == FMS_M_WORD || m->kind == FMS_M_LABEL)
        return 1;
    if (m->kind == FMS_M_NEG)
        return m->a[0]->kind == FMS_M_NUM;
    if (m->kind != FMS_M_NUM)
        return 0;
    fms_num_shown s;
    fms_math_num_show(&m->num, &s);
    return !s.one_minus && !s.is_exp && s.exp10 >= -4 && s.exp10 < 6;
}

static int is_x1(const fms_math *m)
{
    const fms_math *b = m->a[0]->kind == FMS_M_HAT ? m->a[0]->a[0] : m->a[0];
    return b->kind == FMS_M_SYM && strcmp(b->text, "x") == 0 && m->a[1]->kind == FMS_M_NUM &&
           m->a[1]->num.mant == 1;
}

static void walk_sub(writer *w, const fms_math *m)
{
    walk(w, m->a[0]);
    if (!w->st->tex && is_x1(m)) {
        put(w, "1");
        return;
    }
    const fms_math *s = m->a[1];
    while (s->kind == FMS_M_GROUP && s->text == NULL)
        s = s->a[0];
    int one_char = s->kind == FMS_M_SYM && strlen(s->tex) == 1;
    if (s->kind == FMS_M_NUM) {
        fms_num_shown sh;
        fms_math_num_show(&s->num, &sh);
        one_char = strlen(sh.digits) == 1 && sh.exp10 == 0 && !sh.neg;
    }
    int braces = w->st->tex || s->kind == FMS_M_NUM ? !one_char : !simple(s);
    put(w, braces ? "_{" : "_");
    w->cw = 0;
    walk(w, s);
    if (braces)
        put(w, "}");
}

static void walk_pow(writer *w, const fms_math *m)
{
    walk_paren(w, m->a[0], loose(m->a[0], 1));
    const fms_math *e = m->a[1];
    while (e->kind == FMS_M_GROUP && e->text == NULL)
        e = e->a[0];
    if (w->st->tex) {
        put(w, "^{");
        w->cw = 0;
        walk(w, e);
        put(w, "}");
    } else if (e->kind == FMS_M_NUM && e->num.cls == FMS_NUM_EXACT && e->num.mant == 2) {
        put(w, "\xC2\xB2");
    } else {
        put(w, "^");
        walk_paren(w, e, !simple(e));
    }
}

static void walk_call(writer *w, const fms_math *m)
{
    const fms_math *f = m->a[0];
    const fms_math *root = f->kind == FMS_M_SUB ? f->a[0] : f;
    walk(w, f);
    if (root->kind == FMS_M_SYM && root->op && m->n == 2) {
        put(w, " ");
        walk(w, m->a[1]);
        return;
    }
    put(w, m->op == '[' ? "[" : "(");
    for (size_t i = 1; i < m->n; i++) {
        if (i > 1)
            put(w, ", ");
        walk(w, m->a[i]);
    }
    put(w, m->op == '[' ? "]" : ")");
}

static int prec(char op)
{
    return op == '+' || op == '-' ? 1 : 2;
}

/* Whether operand child of the operator op needs parentheses: a weaker
 * operation, a negative number or negation on the right, 1 − r in a product. */
static int operand_paren(const fms_math *child, char op, int right)
{
    while (child->kind == FMS_M_GROUP && child->text == NULL)
        child = child->a[0];
    switch (child->kind) {
    case FMS_M_BIN:
        return prec(child->op) < prec(op) || (right && prec(child->op) == prec(op) && (op == '-' || op == '/'));
    case FMS_M_REL: return 1;
    case FMS_M_NEG: return right;
    case FMS_M_NUM: {
        fms_num_shown s;
        fms_math_num_show(&child->num, &s);
        return (s.neg && right) || (s.one_minus && (prec(op) == 2 || (right && op == '-')));
    }
    default: return 0;
    }
}

static void walk_bin(writer *w, const fms_math *m)
{
    walk_paren(w, m->a[0], operand_paren(m->a[0], m->op, 0));
    const char *op = m->op == '+' ? w->st->plus : m->op == '*' ? w->st->times : m->op == '/' ? w->st->slash : NULL;
    if (op) {
        put(w, op);
    } else {
        put(w, " ");
        put(w, w->st->minus);
        put(w, " ");
    }
    walk_paren(w, m->a[1], operand_paren(m->a[1], m->op, 1));
}

static void walk_leaf(writer *w, const fms_math *m)
{
    switch (m->kind) {
    case FMS_M_SYM: put(w, w->st->tex ? m->tex : m->text); break;
    case FMS_M_NUM: put_num(w, &m->num); break;
    case FMS_M_WORD:
        if (*m->text == '\0')
            break;
        put(w, w->st->tex ? "\\text{" : "");
        put(w, m->text);
        put(w, w->st->tex ? "}" : "");
        break;
    case FMS_M_LABEL:
        if (!w->st->tex) {
            put(w, m->text);
            break;
        }
        put(w, "\\mathrm{");
        for (const char *p = m->text; *p; p++)
            fms_strbuf_puts(w->out, *p == '_' ? "\\_" : (char[2]){ *p, 0 });
        put(w, "}");
        break;
    default: break;
    }
}

static void walk(writer *w, const fms_math *m)
{
    if (m == NULL)
        return;
    switch (m->kind) {
    case FMS_M_SUB: walk_sub(w, m); break;
    case FMS_M_POW: walk_pow(w, m); break;
    case FMS_M_CALL: walk_call(w, m); break;
    case FMS_M_BIN: walk_bin(w, m); break;
    case FMS_M_HAT:
        put(w, w->st->hat_open);
        w->cw = 0;
        walk(w, m->a[0]);
        put(w, w->st->hat_close);
        break;
    case FMS_M_NEG:
        put(w, w->st->minus);
        walk_paren(w, m->a[0], m->a[0]->kind == FMS_M_BIN || m->a[0]->kind == FMS_M_NEG);
        break;
    case FMS_M_FRAC:
        if (w->st->tex) {
            put(w, "\\frac{");
            walk(w, m->a[0]);
            put(w, "}{");
            walk(w, m->a[1]);
            put(w, "}");
        } else {
            walk_paren(w, m->a[0], !simple(m->a[0]));
            put(w, "/");
            walk_paren(w, m->a[1], !simple(m->a[1]));
        }
        break;
    case FMS_M_NORM:
        put(w, w->st->norm);
        walk(w, m->a[0]);
        put(w, w->st->norm);
        break;
    case FMS_M_GROUP:
        put(w, m->text ? "(" : "");
        walk(w, m->a[0]);
        put(w, m->text ? ")" : "");
        break;
    case FMS_M_COND:
        walk(w, m->a[0]);
        put(w, w->st->bar);
        walk(w, m->a[1]);
        break;
    case FMS_M_REL:
        for (size_t i = 0; i < m->n; i++) {
            const char *r = i > 0 ? w->st->rel[fms_math_rel_shown(m, i - 1)] : "";
            if (i == 1 && m->a[0]->kind == FMS_M_WORD && *m->a[0]->text == '\0')
                r++; /* no space before a relation that opens the formula */
            put(w, r);
            walk(w, m->a[i]);
        }
        break;
    default: walk_leaf(w, m); break;
    }
}

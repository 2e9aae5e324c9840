/* math.c — see math.h.  Numbers, the pool and the parser; the writers are
 * in math_write.c. */
#include "answers/math.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pool ---------------------------------------------------------------- */

typedef struct pool_block {
    struct pool_block *next;
    max_align_t data[];
} pool_block;

void *fms_math_pool_alloc(fms_math_pool *p, size_t size)
{
    pool_block *b = calloc(1, sizeof *b + size);
    if (b == NULL) {
        p->failed = 1;
        return NULL;
    }
    b->next = p->blocks;
    p->blocks = b;
    return b->data;
}

char *fms_math_pool_strdup(fms_math_pool *p, const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = fms_math_pool_alloc(p, n);
    if (c)
        memcpy(c, s, n);
    return c;
}

void fms_math_pool_free(fms_math_pool *p)
{
    pool_block *b = p->blocks;
    while (b) {
        pool_block *next = b->next;
        free(b);
        b = next;
    }
    p->blocks = NULL;
    p->failed = 0;
}

/* ---- numbers --------------------------------------------------------------- */

static fms_mnum mk(fms_num_form form, fms_num_class cls, long double mant, long long e10)
{
    fms_mnum n = { .form = form, .cls = cls, .mant = mant, .e10 = e10 };
    return n;
}

fms_mnum fms_mnum_exact(long double x) { return mk(FMS_FORM_PLAIN, FMS_NUM_EXACT, x, 0); }
fms_mnum fms_mnum_approx(long double x) { return mk(FMS_FORM_PLAIN, FMS_NUM_APPROX, x, 0); }
fms_mnum fms_mnum_exp(long double log_x) { return mk(FMS_FORM_EXP, FMS_NUM_APPROX, log_x, 0); }

fms_mnum fms_mnum_rational(long double x, long double relerr)
{
    fms_mnum n = mk(FMS_FORM_PLAIN, FMS_NUM_RATIONAL, x, 0);
    n.relerr = relerr;
    return n;
}

fms_mnum fms_mnum_sci(long double mant, long long e10, fms_num_class cls)
{
    return mk(FMS_FORM_SCI, cls, mant, e10);
}

fms_mnum fms_mnum_one_minus(long double mant, long long e10)
{
    return mk(FMS_FORM_ONE_MINUS, FMS_NUM_APPROX, mant, e10);
}

fms_mnum fms_mnum_from_sci(const fms_sci *s, fms_num_class cls)
{
    if (s->mant == 0 || isnan(s->mant))
        return s->rel_err == 0 && s->mant == 0 ? fms_mnum_rational(0, 0) : fms_mnum_approx(0);
    fms_mnum n = fms_mnum_sci(s->mant, s->e10, cls);
    n.relerr = isfinite(s->rel_err) ? (long double)s->rel_err : 1.0L;
    return n;
}

/* Rounds x to sig digits: its digit string (no trailing zeros) and the power
 * of ten of the first digit.  Returns the rounded value's mantissa form as
 * read back ("d.ddd" times 10^exp) for the exactness test. */
static long double round_digits(long double x, int sig, fms_num_shown *out)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*Le", sig - 1, fabsl(x));
    char *e = strchr(buf, 'e');
    out->exp10 = e ? strtoll(e + 1, NULL, 10) : 0;
    int n = 0;
    for (const char *p = buf; p < e && n < (int)sizeof out->digits - 1; p++)
        if (isdigit((unsigned char)*p))
            out->digits[n++] = *p;
    while (n > 1 && out->digits[n - 1] == '0')
        n--;
    out->digits[n] = '\0';
    return strtold(buf, NULL);
}

/* The fewest digits (up to 18) that read back as x exactly. */
static int shortest_sig(long double x)
{
    fms_num_shown tmp;
    for (int sig = 1; sig < 18; sig++)
        if (round_digits(x, sig, &tmp) == fabsl(x))
            return sig;
    return 18;
}

static int digits_exact(const fms_mnum *n, long double m, long double back)
{
    switch (n->cls) {
    case FMS_NUM_EXACT: return back == fabsl(m);
    case FMS_NUM_RATIONAL: return fabsl(back - fabsl(m)) <= n->relerr * fabsl(m);
    default: return 0;
    }
}

void fms_math_num_show(const fms_mnum *n, fms_num_shown *out)
{
    memset(out, 0, sizeof *out);
    long double m = n->mant;
    int sig = n->sig;
    if (sig <= 0)
        sig = n->cls == FMS_NUM_EXACT && n->form == FMS_FORM_PLAIN ? shortest_sig(m) : FMS_MATH_SIG;
    if (n->cls == FMS_NUM_APPROX && n->relerr > 0) { /* only the digits the error bound supports */
        int supported = n->relerr >= 0.1L ? 1 : (int)floorl(-log10l(n->relerr));
        if (supported < sig)
            sig = supported;
    }
    out->neg = m < 0 && n->form != FMS_FORM_ONE_MINUS;
    out->one_minus = n->form == FMS_FORM_ONE_MINUS;
    out->is_exp = n->form == FMS_FORM_EXP;
    if (m == 0 || !isfinite(m)) {
        out->zero = 1;
        strcpy(out->digits, "0");
        out->exact = n->cls != FMS_NUM_APPROX && m == 0;
        out->neg = 0;
        return;
    }
    long double back = round_digits(m, sig, out);
    out->exact = digits_exact(n, m, back);
    if (out->is_exp) {
        out->neg = m < 0;
        return;
    }
    if (n->form == FMS_FORM_SCI || n->form == FMS_FORM_ONE_MINUS)
        out->exp10 += n->e10;
    if (out->one_minus)
        out->exact = 0;
}

double fms_mnum_double(const fms_mnum *n)
{
    switch (n->form) {
    case FMS_FORM_PLAIN: return (double)n->mant;
    case FMS_FORM_EXP: return (double)expl(n->mant);
    case FMS_FORM_ONE_MINUS:
        return n->e10 < -4000 ? 1.0 : (double)(1.0L - n->mant * powl(10.0L, (long double)n->e10));
    case FMS_FORM_SCI:
    default:
        if (n->e10 < -5000)
            return 0.0;
        if (n->e10 > 5000)
            return n->mant < 0 ? -HUGE_VAL : HUGE_VAL;
        return (double)(n->mant * powl(10.0L, (long double)n->e10));
    }
}

/* ---- the parser -------------------------------------------------------------- */

typedef struct sym_def {
    const char *name, *text, *tex;
    int op; /* a large operator: applied without parentheses (Σ_k a, max_k x_k) */
} sym_def;

static const sym_def SYMBOLS[] = {
    { "eps", "\xCE\xB5", "\\varepsilon", 0 },
    { "theta", "\xCE\xB8", "\\theta", 0 },
    { "phi", "\xCF\x86", "\\varphi", 0 },
    { "Dt", "\xCE\x94t", "\\Delta t", 0 },
    { "E", "E", "\\mathbb{E}", 0 },
    { "Sum", "\xCE\xA3", "\\sum", 1 },
    { "max", "max", "\\max", 1 },
    { "min", "min", "\\min", 1 },
    { "exp", "exp", "\\exp", 0 },
    { "log", "log", "\\log", 0 },
    { "N", "N", "\\mathcal{N}", 0 },
};

typedef struct parser {
    fms_math_pool *pool;
    const char *s;
    va_list *ap;
    int bad;
} parser;

static fms_math *node(parser *ps, fms_math_kind kind, size_t n)
{
    fms_math *m = fms_math_pool_alloc(ps->pool, sizeof *m);
    if (m == NULL) {
        ps->bad = 1;
        return NULL;
    }
    m->kind = kind;
    m->n = n;
    if (n > 0) {
        m->a = fms_math_pool_alloc(ps->pool, n * sizeof *m->a);
        if (m->a == NULL)
            ps->bad = 1;
    }
    return m;
}

fms_math *fms_math_num(fms_math_pool *p, fms_mnum n)
{
    parser ps = { .pool = p };
    fms_math *m = node(&ps, FMS_M_NUM, 0);
    if (m)
        m->num = n;
    return m;
}

static void skip(parser *ps)
{
    while (*ps->s == ' ')
        ps->s++;
}

static int accept(parser *ps, const char *tok)
{
    skip(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->s, tok, n) != 0)
        return 0;
    ps->s += n;
    return 1;
}

static fms_math *unary(parser *ps);
static fms_math *chain(parser *ps);

/* Grows a node's children by one (the pool never frees: the old array stays). */
static void push(parser *ps, fms_math *m, fms_math *child)
{
    fms_math **a = fms_math_pool_alloc(ps->pool, (m->n + 1) * sizeof *a);
    if (a == NULL || child == NULL) {
        ps->bad = 1;
        return;
    }
    if (m->n)
        memcpy(a, m->a, m->n * sizeof *a);
    a[m->n++] = child;
    m->a = a;
}

static fms_math *unary_node(parser *ps, fms_math_kind kind, fms_math *a)
{
    fms_math *m = node(ps, kind, 1);
    if (m && m->a)
        m->a[0] = a;
    if (a == NULL)
        ps->bad = 1;
    return m;
}

static fms_math *binary_node(parser *ps, fms_math_kind kind, char op, fms_math *a, fms_math *b)
{
    fms_math *m = node(ps, kind, 2);
    if (m && m->a) {
        m->op = op;
        m->a[0] = a;
        m->a[1] = b;
    }
    if (a == NULL || b == NULL)
        ps->bad = 1;
    return m;
}

static fms_math *ident(parser *ps)
{
    char name[16];
    size_t n = 0;
    while (isalpha((unsigned char)*ps->s) && n < sizeof name - 1)
        name[n++] = *ps->s++;
    name[n] = '\0';
    fms_math *m = node(ps, FMS_M_SYM, 0);
    if (m == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof SYMBOLS / sizeof SYMBOLS[0]; i++)
        if (strcmp(SYMBOLS[i].name, name) == 0) {
            m->text = SYMBOLS[i].text;
            m->tex = SYMBOLS[i].tex;
            m->op = (char)SYMBOLS[i].op;
            return m;
        }
    if (n != 1) {
        ps->bad = 1;
        return m;
    }
    m->text = m->tex = fms_math_pool_strdup(ps->pool, name);
    return m;
}

static fms_math *literal(parser *ps)
{
    char *end;
    long double x = strtold(ps->s, &end);
    ps->s = end;
    return fms_math_num(ps->pool, fms_mnum_exact(x));
}

static fms_math *word(parser *ps)
{
    const char *end = strchr(ps->s, '"');
    if (end == NULL) {
        ps->bad = 1;
        return NULL;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%.*s", (int)(end - ps->s), ps->s);
    ps->s = end + 1;
    fms_math *m = node(ps, FMS_M_WORD, 0);
    if (m)
        m->text = fms_math_pool_strdup(ps->pool, buf);
    return m;
}

static fms_math *placeholder(parser *ps)
{
    char c = *ps->s++;
    if (c == 'n')
        return fms_math_num(ps->pool, *va_arg(*ps->ap, const fms_mnum *));
    if (c == 'm')
        return va_arg(*ps->ap, fms_math *);
    if (c == 'l') {
        fms_math *m = node(ps, FMS_M_LABEL, 0);
        const char *label = va_arg(*ps->ap, const char *);
        if (m)
            m->text = fms_math_pool_strdup(ps->pool, label);
        return m;
    }
    ps->bad = 1;
    return NULL;
}

static fms_math *call(parser *ps, fms_math *f, char close);

/* ( chain ) visible, { chain } invisible; (a, b) a tuple. */
static fms_math *group(parser *ps, char open)
{
    if (open == '(') {
        const char *save = ps->s;
        int depth = 0, comma = 0;
        for (const char *q = ps->s; *q && depth >= 0 && !comma; q++)
            depth += *q == '(' ? 1 : *q == ')' ? -1 : 0, comma = depth == 0 && *q == ',';
        if (comma) {
            fms_math *empty = node(ps, FMS_M_WORD, 0);
            if (empty)
                empty->text = "";
            ps->s = save;
            return call(ps, empty, ')');
        }
    }
    fms_math *inner = chain(ps);
    if (!accept(ps, open == '(' ? ")" : "}"))
        ps->bad = 1;
    fms_math *g = unary_node(ps, FMS_M_GROUP, inner);
    if (g)
        g->text = open == '(' ? "(" : NULL;
    return g;
}

static fms_math *atom(parser *ps)
{
    skip(ps);
    char c = *ps->s;
    if (c == '\0') {
        ps->bad = 1;
        return NULL;
    }
    ps->s++;
    if (c == '(' || c == '{')
        return group(ps, c);
    if (c == '%')
        return placeholder(ps);
    if (c == '"')
        return word(ps);
    ps->s--;
    if (isdigit((unsigned char)c))
        return literal(ps);
    if (isalpha((unsigned char)c))
        return ident(ps);
    ps->bad = 1;
    return NULL;
}

/* Arguments of f(...) or f[...]: chains, each with an optional "| condition". */
static fms_math *call(parser *ps, fms_math *f, char close)
{
    fms_math *m = node(ps, FMS_M_CALL, 0);
    if (m == NULL)
        return NULL;
    m->op = close == ']' ? '[' : '(';
    push(ps, m, f);
    do {
        fms_math *arg = chain(ps);
        if (accept(ps, "|"))
            arg = binary_node(ps, FMS_M_COND, '|', arg, chain(ps));
        push(ps, m, arg);
    } while (!ps->bad && accept(ps, ","));
    if (!accept(ps, close == ']' ? "]" : ")"))
        ps->bad = 1;
    return m;
}

/* hat(a), norm(a), frac(a, b); NULL when the text starts with none of them. */
static fms_math *special(parser *ps)
{
    if (strncmp(ps->s, "hat(", 4) != 0 && strncmp(ps->s, "norm(", 5) != 0 && strncmp(ps->s, "frac(", 5) != 0)
        return NULL;
    char kind = ps->s[0];
    ps->s = strchr(ps->s, '(') + 1;
    fms_math *a = chain(ps), *m;
    if (kind == 'f') {
        if (!accept(ps, ","))
            ps->bad = 1;
        m = binary_node(ps, FMS_M_FRAC, '/', a, chain(ps));
    } else {
        m = unary_node(ps, kind == 'h' ? FMS_M_HAT : FMS_M_NORM, a);
    }
    if (!accept(ps, ")"))
        ps->bad = 1;
    return m;
}

static fms_math *postfix(parser *ps)
{
    skip(ps);
    fms_math *m = special(ps);
    if (m == NULL && !ps->bad)
        m = atom(ps);
    if (*ps->s == '_') {
        ps->s++;
        m = binary_node(ps, FMS_M_SUB, '_', m, atom(ps));
    }
    if (*ps->s == '(' || *ps->s == '[') {
        char close = *ps->s == '(' ? ')' : ']';
        ps->s++;
        m = call(ps, m, close);
    }
    return m;
}

static fms_math *power(parser *ps)
{
    fms_math *m = postfix(ps);
    if (accept(ps, "^"))
        m = binary_node(ps, FMS_M_POW, '^', m, unary(ps));
    return m;
}

static fms_math *unary(parser *ps)
{
    skip(ps);
    if (accept(ps, "-"))
        return unary_node(ps, FMS_M_NEG, unary(ps));
    return power(ps);
}

static fms_math *term(parser *ps)
{
    fms_math *m = unary(ps);
    for (;;) {
        skip(ps);
        char c = *ps->s;
        if (c != '*' && c != '/')
            return m;
        ps->s++;
        m = binary_node(ps, FMS_M_BIN, c, m, unary(ps));
    }
}

static fms_math *expr(parser *ps)
{
    fms_math *m = term(ps);
    for (;;) {
        skip(ps);
        char c = *ps->s;
        if ((c != '+' && c != '-') || ps->s[1] == '>')
            return m;
        ps->s++;
        m = binary_node(ps, FMS_M_BIN, c, m, term(ps));
    }
}

static const struct { const char *tok; fms_rel rel; } RELS[] = {
    { "=~", FMS_REL_AUTO }, { "=", FMS_REL_EQ }, { "~", FMS_REL_APPROX },
    { "->", FMS_REL_TO }, { "prop", FMS_REL_PROP }, { ":", FMS_REL_RATIO }, { "dist", FMS_REL_DIST },
    { "<", FMS_REL_LT }, { ">", FMS_REL_GT },
};

static int relation(parser *ps, fms_rel *out)
{
    for (size_t i = 0; i < sizeof RELS / sizeof RELS[0]; i++)
        if (accept(ps, RELS[i].tok)) {
            *out = RELS[i].rel;
            return 1;
        }
    return 0;
}

static fms_math *chain(parser *ps)
{
    fms_rel r;
    fms_math *first;
    if (relation(ps, &r)) { /* "= 0.5": a relation with its left side understood */
        first = node(ps, FMS_M_WORD, 0);
        if (first)
            first->text = "";
    } else {
        first = expr(ps);
        if (ps->bad || !relation(ps, &r))
            return first;
    }
    fms_math *m = node(ps, FMS_M_REL, 0);
    if (m == NULL)
        return NULL;
    push(ps, m, first);
    fms_rel rels[64];
    size_t nrel = 0;
    do {
        if (nrel < 64)
            rels[nrel++] = r;
        push(ps, m, expr(ps));
    } while (!ps->bad && relation(ps, &r));
    m->rel = fms_math_pool_alloc(ps->pool, nrel * sizeof *m->rel);
    if (m->rel == NULL || nrel + 1 != m->n)
        ps->bad = 1;
    else
        memcpy(m->rel, rels, nrel * sizeof *m->rel);
    return m;
}

fms_math *fms_math_vparse(fms_math_pool *p, const char *fmt, va_list *ap, const char **err_at)
{
    parser ps = { .pool = p, .s = fmt, .ap = ap };
    fms_math *m = chain(&ps);
    skip(&ps);
    if (*ps.s != '\0')
        ps.bad = 1;
    if (err_at)
        *err_at = ps.bad ? ps.s : NULL;
    return ps.bad ? NULL : m;
}

fms_math *fms_math_parse(fms_math_pool *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fms_math *m = fms_math_vparse(p, fmt, &ap, NULL);
    va_end(ap);
    return m;
}

/* ---- exactness ---------------------------------------------------------------- */

int fms_math_shows_exact(const fms_math *m)
{
    if (m == NULL)
        return 1;
    if (m->kind == FMS_M_NUM) {
        fms_num_shown s;
        fms_math_num_show(&m->num, &s);
        return s.exact;
    }
    for (size_t i = 0; i < m->n; i++)
        if (!fms_math_shows_exact(m->a[i]))
            return 0;
    return 1;
}

fms_rel fms_math_rel_shown(const fms_math *rel, size_t i)
{
    fms_rel r = rel->rel[i];
    if (r != FMS_REL_AUTO)
        return r;
    return fms_math_shows_exact(rel->a[i]) && fms_math_shows_exact(rel->a[i + 1]) ? FMS_REL_EQ : FMS_REL_APPROX;
}

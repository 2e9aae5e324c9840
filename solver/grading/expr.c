/* expr.c — see expr.h.
 *
 * The text is tokenised and parsed here into a small tree of nodes (children
 * before parents in one array), which is evaluated directly: as a double at
 * the grader's random points (fms_expr_eval), and in log space for constant
 * answers beyond the range of a double (fms_expr_eval_log).
 *
 * The double evaluation used to go through GNU libmatheval, which read a
 * fully parenthesised rewrite of this tree.  libmatheval simplified
 * what it read before evaluating it (x + 0 is x, also for x = −0).  The true
 * identities among those simplifications are kept, as one table
 * (libmatheval_identity), so that formulas keep their doubles; the false one
 * (0^x = 0, also for x ≤ 0) is not.
 */
#include "grading/expr.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "model/data.h"

/* ln 10, π and e, which <math.h> only defines outside strict C11. */
static const double ln10 = 2.30258509299404568402;
static const double pi = 3.14159265358979323846;
static const double euler_e = 2.71828182845904523536;

typedef enum node_type {
    N_NUM, N_VAR, N_E, N_PI, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV, N_POW,
    N_EXP, N_LOG, N_SQRT, N_ABS, N_SIN, N_COS
} node_type;

typedef struct node {
    node_type type;
    int a, b;          /* children (indices, below this node's), -1 when absent */
    int var;           /* N_VAR: index into the vars list */
    double mant;       /* N_NUM: value = mant·10^e10 (mant as written, ≥ 0) */
    long long e10;
    double val;        /* N_NUM: the value as strtod reads it (may be 0 or inf) */
    /* The double evaluation (see read_as_folded): */
    int folded;        /* 1: the value is fixed, folded_val */
    double folded_val;
    int as;            /* otherwise evaluated as this node (itself, or a child) */
} node;

typedef enum tok_type {
    T_END, T_NUM, T_NAME, T_LP, T_RP, T_COMMA, T_PLUS, T_MINUS, T_STAR, T_SLASH,
    T_CARET, T_PERCENT, T_SUPER
} tok_type;

typedef struct token {
    tok_type type;
    size_t pos;        /* byte offset in the text, for messages */
    size_t len;
    double mant;       /* T_NUM */
    long long e10;
    double val;
    long long super;   /* T_SUPER: the integer written in superscript */
} token;

struct fms_expr {
    node *nodes;
    int nnodes, cap;
    int root;
    char vars[FMS_EXPR_MAX_VARS][16];
    int nvars;
    int uses_vars;
};

typedef struct parser {
    fms_expr *e;
    const char *s;
    size_t len;
    size_t pos;
    token tok;
    int depth;
    fms_error *err;
    fms_status st;
    const fms_data *labels;   /* names read as data points, or NULL */
    int e_var;                /* the variable e stands for, or -1 (Euler's number) */
} parser;
/* ---- tokens ---------------------------------------------------------- */

/* UTF-8 spellings of the operators, read as their ASCII meaning. */
static const struct { const char *utf8; char ascii; } op_alias[] = {
    { "\xe2\x88\x92", '-' }, /* − U+2212 */
    { "\xe2\x80\x90", '-' }, { "\xe2\x80\x91", '-' }, { "\xe2\x80\x92", '-' },
    { "\xe2\x80\x93", '-' }, { "\xe2\x80\x94", '-' }, { "\xe2\x80\x95", '-' },
    { "\xef\xb9\xa3", '-' }, { "\xef\xbc\x8d", '-' }, /* small and fullwidth hyphen-minus */
    { "\xc3\x97", '*' },     /* × */
    { "\xc2\xb7", '*' },     /* · */
    { "\xe2\x8b\x85", '*' }, /* ⋅ */
    { "\xe2\x88\x99", '*' }, /* ∙ */
    { "\xe2\x88\x97", '*' }, /* ∗ */
    { "\xc3\xb7", '/' },     /* ÷ */
    { "\xe2\x88\x95", '/' }, /* ∕ */
    { "\xef\xbc\x8b", '+' }, /* fullwidth + */
};

static const char *const superscript_digit[10] = {
    "\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3", "\xe2\x81\xb4",
    "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8", "\xe2\x81\xb9",
};
#define SUPER_MINUS "\xe2\x81\xbb"
#define SUPER_PLUS "\xe2\x81\xba"

static int starts(const parser *p, size_t at, const char *lit)
{
    size_t n = strlen(lit);
    return at + n <= p->len && memcmp(p->s + at, lit, n) == 0;
}

static fms_status fail(parser *p, fms_status st, const char *fmt, const char *arg, size_t pos)
{
    if (p->st == FMS_OK) {
        p->st = st;
        char where[48];
        snprintf(where, sizeof where, " (at character %zu)", pos + 1);
        char msg[FMS_ERROR_MSG_MAX - 64];
        snprintf(msg, sizeof msg, fmt, arg ? arg : "");
        fms_error_set(p->err, st, 0, "%s%s", msg, st == FMS_EINVAL || st == FMS_EDOM ? where : "");
    }
    return st;
}

/* A blank, including the no-break and thin spaces that pasted text carries. */
static size_t blank_len(const parser *p, size_t at)
{
    char c = p->s[at];
    if (c == ' ' || c == '\t')
        return 1;
    if (starts(p, at, "\xc2\xa0"))
        return 2;
    if (starts(p, at, "\xe2\x80\x89") || starts(p, at, "\xe2\x80\xaf") || starts(p, at, "\xe2\x80\x8a"))
        return 3;
    return 0;
}

static size_t op_len(const parser *p, size_t at, char *ascii)
{
    for (size_t i = 0; i < sizeof op_alias / sizeof op_alias[0]; i++)
        if (starts(p, at, op_alias[i].utf8)) {
            *ascii = op_alias[i].ascii;
            return strlen(op_alias[i].utf8);
        }
    return 0;
}

static int super_digit(const parser *p, size_t at, size_t *n)
{
    for (int d = 0; d < 10; d++)
        if (starts(p, at, superscript_digit[d])) {
            *n = strlen(superscript_digit[d]);
            return d;
        }
    return -1;
}

/* Letters a name may hold: ASCII letters, digits, '_', and Greek letters and
 * the subscript t (ₜ) in UTF-8, so that ε_θ, Δt and xₜ are names. */
static size_t name_char_len(const parser *p, size_t at, int first)
{
    unsigned char c = (unsigned char)p->s[at];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return 1;
    if (!first && c >= '0' && c <= '9')
        return 1;
    if ((c == 0xCE || c == 0xCF) && at + 1 < p->len) {
        unsigned char c2 = (unsigned char)p->s[at + 1];
        if (c2 >= 0x80 && c2 <= 0xBF && !(c == 0xCE && c2 == 0x87)) /* not the ano teleia */
            return 2;
    }
    if (!first && starts(p, at, "\xe2\x82\x9c")) /* ₜ */
        return 3;
    return 0;
}

static int is_digit_at(const parser *p, size_t at)
{
    return at < p->len && p->s[at] >= '0' && p->s[at] <= '9';
}

/* Copies the digits and the decimal point of a number at i into buf (nb
 * bytes, NUL-terminated); returns the index after them. */
static size_t read_decimal(const parser *p, size_t i, char *buf, size_t *nb)
{
    *nb = 0;
    while (is_digit_at(p, i))
        buf[(*nb)++] = p->s[i++];
    if (i < p->len && p->s[i] == '.') {
        buf[(*nb)++] = p->s[i++];
        while (is_digit_at(p, i))
            buf[(*nb)++] = p->s[i++];
    }
    buf[*nb] = '\0';
    return i;
}

/* Reads an exponent e±DD at i (the sign may be U+2212) into *e10 and returns
 * the index after it; without digits after the e it returns i: the e is then
 * a name after the number, which the parser refuses. */
static size_t read_exponent(const parser *p, size_t i, long long *e10)
{
    *e10 = 0;
    if (i >= p->len || (p->s[i] != 'e' && p->s[i] != 'E'))
        return i;
    size_t j = i + 1;
    int neg = 0;
    if (j < p->len && (p->s[j] == '+' || p->s[j] == '-')) {
        neg = p->s[j] == '-';
        j++;
    } else if (starts(p, j, "\xe2\x88\x92")) {
        neg = 1;
        j += 3;
    }
    if (!is_digit_at(p, j))
        return i;
    /* Exponents beyond 1e15 only saturate: no answer needs them, and the cap
     * keeps the arithmetic of normalise from overflowing. */
    while (is_digit_at(p, j)) {
        if (*e10 < 1000000000000000LL)
            *e10 = *e10 * 10 + (p->s[j] - '0');
        j++;
    }
    if (neg)
        *e10 = -*e10;
    return j;
}

/* For log space, the digits buf (nb bytes, with at most one '.') times
 * 10^e10 as t->mant·10^t->e10 with t->mant = d.ddd, so that a long decimal
 * such as 0.000…01 or 999…9 keeps its value where a double would not. */
static void normalise(const char *buf, size_t nb, long long e10, token *t)
{
    char sig[40];
    size_t ns = 0;
    long long point = 0; /* digits before the decimal point, minus leading zeros */
    int seen = 0, before = 1;
    for (size_t k = 0; k < nb; k++) {
        if (buf[k] == '.') {
            before = 0;
            continue;
        }
        if (!seen && buf[k] == '0') {
            if (!before)
                point--;
            continue;
        }
        seen = 1;
        if (before)
            point++;
        if (ns < 20) {
            sig[ns++] = buf[k];
            if (ns == 1)
                sig[ns++] = '.';
        }
    }
    sig[ns] = '\0';
    t->mant = seen ? strtod(sig, NULL) : 0.0;
    t->e10 = seen ? e10 + point - 1 : 0;
}

/* Reads a decimal number at p->pos: digits, an optional fraction, an optional
 * exponent.  The value is kept both as strtod reads it and as a mantissa and
 * a power of ten, so that 3.1e-500 is not lost to underflow. */
static fms_status lex_number(parser *p, token *t)
{
    char buf[FMS_EXPR_MAX_LEN + 1];
    size_t nb;
    size_t i = read_decimal(p, p->pos, buf, &nb);
    if (strcmp(buf, ".") == 0)
        return fail(p, FMS_EINVAL, "a lone '.' is not a number", NULL, p->pos);
    long long e10;
    i = read_exponent(p, i, &e10);
    char full[FMS_EXPR_MAX_LEN + 32];
    snprintf(full, sizeof full, "%se%lld", buf, e10);
    t->val = strtod(full, NULL); /* correctly rounded, or 0 / inf out of range */
    normalise(buf, nb, e10, t);
    t->type = T_NUM;
    t->len = i - p->pos;
    return FMS_OK;
}

static void lex_name(const parser *p, token *t)
{
    size_t i = p->pos, k;
    while (i < p->len && (k = name_char_len(p, i, i == p->pos)) > 0)
        i += k;
    t->type = T_NAME;
    t->len = i - p->pos;
}

static int super_starts(const parser *p, size_t at)
{
    size_t n;
    return super_digit(p, at, &n) >= 0 || starts(p, at, SUPER_MINUS) || starts(p, at, SUPER_PLUS);
}

/* An exponent in superscript, ⁻²⁰: an optional sign and digits. */
static fms_status lex_super(parser *p, token *t)
{
    size_t i = p->pos, n;
    int neg = starts(p, i, SUPER_MINUS);
    if (neg || starts(p, i, SUPER_PLUS))
        i += 3;
    long long v = 0;
    int d, digits = 0;
    while (i < p->len && (d = super_digit(p, i, &n)) >= 0) {
        if (v < 1000000000000000LL)
            v = v * 10 + d;
        i += n;
        digits++;
    }
    if (digits == 0)
        return fail(p, FMS_EINVAL, "a superscript sign needs superscript digits after it", NULL, p->pos);
    t->type = T_SUPER;
    t->super = neg ? -v : v;
    t->len = i - p->pos;
    return FMS_OK;
}

/* The tokens of one ASCII character (after op_alias). */
static const struct { char ascii; tok_type type; } op_token[] = {
    { '(', T_LP }, { '[', T_LP }, { ')', T_RP }, { ']', T_RP }, { ',', T_COMMA }, { '+', T_PLUS },
    { '-', T_MINUS }, { '*', T_STAR }, { '/', T_SLASH }, { '^', T_CARET }, { '%', T_PERCENT },
};

static fms_status lex_operator(parser *p, token *t)
{
    char ascii = 0;
    size_t n = op_len(p, p->pos, &ascii);
    if (n == 0) {
        n = 1;
        ascii = p->s[p->pos];
    }
    for (size_t i = 0; i < sizeof op_token / sizeof op_token[0]; i++) {
        if (op_token[i].ascii != ascii)
            continue;
        t->type = op_token[i].type;
        t->len = n;
        if (ascii == '*' && n == 1 && p->pos + 1 < p->len && p->s[p->pos + 1] == '*') {
            t->type = T_CARET; /* ** as in Python */
            t->len = 2;
        }
        return FMS_OK;
    }
    /* Quote the whole UTF-8 character, not a lone byte of it (a byte that
     * starts no character is quoted in hex: messages stay UTF-8). */
    char ch[8] = { 0 };
    size_t m = fms_utf8_seq_len(p->s + p->pos, p->len - p->pos);
    if (m > 0)
        memcpy(ch, p->s + p->pos, m);
    else
        snprintf(ch, sizeof ch, "\\x%02X", (unsigned char)p->s[p->pos]);
    return fail(p, FMS_EINVAL, "unexpected character '%s'", ch, p->pos);
}

static fms_status next(parser *p)
{
    size_t b;
    while (p->pos < p->len && (b = blank_len(p, p->pos)) > 0)
        p->pos += b;
    token *t = &p->tok;
    memset(t, 0, sizeof *t);
    t->pos = p->pos;
    fms_status st = FMS_OK;
    if (p->pos >= p->len)
        t->type = T_END;
    else if (is_digit_at(p, p->pos) || (p->s[p->pos] == '.' && is_digit_at(p, p->pos + 1)))
        st = lex_number(p, t);
    else if (name_char_len(p, p->pos, 1) > 0)
        lex_name(p, t);
    else if (super_starts(p, p->pos))
        st = lex_super(p, t);
    else
        st = lex_operator(p, t);
    if (st != FMS_OK)
        return p->st;
    p->pos += t->len;
    return FMS_OK;
}

/* Copies the start of a token for a message, cut at a character boundary so
 * that messages (and the JSON reports that carry them) stay valid UTF-8. */
static void quote_token(const char *s, const token *t, char *out, size_t outsz)
{
    size_t n = fms_utf8_cut(s + t->pos, t->len, outsz - 1);
    memcpy(out, s + t->pos, n);
    out[n] = '\0';
}

/* ---- tree ------------------------------------------------------------ */

static int add_node(parser *p, node_type type, int a, int b)
{
    fms_expr *e = p->e;
    if (e->nnodes == e->cap) {
        int cap = e->cap ? 2 * e->cap : 32;
        node *nn = realloc(e->nodes, (size_t)cap * sizeof *nn);
        if (nn == NULL) {
            fail(p, FMS_ENOMEM, "out of memory", NULL, 0);
            return -1;
        }
        e->nodes = nn;
        e->cap = cap;
    }
    node *n = &e->nodes[e->nnodes];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->a = a;
    n->b = b;
    return e->nnodes++;
}

static int num_node(parser *p, double mant, long long e10, double val)
{
    int i = add_node(p, N_NUM, -1, -1);
    if (i >= 0) {
        p->e->nodes[i].mant = mant;
        p->e->nodes[i].e10 = e10;
        p->e->nodes[i].val = val;
    }
    return i;
}

/* ---- names ----------------------------------------------------------- */

/* The functions and constants (the other names are variables). */
static const struct { const char *word; node_type type; } builtin_name[] = {
    { "exp", N_EXP }, { "log", N_LOG }, { "ln", N_LOG }, { "sqrt", N_SQRT }, { "abs", N_ABS },
    { "sin", N_SIN }, { "cos", N_COS },
    { "e", N_E }, { "pi", N_PI }, { "\xcf\x80", N_PI },
};

static int is_function(node_type type)
{
    return type == N_EXP || type == N_LOG || type == N_SQRT || type == N_ABS || type == N_SIN || type == N_COS;
}

static const struct { const char *alias; const char *name; } var_alias[] = {
    { "x_t", "x_t" }, { "xt", "x_t" }, { "x", "x_t" }, { "x\xe2\x82\x9c", "x_t" },
    { "eps", "eps" }, { "\xce\xb5", "eps" }, { "\xcf\xb5", "eps" }, { "epsilon", "eps" },
    { "eps_theta", "eps_theta" }, { "epstheta", "eps_theta" }, { "epsilon_theta", "eps_theta" },
    { "\xce\xb5_\xce\xb8", "eps_theta" }, { "\xce\xb5\xce\xb8", "eps_theta" },
    { "\xcf\xb5_\xce\xb8", "eps_theta" }, { "\xce\xb5_theta", "eps_theta" },
    { "eps_\xce\xb8", "eps_theta" }, { "eps_th", "eps_theta" },
    { "t", "t" },
    { "dt", "dt" }, { "\xce\x94t", "dt" }, { "\xce\x94_t", "dt" }, { "delta_t", "dt" },
    { "Delta_t", "dt" }, { "deltat", "dt" }, { "\xce\xb4t", "dt" }, { "h", "dt" },
    { "u", "u" }, { "u_\xce\xb8", "u" }, { "u\xce\xb8", "u" }, { "u_theta", "u" }, { "u_th", "u" },
    /* the model outputs of the other parameterizations (model/pathexpr.h) */
    { "velocity", "u" }, { "score", "s" },
    { "x1_\xce\xb8", "x1_theta" }, { "s_\xce\xb8", "s_theta" }, { "v_\xce\xb8", "v_theta" },
};

/* The model outputs that, like ε and ε_θ, stand for each other when only one is asked. */
static const char *const theta_twins[][2] = {
    { "eps", "eps_theta" }, { "u", "u_theta" }, { "x1", "x1_theta" }, { "s", "s_theta" }, { "v", "v_theta" },
};

/* Variables written as functions of (x_t, t): the arguments are read (so that
 * junk in them is still an error) and dropped. */
static int is_model_output(const char *name)
{
    size_t n = strlen(name);
    return strcmp(name, "eps_theta") == 0 || strcmp(name, "u") == 0 || (n > 6 && strcmp(name + n - 6, "_theta") == 0);
}


static int var_index(const fms_expr *e, const char *name)
{
    for (int i = 0; i < e->nvars; i++)
        if (strcmp(e->vars[i], name) == 0)
            return i;
    return -1;
}

/* The variable a written name stands for in this answer, or -1. */
static int resolve_var(const fms_expr *e, const char *word)
{
    for (size_t i = 0; i < sizeof var_alias / sizeof var_alias[0]; i++) {
        if (strcmp(var_alias[i].alias, word) != 0)
            continue;
        word = var_alias[i].name;
        break;
    }
    int k = var_index(e, word);
    /* ε for ε_θ and the other way round, when only one of them is asked. */
    for (size_t i = 0; k < 0 && i < sizeof theta_twins / sizeof theta_twins[0]; i++)
        for (int side = 0; side < 2; side++)
            if (strcmp(word, theta_twins[i][side]) == 0)
                k = var_index(e, theta_twins[i][!side]);
    return k;
}

/* ---- grammar -----------------------------------------------------------
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary | implicit-product unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := postfix ('^' unary | SUPERSCRIPT)?       (right-associative)
 *   postfix := primary '%'?
 *   primary := NUMBER | NAME | FUNCTION '(' expr ')' | VAR '(' args ')' | '(' expr ')'
 */

static int parse_expr(parser *p);
static int parse_unary(parser *p);

static int enter(parser *p)
{
    if (++p->depth > FMS_EXPR_MAX_DEPTH) {
        char lim[16];
        snprintf(lim, sizeof lim, "%d", FMS_EXPR_MAX_DEPTH);
        fail(p, FMS_EINVAL, "the expression is nested more than %s levels deep", lim, p->tok.pos);
        return 0;
    }
    return 1;
}

static int expect_rp(parser *p, size_t open_pos)
{
    if (p->tok.type != T_RP) {
        fail(p, FMS_EINVAL, p->tok.type == T_END ? "a '(' is never closed" : "expected ')'", NULL,
             p->tok.type == T_END ? open_pos : p->tok.pos);
        return 0;
    }
    return next(p) == FMS_OK;
}

/* '(' expr ')' from the '(' that is the current token, or with list the
 * arguments '(' expr (',' expr)* ')'; returns the (first) expression. */
static int parse_parens(parser *p, int list)
{
    size_t open = p->tok.pos;
    if (next(p) != FMS_OK || !enter(p))
        return -1;
    int a = parse_expr(p);
    while (list && a >= 0 && p->tok.type == T_COMMA)
        if (next(p) != FMS_OK || parse_expr(p) < 0)
            a = -1;
    p->depth--;
    if (a < 0 || !expect_rp(p, open))
        return -1;
    return a;
}

static void unknown_name(parser *p, const char *word, size_t pos)
{
    char msg[160];
    if (p->e->nvars == 0)
        snprintf(msg, sizeof msg, "'%s' is not a number (write the value, e.g. 0.5 or exp(-45))", word);
    else {
        char list[FMS_EXPR_MAX_VARS * 18] = "";
        for (int i = 0; i < p->e->nvars; i++) {
            strcat(list, i ? ", " : "");
            strcat(list, p->e->vars[i]);
        }
        snprintf(msg, sizeof msg, "'%s' is not a variable of this answer (use %s)", word, list);
    }
    fail(p, FMS_ENOTFOUND, "%s", msg, pos);
}

/* A data label as its point x_k: a number node, negated when x_k < 0. */
static int label_node(parser *p, long k)
{
    double x = p->labels->x[k], a = fabs(x);
    int i = num_node(p, a, 0, a);
    return i >= 0 && x < 0 ? add_node(p, N_NEG, i, -1) : i;
}

static int parse_var(parser *p, const char *word, size_t pos)
{
    int v = resolve_var(p->e, word);
    if (v < 0) {
        long k = p->labels ? fms_data_find(p->labels, word) : -1;
        if (k >= 0)
            return label_node(p, k);
        unknown_name(p, word, pos);
        return -1;
    }
    p->e->uses_vars = 1;
    int node_i = add_node(p, N_VAR, -1, -1);
    if (node_i < 0)
        return -1;
    p->e->nodes[node_i].var = v;
    /* ε_θ(x_t, t) names the model's output. */
    if (p->tok.type == T_LP && is_model_output(p->e->vars[v]) && parse_parens(p, 1) < 0)
        return -1;
    return node_i;
}

/* A name (token t, the current one): a function call, a constant or a variable. */
static int parse_name(parser *p, const token *t)
{
    char word[64];
    if (t->len >= sizeof word) {
        fail(p, FMS_ENOTFOUND, "a name of more than 60 letters is not a variable", NULL, t->pos);
        return -1;
    }
    memcpy(word, p->s + t->pos, t->len);
    word[t->len] = '\0';
    if (next(p) != FMS_OK)
        return -1;
    if (p->e_var >= 0 && strcmp(word, "e") == 0) {
        p->e->uses_vars = 1;
        int node_i = add_node(p, N_VAR, -1, -1);
        if (node_i >= 0)
            p->e->nodes[node_i].var = p->e_var;
        return node_i;
    }
    for (size_t i = 0; i < sizeof builtin_name / sizeof builtin_name[0]; i++) {
        node_type type = builtin_name[i].type;
        if (strcmp(word, builtin_name[i].word) != 0)
            continue;
        if (!is_function(type))
            return add_node(p, type, -1, -1);
        if (p->tok.type != T_LP) {
            fail(p, FMS_EINVAL, "the function %s needs its argument in parentheses", word, t->pos);
            return -1;
        }
        int a = parse_parens(p, 0);
        return a < 0 ? -1 : add_node(p, type, a, -1);
    }
    return parse_var(p, word, t->pos);
}

static int parse_primary(parser *p)
{
    token t = p->tok;
    switch (t.type) {
    case T_NUM:
        return next(p) == FMS_OK ? num_node(p, t.mant, t.e10, t.val) : -1;
    case T_LP:
        return parse_parens(p, 0);
    case T_NAME:
        return parse_name(p, &t);
    case T_END:
        fail(p, FMS_EINVAL, "the expression ends where a value is expected", NULL, t.pos);
        return -1;
    default: {
        char what[16];
        quote_token(p->s, &t, what, sizeof what);
        fail(p, FMS_EINVAL, "unexpected '%s' where a value is expected", what, t.pos);
        return -1;
    }
    }
}

static int parse_postfix(parser *p)
{
    int a = parse_primary(p);
    if (a < 0)
        return -1;
    if (p->tok.type == T_PERCENT) {
        if (next(p) != FMS_OK)
            return -1;
        int h = num_node(p, 1.0, -2, 0.01);
        return h < 0 ? -1 : add_node(p, N_MUL, a, h);
    }
    return a;
}

static int parse_power(parser *p)
{
    int a = parse_postfix(p);
    if (a < 0)
        return -1;
    if (p->tok.type == T_CARET) {
        if (next(p) != FMS_OK || !enter(p))
            return -1;
        int b = parse_unary(p);
        p->depth--;
        return b < 0 ? -1 : add_node(p, N_POW, a, b);
    }
    if (p->tok.type == T_SUPER) {
        long long v = p->tok.super;
        if (next(p) != FMS_OK)
            return -1;
        int b = num_node(p, (double)(v < 0 ? -v : v), 0, (double)(v < 0 ? -v : v));
        if (b >= 0 && v < 0)
            b = add_node(p, N_NEG, b, -1);
        return b < 0 ? -1 : add_node(p, N_POW, a, b);
    }
    return a;
}

static int parse_unary(parser *p)
{
    if (p->tok.type == T_MINUS || p->tok.type == T_PLUS) {
        int neg = p->tok.type == T_MINUS;
        if (next(p) != FMS_OK || !enter(p))
            return -1;
        int a = parse_unary(p);
        p->depth--;
        if (a < 0)
            return -1;
        return neg ? add_node(p, N_NEG, a, -1) : a;
    }
    return parse_power(p);
}

/* Whether a blank comes right before byte pos. */
static int blank_before(const parser *p, size_t pos)
{
    for (size_t k = 1; k <= 3 && k <= pos; k++)
        if (blank_len(p, pos - k) == k)
            return 1;
    return 0;
}

/* A bare e (the current token) after a value: "2.86 e-20" or "2e" is the
 * misread exponent, refused with a hint (FMS_EDOM); "10e^-45" is a product,
 * since an exponent never starts with '^'.  Returns 1 when e may follow. */
static int e_may_follow(parser *p)
{
    const token *t = &p->tok;
    if (t->type != T_NAME || t->len != 1 || (p->s[t->pos] != 'e' && p->s[t->pos] != 'E'))
        return 1;
    size_t i = t->pos + 1, b;
    while (i < p->len && (b = blank_len(p, i)) > 0)
        i += b;
    if (i < p->len && (p->s[i] == '^' || (p->s[i] == '*' && starts(p, i, "**")) || super_starts(p, i)))
        return 1;
    if (blank_before(p, t->pos))
        fail(p, FMS_EDOM, "a value, a space and e can be read two ways: write 1.5e-20 (no space) for 1.5·10^-20, "
                          "or 1.5*e for 1.5 times e", NULL, t->pos);
    else
        fail(p, FMS_EDOM, "a value followed by a bare e can be read two ways: write 2e-20 for 2·10^-20 (digits after "
                          "the e), or 2*e for twice e", NULL, t->pos);
    return 0;
}

static int parse_term(parser *p)
{
    int a = parse_unary(p);
    while (a >= 0) {
        tok_type ty = p->tok.type;
        node_type op;
        if (ty == T_STAR || ty == T_SLASH) {
            op = ty == T_STAR ? N_MUL : N_DIV;
            if (next(p) != FMS_OK)
                return -1;
        } else if (ty == T_NAME || ty == T_LP) {
            /* An implicit product: 2t, 2(x − 1), (a)(b), 10e^-45. */
            if (!e_may_follow(p))
                return -1;
            op = N_MUL;
        } else
            break;
        int b = parse_unary(p);
        if (b < 0)
            return -1;
        a = add_node(p, op, a, b);
    }
    return a;
}

static int parse_expr(parser *p)
{
    int a = parse_term(p);
    while (a >= 0 && (p->tok.type == T_PLUS || p->tok.type == T_MINUS)) {
        node_type op = p->tok.type == T_PLUS ? N_ADD : N_SUB;
        if (next(p) != FMS_OK)
            return -1;
        int b = parse_term(p);
        if (b < 0)
            return -1;
        a = add_node(p, op, a, b);
    }
    return a;
}

/* ---- evaluation as a double ------------------------------------------- */

/* The value of an operator from its operands' values (b is unused by the
 * unary ones). */
static double apply(node_type type, double a, double b)
{
    switch (type) {
    case N_NEG: return -a;
    case N_ADD: return a + b;
    case N_SUB: return a - b;
    case N_MUL: return a * b;
    case N_DIV: return a / b;
    case N_POW: return pow(a, b);
    case N_EXP: return exp(a);
    case N_LOG: return log(a);
    case N_SQRT: return sqrt(a);
    case N_ABS: return fabs(a);
    case N_SIN: return sin(a);
    case N_COS: return cos(a);
    case N_NUM: case N_VAR: case N_E: case N_PI: break; /* not operators */
    }
    return NAN;
}

/* What libmatheval made of an operator one operand of which is a fixed
 * number (the other is not, or the whole node is fixed): it kept the other
 * operand, or fixed the node at 1.  Each row is a true identity: x + 0 and
 * x − 0 differ from x in the sign of a zero only, which the sign of a later
 * infinity shows (a draw can be −0); x^0 and 1^x are 1 as C's pow gives them.
 * libmatheval's 0^x = 0 is not here: it is false for x ≤ 0 (0^(t − 1) is
 * undefined for t < 1), and a table row must never make a wrong formula
 * right. */
typedef enum identity_result { KEEP_LEFT, KEEP_RIGHT, FIX_1 } identity_result;

typedef struct identity {
    node_type op;
    int right;              /* the fixed operand: 0 the left one, 1 the right one */
    double value;           /* ... when it is this number */
    identity_result result;
} identity;

static const identity libmatheval_identity[] = {
    { N_ADD, 0, 0.0, KEEP_RIGHT }, { N_ADD, 1, 0.0, KEEP_LEFT },   /* 0 + x, x + 0 */
    { N_SUB, 1, 0.0, KEEP_LEFT },                                  /* x − 0 */
    { N_MUL, 0, 1.0, KEEP_RIGHT }, { N_MUL, 1, 1.0, KEEP_LEFT },   /* 1·x, x·1 */
    { N_DIV, 1, 1.0, KEEP_LEFT },                                  /* x/1 */
    { N_POW, 0, 1.0, FIX_1 },                                      /* 1^x */
    { N_POW, 1, 0.0, FIX_1 }, { N_POW, 1, 1.0, KEEP_LEFT },        /* x^0, x^1 */
};

/* Decides once how node i evaluates as a double, as libmatheval did: a
 * subtree of numbers only (no e, π or variable) is fixed at its value, and
 * an identity above may replace an operator.  The children of i come before
 * it in the array, so they are decided already. */
static void fix_node(fms_expr *e, int i)
{
    node *n = &e->nodes[i];
    n->as = i;
    n->folded = n->type == N_NUM;
    n->folded_val = n->val;
    if (n->a < 0)
        return;
    const node *a = &e->nodes[n->a], *b = n->b >= 0 ? &e->nodes[n->b] : NULL;
    if (a->folded && (b == NULL || b->folded)) {
        n->folded = 1;
        n->folded_val = apply(n->type, a->folded_val, b ? b->folded_val : 0.0);
        return;
    }
    for (size_t k = 0; b && k < sizeof libmatheval_identity / sizeof libmatheval_identity[0]; k++) {
        const identity *id = &libmatheval_identity[k];
        const node *fixed = id->right ? b : a;
        if (id->op != n->type || !fixed->folded || fixed->folded_val != id->value)
            continue;
        if (id->result == KEEP_LEFT || id->result == KEEP_RIGHT)
            n->as = id->result == KEEP_LEFT ? n->a : n->b;
        else {
            n->folded = 1;
            n->folded_val = 1.0;
        }
        return;
    }
}

static double eval_node(const fms_expr *e, int i, const double *vals)
{
    const node *n = &e->nodes[i];
    if (n->folded)
        return n->folded_val;
    if (n->as != i)
        return eval_node(e, n->as, vals);
    switch (n->type) {
    case N_VAR: return vals[n->var];
    case N_E: return euler_e;
    case N_PI: return pi;
    default: break;
    }
    double a = eval_node(e, n->a, vals);
    return apply(n->type, a, n->b >= 0 ? eval_node(e, n->b, vals) : 0.0);
}

/* ---- the interface ----------------------------------------------------- */

/* Fills e->vars from the space-separated canonical names in vars. */
static fms_status read_vars(fms_expr *e, const char *vars, fms_error *err)
{
    for (const char *v = vars ? vars : ""; *v;) {
        while (*v == ' ')
            v++;
        size_t n = strcspn(v, " ");
        if (n == 0)
            break;
        if (e->nvars == FMS_EXPR_MAX_VARS || n >= sizeof e->vars[0])
            return fms_error_set(err, FMS_EINVAL, 0, "too many or too long variable names in '%s'", vars);
        memcpy(e->vars[e->nvars], v, n);
        e->vars[e->nvars][n] = '\0';
        e->nvars++;
        v += n;
    }
    return FMS_OK;
}

fms_status fms_expr_parse(const char *text, const char *vars, fms_expr **out, fms_error *err)
{
    const fms_expr_opts o = { vars, NULL, NULL };
    return fms_expr_parse_opts(text, &o, out, err);
}

fms_status fms_expr_parse_opts(const char *text, const fms_expr_opts *o, fms_expr **out, fms_error *err)
{
    static const fms_expr_opts none = { NULL, NULL, NULL };
    if (o == NULL)
        o = &none;
    *out = NULL;
    if (text == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "no answer");
    size_t len = strlen(text);
    if (len > FMS_EXPR_MAX_LEN)
        return fms_error_set(err, FMS_EINVAL, 0, "the answer is %zu bytes long (at most %d are read)", len,
                             FMS_EXPR_MAX_LEN);
    fms_expr *e = calloc(1, sizeof *e);
    if (e == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_status st = read_vars(e, o->vars, err);
    if (st != FMS_OK) {
        free(e);
        return st;
    }
    parser p = { e, text, len, 0, { 0 }, 0, err, FMS_OK, o->labels, o->e_means ? var_index(e, o->e_means) : -1 };
    int root = -1;
    if (next(&p) == FMS_OK) {
        if (p.tok.type == T_END)
            fail(&p, FMS_EINVAL, "the answer is empty", NULL, 0);
        else
            root = parse_expr(&p);
    }
    if (p.st == FMS_OK && p.tok.type != T_END) {
        char what[16];
        quote_token(text, &p.tok, what, sizeof what);
        fail(&p, FMS_EINVAL, p.tok.type == T_RP ? "a ')' has no matching '('" : "unexpected '%s' after a complete value",
             what, p.tok.pos);
    }
    if (p.st != FMS_OK || root < 0) {
        st = p.st != FMS_OK ? p.st : FMS_EINVAL;
        fms_expr_free(e);
        return st;
    }
    e->root = root;
    for (int i = 0; i < e->nnodes; i++)
        fix_node(e, i);
    *out = e;
    return FMS_OK;
}

void fms_expr_free(fms_expr *e)
{
    if (e == NULL)
        return;
    free(e->nodes);
    free(e);
}

int fms_expr_is_constant(const fms_expr *e)
{
    return !e->uses_vars;
}

int fms_expr_nvars(const fms_expr *e)
{
    return e->nvars;
}

const char *fms_expr_var(const fms_expr *e, int i)
{
    return e->vars[i];
}

/* Whether the subtree at node i holds a node of type type (and var, for N_VAR). */
static int holds(const fms_expr *e, int i, node_type type, int var)
{
    const node *n = &e->nodes[i];
    if (n->type == type && (type != N_VAR || n->var == var))
        return 1;
    return (n->a >= 0 && holds(e, n->a, type, var)) || (n->b >= 0 && holds(e, n->b, type, var));
}

int fms_expr_uses_var(const fms_expr *e, int i)
{
    return holds(e, e->root, N_VAR, i);
}

int fms_expr_uses_e(const fms_expr *e)
{
    return holds(e, e->root, N_E, 0);
}

fms_status fms_expr_eval(const fms_expr *e, const double *vals, double *out)
{
    static const double zero[FMS_EXPR_MAX_VARS];
    *out = eval_node(e, e->root, vals ? vals : zero);
    return FMS_OK;
}

/* ---- log space ----------------------------------------------------------- */

typedef struct lval {
    int sign;     /* -1, 0, +1 */
    double l;     /* log|value|; -inf when sign is 0 */
} lval;

static const lval lval_zero = { 0, -INFINITY };

static double lval_value(lval v)
{
    return v.sign == 0 ? 0.0 : v.sign * exp(v.l);
}

static lval lval_of(double x)
{
    lval r = { x > 0 ? 1 : x < 0 ? -1 : 0, x == 0 ? -INFINITY : log(fabs(x)) };
    return r;
}

static lval lval_number(const node *n)
{
    if (isfinite(n->val) && n->val >= DBL_MIN)
        return lval_of(n->val); /* exact to rounding while the double holds it */
    lval r = lval_zero;
    if (n->mant > 0) {
        r.sign = 1;
        r.l = log(n->mant) + (double)n->e10 * ln10;
    }
    return r;
}

/* a + b by log-sum-exp. */
static lval lval_add(lval a, lval b)
{
    if (a.sign == 0)
        return b;
    if (b.sign == 0)
        return a;
    lval big = a.l >= b.l ? a : b, small = a.l >= b.l ? b : a, r;
    double d = exp(small.l - big.l); /* ≤ 1 */
    if (big.sign == small.sign) {
        r.sign = big.sign;
        r.l = big.l + log1p(d);
    } else if (d == 1.0)
        r = lval_zero;
    else {
        r.sign = big.sign;
        r.l = big.l + log1p(-d);
    }
    return r;
}

static fms_status lval_pow(lval a, lval b, lval *r)
{
    double y = lval_value(b);
    if (isnan(y))
        return FMS_EDOM;
    if (a.sign == 0)
        return y > 0 ? FMS_OK : FMS_EDOM; /* *r stays 0 */
    if (y == 0) {
        r->sign = 1;
        r->l = 0;
        return FMS_OK;
    }
    if (a.sign < 0) {
        if (!isfinite(y) || y != floor(y))
            return FMS_EDOM;
        r->sign = fmod(y, 2.0) != 0 ? -1 : 1;
    } else
        r->sign = 1;
    r->l = y * a.l;
    return FMS_OK;
}

/* The value of node n in log space from its operands' (*r is 0 on entry). */
static fms_status log_apply(const node *n, lval a, lval b, lval *r)
{
    switch (n->type) {
    case N_NUM: *r = lval_number(n); break;
    case N_VAR: return FMS_EINVAL;
    case N_E: r->sign = 1; r->l = 1.0; break;
    case N_PI: *r = lval_of(pi); break;
    case N_NEG: *r = a; r->sign = -a.sign; break;
    case N_ADD: *r = lval_add(a, b); break;
    case N_SUB: b.sign = -b.sign; *r = lval_add(a, b); break;
    case N_MUL:
        r->sign = a.sign * b.sign;
        r->l = r->sign ? a.l + b.l : -INFINITY;
        break;
    case N_DIV:
        if (b.sign == 0)
            return FMS_EDOM;
        r->sign = a.sign * b.sign;
        r->l = r->sign ? a.l - b.l : -INFINITY;
        break;
    case N_POW: return lval_pow(a, b, r);
    case N_EXP: r->sign = 1; r->l = lval_value(a); break;
    case N_LOG:
        if (a.sign <= 0)
            return FMS_EDOM;
        *r = lval_of(a.l);
        break;
    case N_SQRT:
        if (a.sign < 0)
            return FMS_EDOM;
        *r = a;
        if (a.sign)
            r->l = a.l / 2;
        break;
    case N_ABS:
        *r = a;
        if (a.sign)
            r->sign = 1;
        break;
    case N_SIN: *r = lval_of(sin(lval_value(a))); break;
    case N_COS: *r = lval_of(cos(lval_value(a))); break;
    }
    return FMS_OK;
}

static fms_status log_eval(const fms_expr *e, int i, lval *out)
{
    const node *n = &e->nodes[i];
    lval a = lval_zero, b = lval_zero, r = lval_zero;
    fms_status st;
    if (n->a >= 0 && (st = log_eval(e, n->a, &a)) != FMS_OK)
        return st;
    if (n->b >= 0 && (st = log_eval(e, n->b, &b)) != FMS_OK)
        return st;
    if ((st = log_apply(n, a, b, &r)) != FMS_OK)
        return st;
    if (isnan(r.l) || r.l == INFINITY)
        return FMS_EDOM;
    if (r.l == -INFINITY)
        r.sign = 0;
    *out = r;
    return FMS_OK;
}

fms_status fms_expr_eval_log(const fms_expr *e, int *sign, double *log_abs)
{
    if (e->uses_vars)
        return FMS_EINVAL;
    lval r;
    fms_status st = log_eval(e, e->root, &r);
    if (st != FMS_OK)
        return st;
    *sign = r.sign;
    *log_abs = r.l;
    return FMS_OK;
}

/* notation.c — see notation.h.
 *
 * Three passes over the answer: LaTeX to plain text (a small recursive
 * translator over brace groups), the chain (split at '=' and '≈' outside
 * parentheses, keep the last value), then the number habits of the value
 * (decimal comma, closing full stop, x for ×).  Each pass writes a new
 * string; none reads beyond the text's NUL.
 */
#include "grading/notation.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/utf8.h"

#define MAX_DEPTH 64

/* ---- LaTeX ------------------------------------------------------------ */

typedef enum latex_kind {
    L_TEXT,   /* replaced by text */
    L_JOIN,   /* replaced by text that joins the next letter: \Delta t is Δt */
    L_SKIP,   /* dropped (\left, \big, math delimiters) */
    L_FRAC,   /* \frac{a}{b}: ((a)/(b)) */
    L_SQRT,   /* \sqrt{x}: sqrt(x) */
    L_ARG     /* \mathrm{e}, \hat{x}: the argument itself */
} latex_kind;

/* The LaTeX commands read, by name (letters, or one other character). */
static const struct { const char *name; latex_kind kind; const char *text; } latex_cmd[] = {
    { "varepsilon", L_TEXT, "\xce\xb5" }, { "epsilon", L_TEXT, "\xce\xb5" },
    { "theta", L_TEXT, "\xce\xb8" }, { "vartheta", L_TEXT, "\xce\xb8" },
    { "Delta", L_JOIN, "\xce\x94" }, { "delta", L_JOIN, "\xce\xb4" }, { "pi", L_TEXT, "\xcf\x80" },
    { "cdot", L_TEXT, "\xc2\xb7" }, { "times", L_TEXT, "\xc3\x97" }, { "ast", L_TEXT, "*" },
    { "div", L_TEXT, "\xc3\xb7" },
    { "approx", L_TEXT, "\xe2\x89\x88" }, { "simeq", L_TEXT, "\xe2\x89\x88" }, { "sim", L_TEXT, "\xe2\x89\x88" },
    { "thickapprox", L_TEXT, "\xe2\x89\x88" },
    { "exp", L_TEXT, "exp" }, { "log", L_TEXT, "log" }, { "ln", L_TEXT, "ln" },
    { "frac", L_FRAC, "" }, { "dfrac", L_FRAC, "" }, { "tfrac", L_FRAC, "" }, { "cfrac", L_FRAC, "" },
    { "sqrt", L_SQRT, "" },
    { "left", L_SKIP, "" }, { "right", L_SKIP, "" }, { "big", L_SKIP, "" }, { "Big", L_SKIP, "" },
    { "bigg", L_SKIP, "" }, { "Bigg", L_SKIP, "" }, { "bigl", L_SKIP, "" }, { "bigr", L_SKIP, "" },
    { "Bigl", L_SKIP, "" }, { "Bigr", L_SKIP, "" }, { "displaystyle", L_SKIP, "" },
    { "quad", L_TEXT, " " }, { "qquad", L_TEXT, " " },
    { "mathrm", L_ARG, "" }, { "text", L_ARG, "" }, { "textrm", L_ARG, "" }, { "operatorname", L_ARG, "" },
    { "mathit", L_ARG, "" }, { "mathbf", L_ARG, "" }, { "boldsymbol", L_ARG, "" }, { "hat", L_ARG, "" },
    { "widehat", L_ARG, "" }, { "bar", L_ARG, "" }, { "tilde", L_ARG, "" },
    { ",", L_TEXT, " " }, { ";", L_TEXT, " " }, { ":", L_TEXT, " " }, { "!", L_TEXT, "" }, { " ", L_TEXT, " " },
    { "{", L_TEXT, "(" }, { "}", L_TEXT, ")" }, { "%", L_TEXT, "%" },
    { "(", L_SKIP, "" }, { ")", L_SKIP, "" }, { "[", L_SKIP, "" }, { "]", L_SKIP, "" },
};

typedef struct latex {
    const char *s;
    size_t pos;
    int depth;
    fms_error *err;
    fms_status st;
} latex;

static fms_status latex_fail(latex *x, const char *msg, const char *cmd)
{
    if (x->st == FMS_OK)
        x->st = fms_error_set(x->err, FMS_EINVAL, 0, msg, cmd ? cmd : "");
    return x->st;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Bytes of the UTF-8 character at s (1 for a byte that starts none). */
static size_t char_len(const char *s)
{
    size_t n = 0;
    while (n < 4 && s[n] != '\0')
        n++;
    size_t k = fms_utf8_seq_len(s, n);
    return k ? k : 1;
}

static void skip_blanks(latex *x)
{
    while (x->s[x->pos] == ' ' || x->s[x->pos] == '\t')
        x->pos++;
}

static fms_status latex_group(latex *x, fms_strbuf *out, int closing);

/* Reads the command after a backslash at x->pos into name (NUL-terminated). */
static void command_name(latex *x, char name[32])
{
    size_t n = 0;
    if (is_alpha(x->s[x->pos])) {
        while (is_alpha(x->s[x->pos])) {
            if (n < 31)
                name[n++] = x->s[x->pos];
            x->pos++;
        }
    } else if (x->s[x->pos] != '\0') {
        size_t k = char_len(x->s + x->pos);
        for (size_t i = 0; i < k && x->s[x->pos] != '\0'; i++)
            if (n < 31)
                name[n++] = x->s[x->pos++];
    }
    name[n] = '\0';
}

static fms_status latex_command(latex *x, fms_strbuf *out);

/* One argument of \frac, \sqrt, \mathrm: a {group}, a command, or one character. */
static fms_status latex_arg(latex *x, fms_strbuf *out, const char *cmd)
{
    skip_blanks(x);
    char c = x->s[x->pos];
    if (c == '{') {
        x->pos++;
        return latex_group(x, out, '}');
    }
    if (c == '\\') {
        x->pos++;
        return latex_command(x, out);
    }
    if (c == '\0' || c == '}')
        return latex_fail(x, "\\%s needs its argument(s) in braces, e.g. \\frac{1}{2}", cmd);
    size_t k = char_len(x->s + x->pos);
    for (size_t i = 0; i < k && x->s[x->pos] != '\0'; i++)
        fms_strbuf_putn(out, &x->s[x->pos++], 1);
    return FMS_OK;
}

/* The command whose name starts at x->pos (after the backslash). */
static fms_status latex_command(latex *x, fms_strbuf *out)
{
    char name[32];
    command_name(x, name);
    size_t row = 0, nrows = sizeof latex_cmd / sizeof latex_cmd[0];
    while (row < nrows && strcmp(latex_cmd[row].name, name) != 0)
        row++;
    if (row == nrows)
        return latex_fail(x, "the LaTeX command \\%s is not one fmsolve reads: write the answer in plain notation", name);
    latex_kind kind = latex_cmd[row].kind;
    if (is_alpha(name[0]) && kind != L_TEXT)
        skip_blanks(x);   /* LaTeX drops the blanks after a command word */
    else if (is_alpha(name[0]) && (x->s[x->pos] == ' ' || x->s[x->pos] == '\t')) {
        skip_blanks(x);   /* ... and \epsilon t stays a product */
        fms_strbuf_puts(out, latex_cmd[row].text);
        fms_strbuf_puts(out, " ");
        return FMS_OK;
    }
    switch (kind) {
    case L_TEXT: case L_JOIN: fms_strbuf_puts(out, latex_cmd[row].text); return FMS_OK;
    case L_SKIP: return FMS_OK;
    case L_ARG: return latex_arg(x, out, name);
    case L_SQRT:
        if (x->s[x->pos] == '[')
            return latex_fail(x, "\\sqrt[n]{x} is not read: write x^(1/n)%s", NULL);
        fms_strbuf_puts(out, "sqrt(");
        if (latex_arg(x, out, name) != FMS_OK)
            return x->st;
        fms_strbuf_puts(out, ")");
        return FMS_OK;
    case L_FRAC:
        fms_strbuf_puts(out, "((");
        if (latex_arg(x, out, name) != FMS_OK)
            return x->st;
        fms_strbuf_puts(out, ")/(");
        if (latex_arg(x, out, name) != FMS_OK)
            return x->st;
        fms_strbuf_puts(out, "))");
        return FMS_OK;
    }
    return FMS_OK;
}

/* Whether s holds only letters of a name (ASCII, digits, '_', Greek, ₜ). */
static int name_only(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(is_alpha(*s) || is_digit(*s) || *s == '_' || c >= 0x80))
            return 0;
    }
    return 1;
}

/* A subscript after '_' at x->pos: x_{t} is x_t, x_{t+Δt} is x_(t+Δt). */
static fms_status latex_subscript(latex *x, fms_strbuf *out)
{
    fms_strbuf_puts(out, "_");
    if (x->s[x->pos] != '{')
        return FMS_OK;
    x->pos++;
    fms_strbuf sub = { 0 };
    fms_status st = latex_group(x, &sub, '}');
    if (st == FMS_OK && fms_strbuf_status(&sub) == FMS_OK) {
        int plain = name_only(fms_strbuf_str(&sub));
        fms_strbuf_puts(out, plain ? "" : "(");
        fms_strbuf_puts(out, fms_strbuf_str(&sub));
        fms_strbuf_puts(out, plain ? "" : ")");
    }
    fms_strbuf_free(&sub);
    return st;
}

/* Translates up to the closing character (or the end when closing is 0). */
static fms_status latex_group(latex *x, fms_strbuf *out, int closing)
{
    if (++x->depth > MAX_DEPTH)
        return latex_fail(x, "the LaTeX is nested too deeply%s", NULL);
    while (x->st == FMS_OK) {
        char c = x->s[x->pos];
        if (c == '\0') {
            if (closing)
                latex_fail(x, "a '{' is never closed%s", NULL);
            break;
        }
        x->pos++;
        if (c == closing)
            break;
        if (c == '}')
            latex_fail(x, "a '}' has no matching '{'%s", NULL);
        else if (c == '\\')
            latex_command(x, out);
        else if (c == '{') {
            fms_strbuf_puts(out, "(");
            latex_group(x, out, '}');
            fms_strbuf_puts(out, ")");
        } else if (c == '_')
            latex_subscript(x, out);
        else if (c != '$')
            fms_strbuf_putn(out, &c, 1);
    }
    x->depth--;
    return x->st;
}

/* ---- the chain ---------------------------------------------------------- */

/* The separators of a chain: '=' and the signs of "approximately". */
static const struct { const char *text; int approx; } chain_sep[] = {
    { "=", 0 }, { "\xe2\x89\x88", 1 } /* ≈ */, { "\xe2\x89\x83", 1 } /* ≃ */,
    { "\xe2\x88\xbc", 1 } /* ∼ */, { "~", 1 },
};

/* The length of the separator at s (0 when none) and whether it means ≈. */
static size_t sep_len(const char *s, int *approx)
{
    for (size_t i = 0; i < sizeof chain_sep / sizeof chain_sep[0]; i++) {
        size_t n = strlen(chain_sep[i].text);
        if (strncmp(s, chain_sep[i].text, n) == 0) {
            *approx = chain_sep[i].approx;
            return n;
        }
    }
    return 0;
}

/* Finds the last value of the chain in s: its start, and how many values
 * and whether ≈ comes before it. */
static const char *last_value(const char *s, fms_notation *out)
{
    const char *last = s;
    int depth = 0;
    out->nvalues = 1;
    for (const char *p = s; *p;) {
        int approx = 0;
        size_t n = depth == 0 ? sep_len(p, &approx) : 0;
        if (n > 0) {
            /* An empty first value ("≈ 0", "= 0.5") is not a value of the chain. */
            if (p != s && strspn(s, " \t") != (size_t)(p - s))
                out->nvalues++;
            last = p + n;
            out->approx = approx;
            p += n;
            continue;
        }
        depth += *p == '(' || *p == '[';
        depth -= (*p == ')' || *p == ']') && depth > 0;
        p++;
    }
    return last;
}

/* ---- numbers as written ------------------------------------------------ */

static const char *skip_sp(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Whether s starts the power of ten of a number: blanks, then 10 and ^, **
 * or a superscript. */
static int ten_power_at(const char *s)
{
    s = skip_sp(s);
    if (s[0] != '1' || s[1] != '0')
        return 0;
    s = skip_sp(s + 2);
    return *s == '^' || (s[0] == '*' && s[1] == '*') || strncmp(s, "\xe2\x81\xbb", 3) == 0 ||
           strncmp(s, "\xc2\xb9", 2) == 0 || strncmp(s, "\xc2\xb2", 2) == 0 || strncmp(s, "\xc2\xb3", 2) == 0 ||
           strncmp(s, "\xe2\x81", 2) == 0;
}

/* Rewrites the number habits of value v (in place or into out). */
static void number_habits(const char *v, fms_strbuf *out, fms_notation *n)
{
    size_t len = strlen(v);
    /* A closing full stop after a value: "0.5.", "e^-45." */
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    if (len >= 2 && v[len - 1] == '.' && (is_digit(v[len - 2]) || is_alpha(v[len - 2]) || v[len - 2] == ')')) {
        len--;
        n->rewritten |= FMS_NOTATION_STOP;
    }
    for (size_t i = 0; i < len; i++) {
        /* 2.86x10^-20: an x between a number and 10^ is a times sign. */
        if ((v[i] == 'x' || v[i] == 'X') && i > 0 && ten_power_at(v + i + 1)) {
            size_t k = i;
            while (k > 0 && (v[k - 1] == ' ' || v[k - 1] == '\t'))
                k--;
            if (k > 0 && (is_digit(v[k - 1]) || v[k - 1] == '.')) {
                fms_strbuf_puts(out, "\xc3\x97");
                n->rewritten |= FMS_NOTATION_TIMES;
                continue;
            }
        }
        fms_strbuf_putn(out, &v[i], 1);
    }
}

/* The decimal comma of one term [s, e) of a ratio (or of the whole value):
 * the only comma of the term, outside parentheses, with digits on both sides.
 * Returns 1 when it was rewritten, -1 when it is ambiguous, 0 otherwise. */
static int comma_term(char *s, char *e)
{
    char *comma = NULL;
    int depth = 0, commas = 0;
    for (char *p = s; p < e; p++) {
        depth += *p == '(' || *p == '[';
        depth -= (*p == ')' || *p == ']') && depth > 0;
        if (*p == ',') {
            commas++;
            comma = depth == 0 ? p : NULL;
        }
    }
    if (commas != 1 || comma == NULL || comma == s || comma + 1 >= e || !is_digit(comma[-1]) || !is_digit(comma[1]))
        return 0;
    size_t after = strspn(comma + 1, "0123456789"), before = 0;
    while (comma - before > s && is_digit(comma[-1 - (long)before]))
        before++;
    if (comma + 1 + after > e)
        after = (size_t)(e - comma - 1);
    int lone_zero = before == 1 && comma[-1] == '0';
    if (after == 3 && !lone_zero)
        return -1;   /* 1,000: a thousands separator, or one? */
    *comma = '.';
    return 1;
}

/* Decimal commas, one per ':'-separated term of v (written in place). */
static fms_status decimal_commas(char *v, fms_notation *n, fms_error *err)
{
    int depth = 0;
    char *start = v;
    for (char *p = v;; p++) {
        if (*p == '\0' || (*p == ':' && depth == 0)) {
            int r = comma_term(start, p);
            if (r < 0)
                return fms_error_set(err, FMS_EDOM, 0,
                                     "a comma before three digits can be read two ways (1,000 is one thousand, or "
                                     "one with a decimal comma): write 1000 or 1.000");
            if (r > 0)
                n->rewritten |= FMS_NOTATION_COMMA;
            if (*p == '\0')
                break;
            start = p + 1;
        }
        depth += *p == '(' || *p == '[';
        depth -= (*p == ')' || *p == ']') && depth > 0;
    }
    return FMS_OK;
}

/* ---- the interface -------------------------------------------------------- */

/* The text with LaTeX translated (a copy when there is none). */
static fms_status translate(const char *text, fms_strbuf *out, fms_notation *n, fms_error *err)
{
    if (strpbrk(text, "\\${}") == NULL) {
        fms_strbuf_puts(out, text);
        return FMS_OK;
    }
    n->rewritten |= FMS_NOTATION_LATEX;
    latex x = { text, 0, 0, err, FMS_OK };
    return latex_group(&x, out, 0);
}

fms_status fms_notation_read(const char *text, fms_notation *out, fms_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    if (len > FMS_NOTATION_MAX_LEN)
        return fms_error_set(err, FMS_EINVAL, 0, "the answer is %zu bytes long (at most %d are read)", len,
                             FMS_NOTATION_MAX_LEN);
    fms_strbuf plain = { 0 }, value = { 0 };
    fms_status st = translate(text, &plain, out, err);
    const char *last = st == FMS_OK ? last_value(fms_strbuf_str(&plain), out) : NULL;
    if (st == FMS_OK && out->nvalues > 1)
        out->rewritten |= FMS_NOTATION_CHAIN;
    if (st == FMS_OK && out->nvalues > 1 && *skip_sp(last) == '\0')
        st = fms_error_set(err, FMS_EINVAL, 0, "there is nothing after the last '=' or '\xe2\x89\x88'");
    if (st == FMS_OK)
        number_habits(skip_sp(last), &value, out);
    if (st == FMS_OK && fms_strbuf_status(&plain) == FMS_OK && fms_strbuf_status(&value) == FMS_OK) {
        out->value = value.data ? value.data : calloc(1, 1);
        value.data = NULL;
        st = out->value ? decimal_commas(out->value, out, err) : FMS_ENOMEM;
    } else if (st == FMS_OK)
        st = FMS_ENOMEM;
    if (st == FMS_ENOMEM)
        fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_strbuf_free(&plain);
    fms_strbuf_free(&value);
    if (st != FMS_OK)
        fms_notation_clear(out);
    return st;
}

void fms_notation_clear(fms_notation *n)
{
    free(n->value);
    memset(n, 0, sizeof *n);
}

/* Reads an optional sign at *s ('-', '+', U+2212); returns 1 for a minus. */
static int read_sign(const char **s)
{
    *s = skip_sp(*s);
    if (**s == '-' || **s == '+') {
        return *(*s)++ == '-';
    }
    if (strncmp(*s, "\xe2\x88\x92", 3) == 0 || strncmp(*s, "\xe2\x81\xbb", 3) == 0) {
        *s += 3;
        return 1;
    }
    if (strncmp(*s, "\xe2\x81\xba", 3) == 0)
        *s += 3;
    return 0;
}

/* Reads digits at *s (ASCII, or superscript when super); returns their value. */
static int read_int(const char **s, int super, long long *v)
{
    static const char *const sup[10] = { "\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3", "\xe2\x81\xb4",
                                         "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8",
                                         "\xe2\x81\xb9" };
    int n = 0;
    *v = 0;
    for (;;) {
        int d = -1;
        size_t k = 1;
        if (!super && is_digit(**s))
            d = **s - '0';
        for (int j = 0; super && j < 10 && d < 0; j++)
            if (strncmp(*s, sup[j], strlen(sup[j])) == 0) {
                d = j;
                k = strlen(sup[j]);
            }
        if (d < 0)
            return n;
        if (*v < 100000000000LL)
            *v = *v * 10 + d;
        *s += k;
        n++;
    }
}

/* The exponent after the digits of a number: e-20, ×10^-20, ·10^(-20), ·10⁻²⁰. */
static int read_exponent(const char **s, long long *e10)
{
    static const char *const times[] = { "\xc3\x97", "\xc2\xb7", "*", "\xe2\x8b\x85", "\xe2\x88\x99", "\xe2\x88\x97" };
    const char *p = *s;
    *e10 = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        int neg = read_sign(&p);
        if (read_int(&p, 0, e10) == 0)
            return 0;
        *e10 = neg ? -*e10 : *e10;
        *s = p;
        return 1;
    }
    p = skip_sp(p);
    size_t t = 0;
    while (t < sizeof times / sizeof times[0] && strncmp(p, times[t], strlen(times[t])) != 0)
        t++;
    if (t == sizeof times / sizeof times[0])
        return 1;   /* no exponent */
    p = skip_sp(p + strlen(times[t]));
    if (strncmp(p, "10", 2) != 0)
        return 0;
    p = skip_sp(p + 2);
    int super = 1, paren = 0;
    if (*p == '^' || (p[0] == '*' && p[1] == '*')) {
        p = skip_sp(p + (*p == '^' ? 1 : 2));
        super = 0;
        paren = *p == '(';
        p += paren;
    }
    int neg = read_sign(&p);
    if (read_int(&p, super, e10) == 0)
        return 0;
    p = skip_sp(p);
    if (paren && *p++ != ')')
        return 0;
    *e10 = neg ? -*e10 : *e10;
    *s = p;
    return 1;
}

int fms_notation_decimal(const char *plain, fms_decimal *out)
{
    const char *s = plain;
    memset(out, 0, sizeof *out);
    out->neg = read_sign(&s);
    long long frac = 0;
    int seen = 0, point = 0, digits = 0;
    for (; is_digit(*s) || (*s == '.' && !point); s++) {
        if (*s == '.') {
            point = 1;
            continue;
        }
        digits++;
        frac += point;
        seen |= *s != '0';
        out->digits += seen;
    }
    long long e10;
    if (digits == 0 || !read_exponent(&s, &e10) || *skip_sp(s) != '\0') {
        memset(out, 0, sizeof *out);   /* not one number: no digits to judge */
        return 0;
    }
    out->last_e10 = e10 - frac;
    return 1;
}

/* options.c — the commands' option tables, parsed with getopt_long (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* More than any command has; a longer table is a programming error. */
#define MAX_OPTS 16

/* ---- values ------------------------------------------------------------ */

/* One message for both precisions: a number option's value was refused with st. */
static int number_failed(const char *option, const char *value, fms_status st)
{
    if (st == FMS_ERANGE)
        cli_fail("%s: '%s' is too large for a double", option, value);
    else
        cli_fail("%s: '%s' is not a number", option, value);
    return 0;
}

/* A finite number; on failure prints "fmsolve: OPTION: 'VALUE' is not a number". */
static int number(const char *option, const char *value, double *out)
{
    fms_status st = fms_numfmt_parse(value, out);
    return st == FMS_OK ? 1 : number_failed(option, value, st);
}

int cli_number_l(const char *option, const char *value, long double *out)
{
    fms_status st = fms_numfmt_parse_ld(value, out);
    return st == FMS_OK ? 1 : number_failed(option, value, st);
}

/* A whole number in [lo, hi]; on failure prints a message that names the
 * option, the value and the range. */
static int count(const char *option, const char *value, long long lo, long long hi, long long *out)
{
    const char *s = value;
    while (*s == ' ')
        s++;
    int digits = 0;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (digits == 0 || *p != '\0') {
        cli_fail("%s: '%s' is not a whole number (expected %lld to %lld)", option, value, lo, hi);
        return 0;
    }
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE || v < lo || v > hi) {
        cli_fail("%s: %s is out of range (expected %lld to %lld)", option, value, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

/* The message for getopt's ':' (an option without its value) or '?' (an
 * unknown option); getopt has already advanced optind past the word. */
static int bad_option(const char *cmd, int c, char **argv)
{
    const char *word = argv[optind - 1];
    if (cmd == NULL && c == ':')
        return cli_fail("%s needs a value", word);
    if (cmd == NULL)
        return cli_fail("unknown option '%s' (try 'fmsolve --help')", word);
    if (c == ':')
        return cli_fail("%s: %s needs a value", cmd, word);
    return cli_fail("%s: unknown option '%s' (try 'fmsolve %s --help')", cmd, word, cmd);
}

/* Acts on option o with its value (NULL when it takes none). */
static int apply(const cli_opt *o, const char *value)
{
    char option[64];
    snprintf(option, sizeof option, "--%s", o->name);
    long long v;
    switch (o->kind) {
    case CLI_OPT_FLAG: *(int *)o->target = 1; return CLI_GO_ON;
    case CLI_OPT_TEXT: *(const char **)o->target = value; return CLI_GO_ON;
    case CLI_OPT_COUNT:
        return count(option, value, o->lo, o->hi, (long long *)o->target) ? CLI_GO_ON : FMS_EXIT_USAGE;
    case CLI_OPT_SEED:
        if (!count(option, value, 0, LLONG_MAX, &v))
            return FMS_EXIT_USAGE;
        *(uint64_t *)o->target = (uint64_t)v;
        return CLI_GO_ON;
    case CLI_OPT_REAL: {
        double *x = o->target;
        if (!number(option, value, x))
            return FMS_EXIT_USAGE;
        return *x > o->min && *x <= o->max ? CLI_GO_ON : cli_fail("%s: %s %s", option, value, o->text);
    }
    case CLI_OPT_HELP: fputs(o->text, stdout); return FMS_EXIT_OK;
    case CLI_OPT_CALL: return o->call(o->target, value);
    }
    return CLI_GO_ON;
}

static int takes_value(const cli_opt *o)
{
    return o->kind == CLI_OPT_CALL ? o->has_value : o->kind != CLI_OPT_FLAG && o->kind != CLI_OPT_HELP;
}

/* getopt's value for option i: its letter, or a code above every char. */
static int code_of(const cli_opt *opts, size_t i)
{
    return opts[i].letter ? (unsigned char)opts[i].letter : 256 + (int)i;
}

int cli_options_parse(const char *cmd, const cli_opt *opts, size_t n, int max_operands, int argc, char **argv)
{
    struct option longopts[MAX_OPTS + 1];
    char shortopts[2 * MAX_OPTS + 2] = ":";
    size_t ns = 1;
    if (n > MAX_OPTS)
        return cli_fail("internal error: too many options");
    for (size_t i = 0; i < n; i++) {
        longopts[i] = (struct option){ opts[i].name, takes_value(&opts[i]) ? required_argument : no_argument, NULL,
                                       code_of(opts, i) };
        if (opts[i].letter) {
            shortopts[ns++] = opts[i].letter;
            if (takes_value(&opts[i]))
                shortopts[ns++] = ':';
        }
    }
    longopts[n] = (struct option){ NULL, 0, NULL, 0 };
    shortopts[ns] = '\0';
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        size_t i = 0;
        while (i < n && code_of(opts, i) != c)
            i++;
        if (i == n)
            return bad_option(cmd, c, argv);
        int rc = apply(&opts[i], takes_value(&opts[i]) ? optarg : NULL);
        if (rc != CLI_GO_ON)
            return rc;
    }
    if (max_operands >= 0 && argc - optind > max_operands)
        return cli_fail("%s: unexpected argument '%s'", cmd, argv[optind + max_operands]);
    return CLI_GO_ON;
}

/* cli.c — see cli.h. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_fail(const char *fmt, ...)
{
    fflush(stdout);
    fputs("fmsolve: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return FMS_EXIT_USAGE;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    /* getopt has already advanced optind past the offending word. */
    const char *word = argv[optind - 1];
    if (c == ':')
        return cli_fail("%s: %s needs a value", cmd, word);
    return cli_fail("%s: unknown option '%s' (try 'fmsolve %s --help')", cmd, word, cmd);
}

int cli_fail_error(const fms_error *err)
{
    if (err->file[0] && err->line > 0)
        fprintf(stderr, "%s:%ld: %s\n", err->file, err->line, err->msg);
    else if (err->file[0])
        fprintf(stderr, "%s: %s\n", err->file, err->msg);
    else
        fprintf(stderr, "fmsolve: %s\n", err->msg[0] ? err->msg : fms_status_str(err->status));
    return FMS_EXIT_USAGE;
}

/* One message for both precisions: a number option's value was refused with st. */
static int number_failed(const char *option, const char *value, fms_status st)
{
    if (st == FMS_ERANGE)
        cli_fail("%s: '%s' is too large for a double", option, value);
    else
        cli_fail("%s: '%s' is not a number", option, value);
    return 0;
}

int cli_number(const char *option, const char *value, double *out)
{
    fms_status st = fms_numfmt_parse(value, out);
    return st == FMS_OK ? 1 : number_failed(option, value, st);
}

int cli_number_l(const char *option, const char *value, long double *out)
{
    fms_status st = fms_numfmt_parse_ld(value, out);
    return st == FMS_OK ? 1 : number_failed(option, value, st);
}

int cli_count(const char *option, const char *value, long long lo, long long hi, long long *out)
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

int cli_load_set(const char *path, fms_exset **set)
{
    fms_error err;
    fms_error_clear(&err);
    fms_status st = path ? fms_exset_load_file(path, set, &err) : fms_exset_load_builtin(set, &err);
    if (st != FMS_OK) {
        cli_fail_error(&err);
        return 0;
    }
    return 1;
}

int cli_emit(const fms_strbuf *out)
{
    if (fms_strbuf_status(out) != FMS_OK)
        return cli_fail("out of memory while writing the output");
    const char *s = fms_strbuf_str(out);
    size_t n = strlen(s);
    if (fwrite(s, 1, n, stdout) != n || fflush(stdout) != 0)
        return cli_fail("cannot write the output: %s", strerror(errno));
    return FMS_EXIT_OK;
}

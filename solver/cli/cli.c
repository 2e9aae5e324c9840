/* cli.c — the command's messages on stderr (see cli.h): one line each, with
 * whatever the user typed or named escaped (fms_strbuf_put_escaped), so that
 * a label, an id or a file name cannot break the line or drive a terminal. */
#include "cli/cli.h"

#include <stdarg.h>

/* Writes the parts (NULL-terminated; the first is not escaped) as one line on stderr. */
static void put_line(const char *lead, ...)
{
    fms_strbuf line = { 0 };
    fms_strbuf_puts(&line, lead);
    va_list ap;
    va_start(ap, lead);
    for (const char *part; (part = va_arg(ap, const char *)) != NULL;)
        fms_strbuf_put_escaped(&line, part);
    va_end(ap);
    fms_strbuf_puts(&line, "\n");
    fflush(stdout);
    fputs(fms_strbuf_status(&line) == FMS_OK ? fms_strbuf_str(&line) : "fmsolve: out of memory\n", stderr);
    fms_strbuf_free(&line);
}

void cli_put_safe(const char *s)
{
    fms_strbuf b = { 0 };
    fms_strbuf_put_escaped(&b, s);
    fputs(fms_strbuf_str(&b), stderr);
    fms_strbuf_free(&b);
}

int cli_fail(const char *fmt, ...)
{
    fms_strbuf msg = { 0 };
    va_list ap;
    va_start(ap, fmt);
    fms_strbuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    put_line("fmsolve: ", fms_strbuf_str(&msg), (const char *)NULL);
    fms_strbuf_free(&msg);
    return FMS_EXIT_USAGE;
}

int cli_fail_error(const fms_error *err)
{
    char line[32];
    const char *msg = err->msg[0] ? err->msg : fms_status_str(err->status);
    snprintf(line, sizeof line, ":%ld: ", err->line);
    if (err->file[0] && err->line > 0)
        put_line("", err->file, line, msg, (const char *)NULL);
    else if (err->file[0])
        put_line("", err->file, ": ", msg, (const char *)NULL);
    else
        put_line("fmsolve: ", msg, (const char *)NULL);
    return err->status == FMS_EINTR ? FMS_EXIT_INTERRUPTED : FMS_EXIT_USAGE;
}

/* cli.c — the command's messages on stderr (see cli.h). */
#include "cli/cli.h"

#include <stdarg.h>

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

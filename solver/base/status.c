/* status.c — see status.h. */
#include "base/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "base/utf8.h"

/* The one switch of GSL's error handler (see "GSL" in status.h): GSL would
 * print and abort on an error; the library checks return codes instead. */
#if defined(__GNUC__)
__attribute__((constructor))
#else
#error "fmsolve needs GCC or clang: base/status.c turns GSL's error handler off in a constructor"
#endif
static void gsl_handler_off(void)
{
    gsl_set_error_handler_off();
}

const char *fms_status_str(fms_status status)
{
    switch (status) {
    case FMS_OK: return "success";
    case FMS_EDOM: return "domain error";
    case FMS_ERANGE: return "range error";
    case FMS_EINVAL: return "invalid input";
    case FMS_ENOMEM: return "out of memory";
    case FMS_EIO: return "input/output error";
    case FMS_ENOTFOUND: return "not found";
    case FMS_EGSL: return "GSL error";
    }
    return "unknown error";
}

void fms_error_clear(fms_error *err)
{
    if (err == NULL)
        return;
    err->status = FMS_OK;
    err->line = 0;
    err->file[0] = '\0';
    err->msg[0] = '\0';
}

fms_status fms_error_vset(fms_error *err, fms_status status, long line, const char *fmt, va_list ap)
{
    if (err == NULL || err->status != FMS_OK)
        return status;
    err->status = status;
    err->line = line;
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    if (n < 0)
        err->msg[0] = '\0';
    else if ((size_t)n >= sizeof err->msg)
        fms_utf8_trim_tail(err->msg);
    return status;
}

fms_status fms_error_set(fms_error *err, fms_status status, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fms_error_vset(err, status, line, fmt, ap);
    va_end(ap);
    return status;
}

void fms_error_set_file(fms_error *err, const char *name)
{
    if (err == NULL)
        return;
    snprintf(err->file, sizeof err->file, "%s", name ? name : "");
    fms_utf8_trim_tail(err->file);
}

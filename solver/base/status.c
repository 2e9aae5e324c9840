/* status.c — see status.h. */
#include "base/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* Cuts s back to the last complete UTF-8 character, so that a truncated
 * message never ends in half a character. */
static void trim_utf8_tail(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if ((n - (i - 1)) < need)
        s[i - 1] = '\0';
}

fms_status fms_error_set(fms_error *err, fms_status status, long line, const char *fmt, ...)
{
    if (err == NULL || err->status != FMS_OK)
        return status;
    err->status = status;
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        err->msg[0] = '\0';
    else if ((size_t)n >= sizeof err->msg)
        trim_utf8_tail(err->msg);
    return status;
}

void fms_error_set_file(fms_error *err, const char *name)
{
    if (err == NULL)
        return;
    snprintf(err->file, sizeof err->file, "%s", name ? name : "");
    trim_utf8_tail(err->file);
}

/* status.h — status codes and error details shared by every fmsolve module.
 *
 * Contract: every library function that can fail returns an fms_status; 0
 * (FMS_OK) is success and every other value names one class of failure.  The
 * library never prints, aborts or exits: where a caller needs more than the
 * class (which value, which line of which file), the function also fills an
 * fms_error that the command-line front end turns into one line on stderr.
 *
 * GSL: the library checks the return code of every GSL routine it calls and
 * maps a failure to FMS_EGSL (or a more precise status).  GSL's default error
 * handler would print and abort first, so the library switches it off
 * (gsl_set_error_handler_off) once, in one place: a constructor in status.c
 * that runs before main in every program that links status.c.  A program
 * that can reach a failing GSL call through the library always does: every
 * module that calls GSL also reports through fms_error_set, except numfmt.c,
 * whose one GSL call (gsl_sf_exp_e10_e on |x| < 700) cannot fail.  No other
 * library code touches the handler.  A program that wants GSL's handler
 * back may set its own in main, at the price of the library's clean error
 * returns.
 */
#ifndef FMS_STATUS_H
#define FMS_STATUS_H

#include <stdarg.h>
#include <stddef.h>

typedef enum fms_status {
    FMS_OK = 0,      /* success */
    FMS_EDOM = 1,    /* an argument is outside the function's domain (t = 1, t < 0, NaN, ...) */
    FMS_ERANGE = 2,  /* the result does not fit a double (overflow of an intermediate) */
    FMS_EINVAL = 3,  /* malformed input: a bad number, a junk line, an unknown name */
    FMS_ENOMEM = 4,  /* an allocation failed */
    FMS_EIO = 5,     /* a file could not be opened, read or written */
    FMS_ENOTFOUND = 6, /* a looked-up id (exercise, part, label) does not exist */
    FMS_EGSL = 7     /* a GSL routine reported an error we did not expect */
} fms_status;

/* The longest message an fms_error carries, terminating NUL included. */
#define FMS_ERROR_MSG_MAX 512

/* Where and why an operation failed.  line is 0 when the failure is not tied
 * to a line of a file; file is empty when it is not tied to a file. */
typedef struct fms_error {
    fms_status status;
    long line;
    char file[256];
    char msg[FMS_ERROR_MSG_MAX];
} fms_error;

/* Returns a static, human-readable name for a status ("domain error", ...).
 * Every value of the enum, and any other int, gives a non-NULL string. */
const char *fms_status_str(fms_status status);

/* Clears err (status FMS_OK, no file, line 0, empty message).  err may be NULL. */
void fms_error_clear(fms_error *err);

/* Records a failure in err (which may be NULL, then only the status is
 * returned): the status, the line (0 for none) and a printf-style message,
 * truncated to FMS_ERROR_MSG_MAX - 1 bytes at a UTF-8 character boundary.
 * Only the first failure is kept: a second call on an err that already holds a
 * failure leaves it unchanged, so the message names the root cause.  Returns
 * status, so that callers can write `return fms_error_set(err, FMS_EINVAL, ...)`. */
fms_status fms_error_set(fms_error *err, fms_status status, long line,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* fms_error_set with the arguments of the message in ap (consumed), for
 * functions that take a printf-style format of their own. */
fms_status fms_error_vset(fms_error *err, fms_status status, long line,
                          const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 0)))
#endif
    ;

/* Copies name (NULL counts as "") into err->file, truncated to fit.  err may be NULL. */
void fms_error_set_file(fms_error *err, const char *name);

#endif /* FMS_STATUS_H */

/* cancel.h — stopping a long run cleanly: one process-wide cancel flag.
 *
 * A program that wants Ctrl-C to stop a run (the command line does) calls
 * fms_cancel_request from its SIGINT handler; the library's long loops
 * (the chunked runs of sample and simulate, train, the figures) poll the
 * flag a few times a second at most, stop, release what they hold, remove
 * any temporary file, and return FMS_EINTR.  The library never installs a
 * signal handler itself.
 *
 * The flag is an atomic int: setting it is async-signal-safe, and reading it
 * is safe from any thread.  It stays set until fms_cancel_clear.
 */
#ifndef FMS_CANCEL_H
#define FMS_CANCEL_H

#include "base/status.h"

/* Sets the flag; async-signal-safe. */
void fms_cancel_request(void);

/* 1 when the flag is set. */
int fms_cancel_requested(void);

/* Clears the flag (before a new run). */
void fms_cancel_clear(void);

/* FMS_OK, or, when the flag is set, FMS_EINTR with the message
 * "interrupted" in err (may be NULL): `if ((st = fms_cancel_poll(err)))`. */
fms_status fms_cancel_poll(fms_error *err);

#endif /* FMS_CANCEL_H */

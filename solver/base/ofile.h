/* ofile.h — output files that appear whole or not at all.
 *
 * fms_ofile_open creates a temporary file ".fms.XXXXXX" (mkstemp) in the
 * directory of the target path; the caller writes to f->fp; fms_ofile_commit
 * flushes and closes it, checking both, and renames it over the target.  Any
 * failure, or fms_ofile_discard, removes the temporary file, so a target is
 * never left half written and an existing file there stays untouched.  The
 * temporary name is 11 bytes, so it fits the file system's NAME_MAX whatever
 * the target's name (a 255-byte name is fine).  The file gets the mode a new
 * file gets (0666 & ~umask), not mkstemp's 0600.
 *
 * Signals: a program that dies on a signal cannot run its cleanup; its
 * handler may call fms_ofile_discard_all_signal, which removes every
 * temporary file still open (unlink only: async-signal-safe).  At most
 * FMS_OFILE_MAX files are open at once.
 *
 * Errors: FMS_EIO with a message naming the target and the reason (errno);
 * FMS_ENOMEM.
 */
#ifndef FMS_OFILE_H
#define FMS_OFILE_H

#include <stdio.h>

#include "base/status.h"

#define FMS_OFILE_MAX 8

typedef struct fms_ofile {
    FILE *fp;          /* write here */
    char *path;        /* the target */
    char *tmp;         /* the temporary file beside it */
    int slot;          /* its entry in the signal handler's list, or −1 */
} fms_ofile;

/* Creates the temporary file for path.  On failure nothing is left behind
 * and f holds nothing to release. */
fms_status fms_ofile_open(fms_ofile *f, const char *path, fms_error *err);

/* Flushes, closes and renames the file over its target; on failure removes
 * it.  f is released either way. */
fms_status fms_ofile_commit(fms_ofile *f, fms_error *err);

/* Closes and removes the temporary file; f is released.  Cannot fail. */
void fms_ofile_discard(fms_ofile *f);

/* The template of the temporary file for path: "DIR/.fms.XXXXXX" for
 * "DIR/NAME" (".fms.XXXXXX" for a NAME without DIR), for mkstemp; malloc'ed,
 * NULL when memory runs out.  fms_fileio_write uses it too. */
char *fms_ofile_temp_name(const char *path);

/* Removes every temporary file still open; async-signal-safe. */
void fms_ofile_discard_all_signal(void);

#endif /* FMS_OFILE_H */

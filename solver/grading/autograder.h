/* autograder.h — a Gradescope autograder: its archive, and its run on one
 * submission.
 *
 * The archive (a zip written with libzip; libzip writes a temporary file and
 * renames it, so a failed write leaves no half archive) holds, at its root:
 *   setup.sh          0755  installs the build dependencies and builds fmsolve
 *                           from fmsolve/ (Gradescope runs it once, as root)
 *   run_autograder    0755  runs `fmsolve autograder --run ROOT` per submission
 *   exercises.ini     0644  the exercise file or template
 *   secret            0600  the course secret, when per-student variants are
 *                           graded (the one place it is written; Gradescope
 *                           keeps the autograder's source from students)
 *   fmsolve/PATH      0644  the source files fmsolve is built from
 * Entries carry a fixed time stamp (2000-01-01), so that the same inputs
 * give the same archive.
 *
 * The run (ROOT is /autograder on Gradescope): the exercise set is
 * ROOT/source/exercises.ini, drawn for the student's seed when it has
 * choices (the secret ROOT/source/secret, the id users[0].FIELD of
 * ROOT/submission_metadata.json); the sheet is the one file in
 * ROOT/submission/ (or the one .txt file there, when there are several;
 * names starting with '.' are ignored).  The results (gradescope.h) are
 * always made: a submission that cannot be graded gives score 0 and a
 * message saying why.
 */
#ifndef FMS_AUTOGRADER_H
#define FMS_AUTOGRADER_H

#include <stddef.h>

#include "base/keyedhash.h"
#include "base/status.h"
#include "base/strbuf.h"

typedef struct fms_autograder_spec {
    const char *setup_sh;          /* the scripts' text */
    const char *run_autograder;
    const char *exercises;         /* the exercise file's text */
    size_t exercises_len;
    const fms_secret *secret;      /* NULL: no secret in the archive */
    const char *source_root;       /* where the source files are read */
    const char *const *source_files; /* paths relative to source_root */
    size_t nsource;
} fms_autograder_spec;

/* Writes the archive to path.  Errors: FMS_EIO (a source file is missing,
 * the archive cannot be written; the message names which), FMS_ENOMEM. */
fms_status fms_autograder_archive(const char *path, const fms_autograder_spec *spec, fms_error *err);

/* Grades the submission under root and appends results.json to results
 * (always, also on failure).  id_field names the metadata's user field
 * ("email", "sid" or "id").  Returns FMS_OK when the submission was graded
 * or is the student's problem (no file, a binary file; the results say so),
 * an error when the autograder itself is broken (no exercise file, a bad
 * template, a missing secret or metadata); the results then tell the student
 * to ask the course staff. */
fms_status fms_autograder_run(const char *root, const char *id_field, fms_strbuf *results, fms_error *err);

#endif /* FMS_AUTOGRADER_H */

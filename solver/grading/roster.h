/* roster.h — a class roster: the student ids of a CSV file.
 *
 * Format: CSV as RFC 4180 writes it (fields separated by commas, records by
 * LF or CRLF, a field in double quotes may hold commas, line ends and ""
 * for a quote), UTF-8, an optional byte-order mark.  The first record is the
 * header; the column named `id` (or the name the caller gives; compared
 * ignoring ASCII case and surrounding blanks) holds the ids, every other
 * column is ignored.  Empty records (blank lines) are skipped.
 *
 * An id is the field's text without surrounding blanks: 1 to
 * FMS_ROSTER_ID_MAX - 1 bytes, with no control character, no '/' or '\',
 * not starting with '.', since it names the student's files (ID.ini,
 * ID.txt).  Ids are unique, also ignoring ASCII case (Alice and alice would
 * be one file on a case-insensitive disk).
 *
 * Contract: a roster is loaded whole or refused with FMS_EINVAL and the
 * line of the culprit (the first line of its record): no id column, an
 * empty, duplicate or unusable id, an unterminated quote, invalid UTF-8, a
 * NUL byte, more than FMS_ROSTER_MAX_IDS ids or FMS_ROSTER_MAX_BYTES bytes.
 */
#ifndef FMS_ROSTER_H
#define FMS_ROSTER_H

#include <stddef.h>

#include "base/status.h"

#define FMS_ROSTER_ID_MAX 128
#define FMS_ROSTER_MAX_IDS 100000
#define FMS_ROSTER_MAX_BYTES (16 * 1024 * 1024)

typedef struct fms_roster_entry {
    char id[FMS_ROSTER_ID_MAX];
    long line;             /* the first line of its record */
} fms_roster_entry;

typedef struct fms_roster {
    size_t n;
    fms_roster_entry *entries; /* in file order */
    fms_roster_entry **sorted; /* the entries in strcmp order of the ids */
} fms_roster;

/* Parses len bytes of CSV text; name is used in messages; column names the
 * id column (NULL: "id").  On success *out must be released with
 * fms_roster_free. */
fms_status fms_roster_parse(const char *name, const char *text, size_t len, const char *column, fms_roster **out,
                            fms_error *err);

/* Reads and parses the roster at path. */
fms_status fms_roster_load(const char *path, const char *column, fms_roster **out, fms_error *err);

/* Releases a roster; NULL is allowed. */
void fms_roster_free(fms_roster *r);

/* The index of the entry with exactly this id (n bytes of it), or -1. */
long fms_roster_find(const fms_roster *r, const char *id, size_t n);

/* Checks an id as above; returns NULL when it is usable, else why not. */
const char *fms_roster_id_problem(const char *id);

#endif /* FMS_ROSTER_H */

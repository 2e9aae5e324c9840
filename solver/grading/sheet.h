/* sheet.h — a student's answer sheet: "ID = ANSWER" lines, as `fmsolve key` writes them.
 *
 * Format: one answer per line, "ID = ANSWER" with free blanks around '='
 * ("ID ≈ ANSWER" too, as the sheet writes "≈ 0": the answer then starts with
 * the ≈); '#' starts a comment that runs to the end of the line; blank lines
 * are ignored; lines may end in LF, CRLF or CR; a UTF-8 byte-order mark at
 * the start is skipped.
 *
 * Encodings: the sheet should be UTF-8.  A UTF-16 file (with a byte-order
 * mark, or without one when every other byte is NUL) is decoded, and its
 * encoding recorded.  Bytes that are not UTF-8 (a Latin-1 or Windows-1252
 * "é") cost nothing in a comment; in an id or an answer each is kept as
 * U+FFFD and the entry is marked (bad_bytes), so that the grader makes that
 * one item invalid, not the sheet.
 *
 * Contract: a sheet that is text is always read whole — a line without '=',
 * an answer too long to read, an id given twice or a stray byte is recorded
 * for the grader to report, never a reason to give up — and a sheet that is
 * not text (a NUL byte outside UTF-16, larger than 1 MiB) is refused with
 * FMS_EINVAL and a message.  Every string of the result is valid UTF-8.
 */
#ifndef FMS_SHEET_H
#define FMS_SHEET_H

#include <stdio.h>

#include "base/status.h"

/* A sheet larger than this is not a homework sheet (the key is about 1 kB). */
#define FMS_SHEET_MAX_BYTES (1024 * 1024)
/* Lines longer than this are kept as "too long" entries, not read. */
#define FMS_SHEET_MAX_LINE 4096
/* Ids longer than this cannot be in any key (see FMS_KEY_ID_MAX). */
#define FMS_SHEET_ID_MAX 128

typedef struct fms_sheet_entry {
    long line;          /* 1-based line number */
    char *id;           /* the text left of '=', trimmed (never NULL; may be "") */
    char *answer;       /* the text right of '=', trimmed ("" for a blank answer);
                           NULL when the line has no '=' (then id holds the start
                           of the line, shortened) */
    int too_long;       /* the line exceeded FMS_SHEET_MAX_LINE: answer is "" */
    int bad_bytes;      /* the id or the answer held bytes that are not UTF-8
                           (each now U+FFFD) */
} fms_sheet_entry;

typedef enum fms_sheet_encoding {
    FMS_SHEET_UTF8,       /* UTF-8, with or without a byte-order mark */
    FMS_SHEET_UTF16LE,    /* UTF-16 little-endian, decoded */
    FMS_SHEET_UTF16BE,    /* UTF-16 big-endian, decoded */
    FMS_SHEET_NOT_UTF8    /* bytes that are not UTF-8 on some line (Latin-1, Windows-1252, ...) */
} fms_sheet_encoding;

typedef struct fms_sheet {
    size_t n;
    fms_sheet_entry *entries;   /* in line order */
    fms_sheet_encoding encoding;
    long bad_line;              /* FMS_SHEET_NOT_UTF8: the first line with such bytes */
} fms_sheet;

/* Parses len bytes of text as a sheet (text need not be NUL-terminated).
 * On success *out must be released with fms_sheet_free.
 * Errors: FMS_EINVAL when the text is larger than FMS_SHEET_MAX_BYTES or
 * holds a NUL byte outside UTF-16 (err->line names the line); FMS_ENOMEM. */
fms_status fms_sheet_parse(const char *text, size_t len, fms_sheet **out, fms_error *err);

/* Reads all of f (at most FMS_SHEET_MAX_BYTES + 1 bytes, so a device or a
 * huge file is refused quickly) and parses it as fms_sheet_parse does.
 * Errors: FMS_EIO when reading fails, then those of fms_sheet_parse. */
fms_status fms_sheet_read(FILE *f, fms_sheet **out, fms_error *err);

/* Releases a sheet; NULL is allowed. */
void fms_sheet_free(fms_sheet *sheet);

#endif /* FMS_SHEET_H */

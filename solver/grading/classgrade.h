/* classgrade.h — a whole class graded in one pass: every student's sheet in
 * a folder against that student's own variant.
 *
 * Submissions are matched to roster ids by file name, never guessed:
 *   ID.txt               the sheet of student ID (the extension in any case)
 *   ID_ANYTHING.txt      also ID's, when exactly one roster id fits this way
 *                        (ID.txt always wins; two ids that both fit, such as
 *                        ab and ab_c for ab_c_hw.txt, make the file ambiguous)
 * Names starting with '.' are ignored (.DS_Store and the like).  Any other
 * file is a stray: named for no one, ambiguous, not .txt or not a regular
 * file.  A student with no file is missing; with two or more, duplicate
 * (none of them is graded).  A file that is not a sheet (binary, larger than
 * FMS_SHEET_MAX_BYTES, unreadable) leaves its student ungraded.
 *
 * Each student's exercise set is the template drawn with the student's seed
 * (variant.h, keyedhash.h): seed = HMAC-SHA-256(secret, id).  Without a
 * secret, a template without choices gives every student the same set; a
 * template with choices needs the secret.  An item is worth the points its
 * part gives in the exercise file (`points =`; one by default, grade.h).
 *
 * CSV (RFC 4180, fields quoted when they hold a comma, a quote or a line end):
 *   id,points,maximum,ITEM1,ITEM2,...,status
 * one row per roster student in roster order; points and maximum are sums of
 * the items' points (written with up to 15 significant digits); an item column
 * holds the points the student earned for it (its maximum when correct, 0 when not); for a student not graded, points and the items are empty and status
 * says why ("missing: no submission", ...); "graded" otherwise.
 */
#ifndef FMS_CLASSGRADE_H
#define FMS_CLASSGRADE_H

#include <stddef.h>

#include "base/keyedhash.h"
#include "base/status.h"
#include "base/strbuf.h"
#include "grading/roster.h"
#include "model/key.h"
#include "model/variant.h"

typedef enum fms_class_status {
    FMS_CLASS_GRADED,
    FMS_CLASS_MISSING,
    FMS_CLASS_DUPLICATE,
    FMS_CLASS_UNREADABLE
} fms_class_status;

typedef struct fms_class_row {
    const fms_roster_entry *student;
    fms_class_status status;
    char *file;               /* the submission's name (duplicates: all of them), or NULL */
    char *note;               /* why the student was not graded; NULL when graded */
    double points, max;       /* earned and possible points (max from the template when not graded) */
    double *item_points;      /* per key item: the points earned (graded students) */
    char *feedback;           /* the text report, or the note (when asked for) */
} fms_class_row;

/* A file of the folder that is no student's sheet. */
typedef struct fms_class_stray {
    char *file;
    char *note;
} fms_class_stray;

typedef struct fms_class {
    size_t nitems;
    double max_points;        /* the points a sheet can earn (the template's first draw) */
    char (*items)[FMS_KEY_ID_MAX];  /* the key items' ids: the CSV's columns */
    size_t n;                       /* = the roster's size, in roster order */
    fms_class_row *rows;
    size_t ngraded;
    size_t nstray;
    fms_class_stray *stray;         /* in name order */
} fms_class;

typedef struct fms_class_opts {
    const fms_variant *exercises;   /* the exercise file or template */
    const fms_secret *secret;       /* NULL: no per-student variants */
    const fms_roster *roster;
    const char *folder;             /* the submissions */
    int feedback;                   /* fill rows[i].feedback */
} fms_class_opts;

/* The student whose sheet a file named name is (its roster index), or -1
 * with *why saying why it is no one's. */
long fms_class_match(const fms_roster *r, const char *name, const char **why);

/* Grades the class.  On success *out must be released with fms_class_free;
 * problems with single submissions are recorded in it, not errors.  Errors:
 * FMS_EIO when the folder cannot be read; FMS_EINVAL when the template has
 * choices and no secret is given; those of fms_variant_draw (the template's
 * line), fms_key_build, fms_grade_sheet; FMS_ENOMEM. */
fms_status fms_class_grade(const fms_class_opts *o, fms_class **out, fms_error *err);

/* Appends the CSV described above. */
fms_status fms_class_csv(const fms_class *c, fms_strbuf *out, fms_error *err);

/* Releases a class; NULL is allowed. */
void fms_class_free(fms_class *c);

#endif /* FMS_CLASSGRADE_H */

/* classgrade.c — see classgrade.h. */
#include "grading/classgrade.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "grading/grade.h"
#include "grading/report.h"
#include "grading/sheet.h"

/* ---- matching names ------------------------------------------------------ */

long fms_class_match(const fms_roster *r, const char *name, const char **why)
{
    size_t n = strlen(name);
    if (n < 5 || strcasecmp(name + n - 4, ".txt") != 0) {
        *why = "not a .txt answer sheet (expected ID.txt or ID_ANYTHING.txt)";
        return -1;
    }
    size_t stem = n - 4;
    long k = fms_roster_find(r, name, stem);
    if (k >= 0)
        return k;
    long found = -1;
    for (size_t i = 1; i < stem; i++) {
        long j = name[i] == '_' ? fms_roster_find(r, name, i) : -1;
        if (j >= 0 && found >= 0) {
            *why = "ambiguous: it fits two ids of the roster (ID_ANYTHING.txt for two IDs); rename it ID.txt";
            return -1;
        }
        if (j >= 0)
            found = j;
    }
    if (found < 0)
        *why = "named for no student of the roster (expected ID.txt or ID_ANYTHING.txt)";
    return found;
}

/* ---- one student ------------------------------------------------------------ */

/* The sets and keys the class is graded with: one for all, or one per student. */
typedef struct grader {
    const fms_class_opts *o;
    fms_exset *common;     /* when every student has the same set */
    fms_key *common_key;
} grader;

static fms_status add_stray(fms_class *c, size_t *cap, const char *file, const char *note, fms_error *err)
{
    if (c->nstray == *cap) {
        size_t k = *cap ? 2 * *cap : 16;
        fms_class_stray *s = realloc(c->stray, k * sizeof *s);
        if (s == NULL)
            return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        c->stray = s;
        *cap = k;
    }
    fms_class_stray *s = &c->stray[c->nstray];
    s->file = fms_strbuf_dup(file);
    s->note = fms_strbuf_dup(note);
    if (s->file == NULL || s->note == NULL) {
        free(s->file);
        free(s->note);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    c->nstray++;
    return FMS_OK;
}

/* Records that row could not be graded, and why. */
static fms_status not_graded(fms_class_row *row, fms_class_status status, const char *note, int feedback,
                             fms_error *err)
{
    row->status = status;
    row->note = fms_strbuf_dup(note);
    if (feedback)
        row->feedback = fms_strbuf_dup(note);
    if (row->note == NULL || (feedback && row->feedback == NULL))
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    return FMS_OK;
}

/* Reads the sheet in path; a sheet that cannot be read is the student's
 * problem (*bad gets the reason), not an error of the run. */
static fms_status read_sheet(const char *path, fms_sheet **sheet, char *bad, size_t cap, fms_error *err)
{
    *sheet = NULL;
    bad[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(bad, cap, "cannot open: %s", strerror(errno));
        return FMS_OK;
    }
    fms_error e;
    fms_error_clear(&e);
    fms_status st = fms_sheet_read(f, sheet, &e);
    fclose(f);
    if (st == FMS_ENOMEM)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    if (st != FMS_OK) {
        if (e.line > 0)
            snprintf(bad, cap, "line %ld: %s", e.line, e.msg);
        else
            snprintf(bad, cap, "%s", e.msg);
    }
    return FMS_OK;
}

/* Grades one student's sheet (file in the folder) and fills row. */
static fms_status grade_student(grader *gr, fms_class *c, fms_class_row *row, const char *file, fms_error *err)
{
    const fms_class_opts *o = gr->o;
    char path[4096], bad[FMS_ERROR_MSG_MAX + 32];
    if (fms_fileio_join(o->folder, file, path, sizeof path) != FMS_OK)
        return not_graded(row, FMS_CLASS_UNREADABLE, "the path of the submission is too long", o->feedback, err);
    fms_sheet *sheet;
    fms_status st = read_sheet(path, &sheet, bad, sizeof bad, err);
    if (st != FMS_OK || bad[0])
        return st != FMS_OK ? st : not_graded(row, FMS_CLASS_UNREADABLE, bad, o->feedback, err);
    fms_exset *set = gr->common;
    fms_key *key = gr->common_key;
    if (set == NULL) {
        st = fms_variant_draw(o->exercises, fms_keyedhash_seed(o->secret, row->student->id), NULL, &set, err);
        if (st == FMS_OK)
            st = fms_key_build(set, &key, err);
    }
    fms_grade *g = NULL;
    if (st == FMS_OK && key->n != c->nitems)
        st = fms_error_set(err, FMS_EINVAL, 0, "the variant of '%s' has %zu answers, not %zu", row->student->id, key->n,
                           c->nitems);
    if (st == FMS_OK)
        st = fms_grade_sheet(key, set->data, sheet, &g, err);
    row->item_points = st == FMS_OK ? calloc(c->nitems ? c->nitems : 1, sizeof *row->item_points) : NULL;
    if (st == FMS_OK && row->item_points == NULL)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    if (st == FMS_OK) {
        for (size_t i = 0; i < g->n; i++)
            row->item_points[i] = g->items[i].points;
        row->points = g->score;
        row->max = g->max_score;
        row->status = FMS_CLASS_GRADED;
        c->ngraded++;
    }
    if (st == FMS_OK && o->feedback) {
        fms_strbuf fb = { 0 };
        st = fms_report_render(set, g, FMS_REPORT_TEXT, &fb, err);
        row->feedback = st == FMS_OK ? fms_strbuf_dup(fms_strbuf_str(&fb)) : NULL;
        if (st == FMS_OK && row->feedback == NULL)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        fms_strbuf_free(&fb);
    }
    fms_grade_free(g);
    fms_sheet_free(sheet);
    if (set != gr->common) {
        fms_key_free(key);
        fms_exset_free(set);
    }
    return st;
}

/* ---- the class ------------------------------------------------------------- */

void fms_class_free(fms_class *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->rows[i].file);
        free(c->rows[i].note);
        free(c->rows[i].item_points);
        free(c->rows[i].feedback);
    }
    for (size_t i = 0; i < c->nstray; i++) {
        free(c->stray[i].file);
        free(c->stray[i].note);
    }
    free(c->rows);
    free(c->stray);
    free(c->items);
    free(c);
}

/* The points a sheet can earn on set's key: the maximum of an empty sheet's grade. */
static fms_status max_points(const fms_exset *set, const fms_key *key, double *out, fms_error *err)
{
    fms_sheet *empty = NULL;
    fms_grade *g = NULL;
    fms_status st = fms_sheet_parse("", 0, &empty, err);
    if (st == FMS_OK)
        st = fms_grade_sheet(key, set->data, empty, &g, err);
    *out = st == FMS_OK ? g->max_score : 0.0;
    fms_grade_free(g);
    fms_sheet_free(empty);
    return st;
}

/* Draws the set every student shares (no choices), or the first student's
 * to learn the item ids; fills c->items. */
static fms_status prepare(grader *gr, fms_class *c, fms_error *err)
{
    const fms_class_opts *o = gr->o;
    int per_student = fms_variant_nslots(o->exercises) > 0;
    if (per_student && o->secret == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "the exercise file has choices: give the course secret "
                                                 "(--secret-file) so that each student is graded on their variant");
    fms_exset *set = NULL;
    fms_key *key = NULL;
    uint64_t seed = per_student && o->roster->n ? fms_keyedhash_seed(o->secret, o->roster->entries[0].id) : 0;
    fms_status st = fms_variant_draw(o->exercises, seed, NULL, &set, err);
    if (st == FMS_OK)
        st = fms_key_build(set, &key, err);
    if (st == FMS_OK) {
        c->nitems = key->n;
        c->items = malloc((key->n ? key->n : 1) * sizeof *c->items);
        if (c->items == NULL)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        for (size_t i = 0; st == FMS_OK && i < key->n; i++)
            memcpy(c->items[i], key->items[i].id, sizeof c->items[i]);
    }
    if (st == FMS_OK)
        st = max_points(set, key, &c->max_points, err);
    if (st == FMS_OK && !per_student) {
        gr->common = set;
        gr->common_key = key;
        return FMS_OK;
    }
    fms_key_free(key);
    fms_exset_free(set);
    return st;
}

/* Assigns each file of the folder to a student, or to the strays. */
static fms_status assign(const fms_class_opts *o, fms_class *c, char **names, size_t n, long *owner, fms_error *err)
{
    size_t cap = 0;
    fms_status st = FMS_OK;
    for (size_t i = 0; st == FMS_OK && i < n; i++) {
        const char *why = NULL;
        char path[4096];
        struct stat sb;
        owner[i] = -1;
        if (fms_fileio_join(o->folder, names[i], path, sizeof path) != FMS_OK || stat(path, &sb) != 0 ||
            !S_ISREG(sb.st_mode))
            why = "not a regular file";
        else
            owner[i] = fms_class_match(o->roster, names[i], &why);
        if (owner[i] < 0) {
            st = add_stray(c, &cap, names[i], why, err);
            continue;
        }
        fms_class_row *row = &c->rows[owner[i]];
        if (row->file == NULL) {
            row->file = fms_strbuf_dup(names[i]);
        } else {
            fms_strbuf both = { 0 };
            fms_strbuf_printf(&both, "%s, %s", row->file, names[i]);
            free(row->file);
            row->file = fms_strbuf_dup(fms_strbuf_str(&both));
            fms_strbuf_free(&both);
            row->status = FMS_CLASS_DUPLICATE;
        }
        if (row->file == NULL)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    return st;
}

/* Grades every student that has exactly one submission. */
static fms_status grade_all(grader *gr, fms_class *c, fms_error *err)
{
    fms_status st = FMS_OK;
    for (size_t i = 0; st == FMS_OK && i < c->n; i++) {
        fms_class_row *row = &c->rows[i];
        row->max = c->max_points;
        if (row->file == NULL) {
            st = not_graded(row, FMS_CLASS_MISSING, "missing: no submission (expected ID.txt or ID_ANYTHING.txt)",
                            gr->o->feedback, err);
        } else if (row->status == FMS_CLASS_DUPLICATE) {
            fms_strbuf note = { 0 };
            fms_strbuf_printf(&note, "duplicate: several submissions (%s); keep one", row->file);
            st = not_graded(row, FMS_CLASS_DUPLICATE, fms_strbuf_str(&note), gr->o->feedback, err);
            fms_strbuf_free(&note);
        } else {
            st = grade_student(gr, c, row, row->file, err);
        }
    }
    return st;
}

fms_status fms_class_grade(const fms_class_opts *o, fms_class **out, fms_error *err)
{
    *out = NULL;
    fms_class *c = calloc(1, sizeof *c);
    if (c == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    c->n = o->roster->n;
    c->rows = calloc(c->n ? c->n : 1, sizeof *c->rows);
    grader gr = { .o = o };
    char **names = NULL;
    size_t nnames = 0;
    long *owner = NULL;
    fms_status st = c->rows ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    for (size_t i = 0; st == FMS_OK && i < c->n; i++)
        c->rows[i].student = &o->roster->entries[i];
    if (st == FMS_OK)
        st = prepare(&gr, c, err);
    if (st == FMS_OK)
        st = fms_fileio_list(o->folder, &names, &nnames, err);
    if (st == FMS_OK && (owner = malloc((nnames ? nnames : 1) * sizeof *owner)) == NULL)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    if (st == FMS_OK)
        st = assign(o, c, names, nnames, owner, err);
    if (st == FMS_OK)
        st = grade_all(&gr, c, err);
    free(owner);
    fms_fileio_list_free(names, nnames);
    fms_key_free(gr.common_key);
    fms_exset_free(gr.common);
    if (st != FMS_OK) {
        fms_class_free(c);
        return st;
    }
    *out = c;
    return FMS_OK;
}

/* ---- CSV -------------------------------------------------------------------- */

/* Appends one CSV field, quoted when it must be. */
static void csv_field(fms_strbuf *out, const char *s, int first)
{
    if (!first)
        fms_strbuf_puts(out, ",");
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fms_strbuf_puts(out, s);
        return;
    }
    fms_strbuf_puts(out, "\"");
    for (; *s; s++)
        fms_strbuf_puts(out, *s == '"' ? "\"\"" : (char[]){ *s, '\0' });
    fms_strbuf_puts(out, "\"");
}

fms_status fms_class_csv(const fms_class *c, fms_strbuf *out, fms_error *err)
{
    csv_field(out, "id", 1);
    csv_field(out, "points", 0);
    csv_field(out, "maximum", 0);
    for (size_t k = 0; k < c->nitems; k++)
        csv_field(out, c->items[k], 0);
    csv_field(out, "status", 0);
    fms_strbuf_puts(out, "\r\n");
    for (size_t i = 0; i < c->n; i++) {
        const fms_class_row *row = &c->rows[i];
        int graded = row->status == FMS_CLASS_GRADED;
        char num[32];
        csv_field(out, row->student->id, 1);
        snprintf(num, sizeof num, "%.15g", row->points);
        csv_field(out, graded ? num : "", 0);
        snprintf(num, sizeof num, "%.15g", row->max);
        csv_field(out, num, 0);
        for (size_t k = 0; k < c->nitems; k++) {
            snprintf(num, sizeof num, "%.15g", graded ? row->item_points[k] : 0.0);
            csv_field(out, graded ? num : "", 0);
        }
        csv_field(out, graded ? "graded" : row->note, 0);
        fms_strbuf_puts(out, "\r\n");
    }
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

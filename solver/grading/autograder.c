/* autograder.c — see autograder.h. */
#include "grading/autograder.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <zip.h>

#include "base/fileio.h"
#include "grading/grade.h"
#include "grading/gradescope.h"
#include "grading/sheet.h"
#include "model/key.h"
#include "model/variant.h"

/* ---- the archive --------------------------------------------------------------- */

/* 2000-01-01T00:00:00Z: every entry's time, so that the archive depends on its inputs only. */
#define FIXED_MTIME ((time_t)946684800)
/* A zip entry's Unix mode (external attributes >> 16): a regular file (S_IFREG) and its permissions. */
#define UNIX_REGULAR_FILE 0100000u

/* Adds src as name with the Unix permission bits mode; returns 0, or -1 (src released). */
static int add_entry(zip_t *z, const char *name, zip_source_t *src, unsigned mode)
{
    if (src == NULL)
        return -1;
    zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (i < 0) {
        zip_source_free(src);
        return -1;
    }
    zip_uint32_t attr = ((zip_uint32_t)UNIX_REGULAR_FILE | mode) << 16;
    if (zip_file_set_external_attributes(z, (zip_uint64_t)i, 0, ZIP_OPSYS_UNIX, attr) < 0 ||
        zip_file_set_mtime(z, (zip_uint64_t)i, FIXED_MTIME, 0) < 0)
        return -1;
    return 0;
}

static int add_text(zip_t *z, const char *name, const void *data, size_t len, unsigned mode)
{
    return add_entry(z, name, zip_source_buffer(z, data, len, 0), mode);
}

/* Adds the source files under "fmsolve/". */
static fms_status add_sources(zip_t *z, const fms_autograder_spec *s, fms_error *err)
{
    for (size_t i = 0; i < s->nsource; i++) {
        char path[4096], name[4096];
        struct stat sb;
        if (fms_fileio_join(s->source_root, s->source_files[i], path, sizeof path) != FMS_OK ||
            fms_fileio_join("fmsolve", s->source_files[i], name, sizeof name) != FMS_OK)
            return fms_error_set(err, FMS_EIO, 0, "the path of %s is too long", s->source_files[i]);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            fms_error_set_file(err, path);
            return fms_error_set(err, FMS_EIO, 0, "a source file of fmsolve is missing (is %s the tree fmsolve was "
                                 "built from? give it with --source)", s->source_root);
        }
        if (add_entry(z, name, zip_source_file(z, path, 0, -1), 0644) != 0)
            return fms_error_set(err, FMS_EIO, 0, "cannot add %s to the archive: %s", path, zip_strerror(z));
    }
    return FMS_OK;
}

fms_status fms_autograder_archive(const char *path, const fms_autograder_spec *s, fms_error *err)
{
    int code = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (z == NULL) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        fms_error_set_file(err, path);
        fms_error_set(err, FMS_EIO, 0, "cannot write the archive: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return FMS_EIO;
    }
    fms_status st = FMS_OK;
    if (add_text(z, "setup.sh", s->setup_sh, strlen(s->setup_sh), 0755) != 0 ||
        add_text(z, "run_autograder", s->run_autograder, strlen(s->run_autograder), 0755) != 0 ||
        add_text(z, "exercises.ini", s->exercises, s->exercises_len, 0644) != 0 ||
        (s->secret && add_text(z, "secret", s->secret->bytes, s->secret->len, 0600) != 0))
        st = fms_error_set(err, FMS_EIO, 0, "cannot add to the archive: %s", zip_strerror(z));
    if (st == FMS_OK)
        st = add_sources(z, s, err);
    if (st != FMS_OK) {
        zip_discard(z);
        return st;
    }
    if (zip_close(z) != 0) {
        fms_error_set_file(err, path);
        st = fms_error_set(err, FMS_EIO, 0, "cannot write the archive: %s", zip_strerror(z));
        zip_discard(z);
    }
    return st;
}

/* ---- the run -------------------------------------------------------------------- */

static const char staff_msg[] = "The autograder could not grade this submission: it is not set up right. "
                                "Please tell the course staff.";

/* The sheet's name in folder sub: the one file, or the one .txt file among
 * several.  On failure *why says what the student should do. */
static void find_sheet(const char *sub, char *name, size_t cap, char *why, size_t whycap)
{
    char **names;
    size_t n, pick = 0, ntxt = 0;
    fms_error e;
    fms_error_clear(&e);
    why[0] = '\0';
    if (fms_fileio_list(sub, &names, &n, &e) != FMS_OK) {
        snprintf(why, whycap, "No submission was found (%.400s).", e.msg);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (len >= 4 && strcasecmp(names[i] + len - 4, ".txt") == 0)
            pick = i, ntxt++;
    }
    if (n == 1)
        pick = 0, ntxt = 1;
    if (n == 0)
        snprintf(why, whycap, "No file was submitted: submit one text file of 'ID = ANSWER' lines.");
    else if (ntxt != 1)
        snprintf(why, whycap, "Submit one text file of 'ID = ANSWER' lines (found %zu files and %zu of them .txt).",
                 n, ntxt);
    else if (snprintf(name, cap, "%s", names[pick]) >= (int)cap)
        snprintf(why, whycap, "The submitted file's name is too long.");
    fms_fileio_list_free(names, n);
}

/* The exercise set of this submission: the file itself, or the student's variant. */
static fms_status student_set(const char *root, const char *id_field, fms_exset **set, char *who, size_t whocap,
                              fms_error *err)
{
    char path[4096];
    fms_variant *tpl = NULL;
    fms_secret secret = { .len = 0 };
    uint64_t seed = 0;
    who[0] = '\0';
    fms_status st = fms_fileio_join(root, "source/exercises.ini", path, sizeof path) == FMS_OK
                        ? fms_variant_load_file(path, &tpl, err)
                        : fms_error_set(err, FMS_EIO, 0, "the autograder's root path is too long");
    if (st == FMS_OK && fms_variant_nslots(tpl) > 0) {
        fms_fileio_join(root, "source/secret", path, sizeof path);
        st = fms_keyedhash_read_secret(path, &secret, err);
        if (st == FMS_OK) {
            fms_fileio_join(root, "submission_metadata.json", path, sizeof path);
            st = fms_gradescope_student(path, id_field, who, whocap, err);
        }
        if (st == FMS_OK)
            seed = fms_keyedhash_seed(&secret, who);
        fms_keyedhash_clear(&secret);
    }
    if (st == FMS_OK)
        st = fms_variant_draw(tpl, seed, NULL, set, err);
    fms_variant_free(tpl);
    return st;
}

/* Grades the sheet at path on set into results. */
static fms_status grade_file(const fms_exset *set, const char *path, const char *name, const char *note,
                             fms_strbuf *results, fms_error *err)
{
    fms_key *key = NULL;
    fms_sheet *sheet = NULL;
    fms_grade *g = NULL;
    fms_error e;
    fms_error_clear(&e);
    FILE *f = fopen(path, "rb");
    fms_status sst = f ? fms_sheet_read(f, &sheet, &e) : fms_error_set(&e, FMS_EIO, 0, "cannot open it");
    if (f)
        fclose(f);
    if (sst != FMS_OK) {
        fms_strbuf msg = { 0 };
        fms_strbuf_printf(&msg, "%s cannot be graded: %s", name, e.msg);
        if (e.line > 0)
            fms_strbuf_printf(&msg, " (line %ld)", e.line);
        fms_strbuf_puts(&msg, ". Submit a text file of 'ID = ANSWER' lines.");
        fms_status st = fms_gradescope_failure(fms_strbuf_str(&msg), results, err);
        fms_strbuf_free(&msg);
        return st;
    }
    fms_status st = fms_key_build(set, &key, err);
    if (st == FMS_OK)
        st = fms_grade_sheet(key, set->data, sheet, &g, err);
    if (st == FMS_OK)
        st = fms_gradescope_results(set, g, note, results, err);
    fms_grade_free(g);
    fms_key_free(key);
    fms_sheet_free(sheet);
    return st;
}

fms_status fms_autograder_run(const char *root, const char *id_field, fms_strbuf *results, fms_error *err)
{
    fms_exset *set = NULL;
    char who[256], name[1024], why[FMS_ERROR_MSG_MAX], sub[4096], path[4096 + 1024];
    fms_status st = student_set(root, id_field, &set, who, sizeof who, err);
    if (st == FMS_OK && fms_fileio_join(root, "submission", sub, sizeof sub) != FMS_OK)
        st = fms_error_set(err, FMS_EIO, 0, "the autograder's root path is too long");
    if (st != FMS_OK) {
        fms_error e;
        fms_error_clear(&e);
        fms_gradescope_failure(staff_msg, results, &e);
        return st;
    }
    find_sheet(sub, name, sizeof name, why, sizeof why);
    if (why[0]) {
        st = fms_gradescope_failure(why, results, err);
    } else {
        char note[1536];
        if (who[0])
            snprintf(note, sizeof note, "Graded %s on the variant of %s.", name, who);
        else
            snprintf(note, sizeof note, "Graded %s.", name);
        fms_fileio_join(sub, name, path, sizeof path);
        st = grade_file(set, path, name, note, results, err);
    }
    fms_exset_free(set);
    return st;
}

/* cmd_autograder.c — `fmsolve autograder`: Gradescope's autograder archive,
 * and (--run, what the archive's run_autograder calls) the grading of one
 * submission there. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char autograder_usage[] =
    "Usage: fmsolve autograder --out ZIP [--exercises FILE] [--secret-file K]\n"
    "                          [--id-field email|sid|id] [--source DIR]\n"
    "       fmsolve autograder --run ROOT [--id-field email|sid|id]\n"
    "Writes the archive to upload as a Gradescope autograder: setup.sh builds\n"
    "fmsolve from the sources in the archive, run_autograder grades the submitted\n"
    "sheet and writes results.json (each answer right or wrong and why; the\n"
    "expected answers only once the grades are published).  With --secret-file,\n"
    "each student is graded on their own variant (seed = HMAC-SHA-256(secret, ID),\n"
    "ID the metadata's users[0].FIELD, email by default); the archive then holds\n"
    "the secret: upload it to Gradescope only.  --source: the fmsolve source tree\n"
    "to pack (default: the one this fmsolve was built from).\n"
    "--run ROOT grades ROOT/submission/ into ROOT/results/results.json.\n";

/* Made by meson: the embedded scripts and the source list (srclist.c). */
extern const char fms_autograder_setup_sh[];
extern const char fms_autograder_run_autograder[];
extern const char fms_source_root[];
extern const char *const fms_source_files[];

typedef struct autograder_args {
    const char *exercises, *out, *secret_file, *id_field, *run, *source;
} autograder_args;

/* The exercise file's text (checked by loading it as a template). */
static int exercises_text(const autograder_args *a, const fms_variant *tpl, int have_secret, char **text,
                          size_t *len)
{
    fms_error err;
    fms_error_clear(&err);
    if (fms_variant_nslots(tpl) > 0 && !have_secret)
        return cli_fail("autograder: %s has choices: give the course secret (--secret-file) so that each student "
                        "is graded on their variant", a->exercises ? a->exercises : "the exercise file");
    if (a->exercises == NULL) {
        const char *b = fms_exset_builtin_text(len);
        *text = fms_strbuf_dupn(b, *len);
        return *text ? CLI_GO_ON : cli_fail("out of memory");
    }
    return fms_fileio_read(a->exercises, FMS_EXSET_MAX_BYTES, text, len, &err) == FMS_OK ? CLI_GO_ON
                                                                                          : cli_fail_error(&err);
}

static int build(const autograder_args *a)
{
    fms_variant *tpl = NULL;
    fms_secret secret = { .len = 0 };
    char *text = NULL;
    size_t len = 0;
    fms_strbuf run = { 0 };
    int rc = cli_template_load(a->exercises, &tpl);
    if (rc == CLI_GO_ON && a->secret_file)
        rc = cli_secret_load(a->secret_file, &secret);
    if (rc == CLI_GO_ON)
        rc = exercises_text(a, tpl, a->secret_file != NULL, &text, &len);
    if (rc == CLI_GO_ON) {
        /* run_autograder names the metadata field of the student's id. */
        const char *at = strstr(fms_autograder_run_autograder, "@ID_FIELD@");
        fms_strbuf_putn(&run, fms_autograder_run_autograder, at ? (size_t)(at - fms_autograder_run_autograder) : 0);
        fms_strbuf_puts(&run, a->id_field);
        fms_strbuf_puts(&run, at ? at + strlen("@ID_FIELD@") : fms_autograder_run_autograder);
        size_t nsource = 0;
        while (fms_source_files[nsource])
            nsource++;
        fms_autograder_spec spec = { .setup_sh = fms_autograder_setup_sh, .run_autograder = fms_strbuf_str(&run),
                                     .exercises = text, .exercises_len = len,
                                     .secret = a->secret_file ? &secret : NULL,
                                     .source_root = a->source ? a->source : fms_source_root,
                                     .source_files = fms_source_files, .nsource = nsource };
        fms_error err;
        fms_error_clear(&err);
        if (fms_strbuf_status(&run) != FMS_OK)
            rc = cli_fail("out of memory");
        else if (fms_autograder_archive(a->out, &spec, &err) != FMS_OK)
            rc = cli_fail_error(&err);
        else
            rc = FMS_EXIT_OK;
    }
    if (rc == FMS_EXIT_OK)
        printf("%s: Gradescope autograder (setup.sh, run_autograder, exercises.ini%s, fmsolve/ sources)\n", a->out,
               a->secret_file ? ", secret" : "");
    fms_strbuf_free(&run);
    free(text);
    fms_keyedhash_clear(&secret);
    fms_variant_free(tpl);
    return rc;
}

/* Grades ROOT/submission/ into ROOT/results/results.json (always written). */
static int run(const autograder_args *a)
{
    char dir[4096], path[4096];
    fms_error err, werr;
    fms_error_clear(&err);
    fms_error_clear(&werr);
    fms_strbuf results = { 0 };
    fms_status st = fms_autograder_run(a->run, a->id_field, &results, &err);
    if (fms_fileio_join(a->run, "results", dir, sizeof dir) != FMS_OK ||
        fms_fileio_join(dir, "results.json", path, sizeof path) != FMS_OK)
        return cli_fail("autograder: the root path is too long");
    if (fms_fileio_folder(dir, &werr) != FMS_OK ||
        fms_fileio_write(path, fms_strbuf_str(&results), results.len, 0644, &werr) != FMS_OK) {
        fms_strbuf_free(&results);
        return cli_fail_error(&werr);
    }
    fms_strbuf_free(&results);
    if (st != FMS_OK)
        return cli_fail_error(&err);
    printf("%s written\n", path);
    return FMS_EXIT_OK;
}

int cmd_autograder(int argc, char **argv)
{
    autograder_args a = { .id_field = "email" };
    const cli_opt opts[] = {
        CLI_EXERCISES_OPT(&a.exercises),
        { .name = "out", .letter = 'o', .kind = CLI_OPT_TEXT, .target = &a.out },
        { .name = "secret-file", .kind = CLI_OPT_TEXT, .target = &a.secret_file },
        { .name = "id-field", .kind = CLI_OPT_TEXT, .target = &a.id_field },
        { .name = "source", .kind = CLI_OPT_TEXT, .target = &a.source },
        { .name = "run", .kind = CLI_OPT_TEXT, .target = &a.run },
        CLI_HELP_OPT(autograder_usage),
    };
    int rc = cli_options_parse("autograder", opts, CLI_NOPTS(opts), 0, argc, argv);
    if (rc != CLI_GO_ON)
        return rc;
    if (strcmp(a.id_field, "email") != 0 && strcmp(a.id_field, "sid") != 0 && strcmp(a.id_field, "id") != 0)
        return cli_fail("autograder: --id-field: '%s' is not a field of Gradescope's users (expected email, sid or id)",
                        a.id_field);
    if (a.run && (a.out || a.exercises || a.secret_file || a.source))
        return cli_fail("autograder: --run grades a submission inside Gradescope; it takes only --id-field");
    if (!a.run && !a.out)
        return cli_fail("autograder: give the archive to write: --out autograder.zip");
    return a.run ? run(&a) : build(&a);
}

/* cmd_variant.c — `fmsolve variant`: the concrete exercise file drawn from
 * a template for a seed or a student, or for every student of a roster
 * with their handouts. */
#include <stdint.h>
#include <string.h>

#include "cli/cli.h"

static const char variant_usage[] =
    "Usage: fmsolve variant --seed S [--exercises FILE] [--out FILE]\n"
    "       fmsolve variant --secret-file K --student ID [--exercises FILE] [--out FILE]\n"
    "       fmsolve variant --roster CSV --secret-file K --out DIR [--exercises FILE]\n"
    "                       [--with-answers] [--id-column NAME]\n"
    "Draws the concrete exercise file of a template (numbers written {a, b, c} or\n"
    "[lo : step : hi], 'keep =' per exercise; see docs/teaching.md) for seed S, for\n"
    "student ID (seed = HMAC-SHA-256(secret, ID)), or for every student of the\n"
    "roster (a CSV file with an 'id' column): DIR/ID.ini, and the handout DIR/ID.md\n"
    "and DIR/ID.tex, questions only unless --with-answers.  The same template and\n"
    "seed give the same file on every machine.  The secret is never printed or\n"
    "written.\n";

/* No --seed: CLI_OPT_SEED never stores a value above 2^63 - 1. */
#define NO_SEED UINT64_MAX

typedef struct variant_args {
    const char *exercises, *out, *secret_file, *student, *roster, *id_column;
    uint64_t seed;
    int with_answers;
} variant_args;

/* The three files of one student: the exercise file and the handout in Markdown and LaTeX. */
enum { F_INI, F_MD, F_TEX, NFILES };
static const char *const file_ext[NFILES] = { ".ini", ".md", ".tex" };

static fms_status student_files(const fms_variant *tpl, uint64_t seed, const char *id, int with_answers,
                                fms_strbuf out[NFILES], fms_error *err)
{
    fms_exset *set = NULL;
    fms_key *key = NULL;
    fms_status st = fms_variant_draw(tpl, seed, &out[F_INI], &set, err);
    if (st == FMS_OK)
        st = fms_key_build(set, &key, err);
    if (st == FMS_OK)
        st = fms_handout_render(set, key, FMS_HANDOUT_MARKDOWN, with_answers, id, &out[F_MD], err);
    if (st == FMS_OK)
        st = fms_handout_render(set, key, FMS_HANDOUT_LATEX, with_answers, id, &out[F_TEX], err);
    fms_key_free(key);
    fms_exset_free(set);
    return st;
}

/* Adds "for student ID" to an error of a student's variant. */
static int fail_for(fms_error *err, const char *id)
{
    size_t n = strlen(err->msg);
    snprintf(err->msg + n, sizeof err->msg - n, " (student '%s')", id);
    return cli_fail_error(err);
}

/* Draws every student's files: a dry run first (nothing is written unless
 * every variant can be drawn), then the same again, written file by file. */
static int write_roster(const variant_args *a, const fms_variant *tpl, const fms_roster *r, const fms_secret *secret)
{
    fms_error err;
    fms_error_clear(&err);
    if (fms_fileio_folder(a->out, &err) != FMS_OK)
        return cli_fail_error(&err);
    for (int write = 0; write <= 1; write++) {
        for (size_t i = 0; i < r->n; i++) {
            const char *id = r->entries[i].id;
            fms_strbuf out[NFILES] = { { 0 } };
            fms_status st = student_files(tpl, fms_keyedhash_seed(secret, id), id, a->with_answers, out, &err);
            for (int f = 0; st == FMS_OK && write && f < NFILES; f++) {
                char name[FMS_ROSTER_ID_MAX + 8], path[4096];
                snprintf(name, sizeof name, "%s%s", id, file_ext[f]);
                st = fms_fileio_join(a->out, name, path, sizeof path) == FMS_OK
                         ? fms_fileio_write(path, fms_strbuf_str(&out[f]), out[f].len, 0644, &err)
                         : fms_error_set(&err, FMS_EIO, 0, "the path of %s is too long", name);
            }
            for (int f = 0; f < NFILES; f++)
                fms_strbuf_free(&out[f]);
            if (st != FMS_OK)
                return err.status == FMS_EIO ? cli_fail_error(&err) : fail_for(&err, id);
        }
    }
    printf("%s: %zu student%s, %zu files (ID.ini, ID.md, ID.tex)%s\n", a->out, r->n, r->n == 1 ? "" : "s",
           NFILES * r->n, a->with_answers ? " with the worked answers" : "");
    return FMS_EXIT_OK;
}

/* One concrete file, on stdout or in --out. */
static int write_one(const variant_args *a, const fms_variant *tpl, uint64_t seed)
{
    fms_error err;
    fms_error_clear(&err);
    fms_strbuf text = { 0 };
    fms_status st = fms_variant_draw(tpl, seed, &text, NULL, &err);
    if (st == FMS_OK && a->out)
        st = fms_fileio_write(a->out, fms_strbuf_str(&text), text.len, 0644, &err);
    int rc = st != FMS_OK ? (a->student ? fail_for(&err, a->student) : cli_fail_error(&err))
                          : a->out ? FMS_EXIT_OK : cli_emit(&text);
    fms_strbuf_free(&text);
    return rc;
}

/* Refuses options that do not go together; returns CLI_GO_ON when they do. */
static int check_mode(const variant_args *a)
{
    if (a->roster && (a->student || a->seed != NO_SEED))
        return cli_fail("variant: --roster draws every student's variant; it takes no --student or --seed");
    if (a->student && a->seed != NO_SEED)
        return cli_fail("variant: give --seed S or --student ID, not both");
    if ((a->roster || a->student) && !a->secret_file)
        return cli_fail("variant: %s needs the course secret: --secret-file FILE", a->roster ? "--roster" : "--student");
    if (a->roster && !a->out)
        return cli_fail("variant: --roster needs the folder to write into: --out DIR");
    if (!a->roster && !a->student && a->seed == NO_SEED)
        return cli_fail("variant: give --seed S, --student ID or --roster CSV (try 'fmsolve variant --help')");
    if (a->seed != NO_SEED && a->secret_file)
        return cli_fail("variant: --seed draws without the secret; --secret-file goes with --student or --roster");
    if (a->with_answers && !a->roster)
        return cli_fail("variant: --with-answers is for the handouts of --roster");
    if (a->id_column && !a->roster)
        return cli_fail("variant: --id-column is for --roster");
    return CLI_GO_ON;
}

int cmd_variant(int argc, char **argv)
{
    variant_args a = { .seed = NO_SEED };
    const cli_opt opts[] = {
        CLI_EXERCISES_OPT(&a.exercises),
        CLI_SEED_OPT(&a.seed),
        { .name = "out", .letter = 'o', .kind = CLI_OPT_TEXT, .target = &a.out },
        { .name = "secret-file", .kind = CLI_OPT_TEXT, .target = &a.secret_file },
        { .name = "student", .kind = CLI_OPT_TEXT, .target = &a.student },
        { .name = "roster", .kind = CLI_OPT_TEXT, .target = &a.roster },
        { .name = "id-column", .kind = CLI_OPT_TEXT, .target = &a.id_column },
        { .name = "with-answers", .kind = CLI_OPT_FLAG, .target = &a.with_answers },
        CLI_HELP_OPT(variant_usage),
    };
    int rc = cli_options_parse("variant", opts, CLI_NOPTS(opts), 0, argc, argv);
    if (rc == CLI_GO_ON)
        rc = check_mode(&a);
    if (rc != CLI_GO_ON)
        return rc;
    fms_variant *tpl = NULL;
    fms_roster *roster = NULL;
    fms_secret secret = { .len = 0 };
    rc = cli_template_load(a.exercises, &tpl);
    if (rc == CLI_GO_ON && a.roster)
        rc = cli_roster_load(a.roster, a.id_column, &roster);
    if (rc == CLI_GO_ON && a.secret_file)
        rc = cli_secret_load(a.secret_file, &secret);
    if (rc == CLI_GO_ON)
        rc = roster ? write_roster(&a, tpl, roster, &secret)
                    : write_one(&a, tpl, a.student ? fms_keyedhash_seed(&secret, a.student) : a.seed);
    fms_keyedhash_clear(&secret);
    fms_roster_free(roster);
    fms_variant_free(tpl);
    return rc;
}

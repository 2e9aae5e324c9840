/* cmd_grade.c — `fmsolve grade`: a whole class in one command, every
 * student's sheet on their own variant, into one CSV file. */
#include <string.h>

#include "cli/cli.h"

static const char grade_usage[] =
    "Usage: fmsolve grade SUBMISSIONS --roster CSV --csv FILE [--secret-file K]\n"
    "                     [--feedback DIR] [--exercises FILE] [--id-column NAME]\n"
    "Grades the answer sheet of every student of the roster, found in the folder\n"
    "SUBMISSIONS as ID.txt or ID_ANYTHING.txt, against that student's variant of the\n"
    "exercise file (seed = HMAC-SHA-256(secret, ID); without --secret-file the file\n"
    "must have no choices and every student gets it as it is).  Writes one CSV row per\n"
    "student (id, points, maximum, one column per answer, status) and, with\n"
    "--feedback, DIR/ID.txt with the student's graded sheet (it shows the expected\n"
    "answers: hand it out after the deadline).  Files named for no one, missing and\n"
    "duplicate submissions are reported on stderr, not guessed.\n"
    "Exit status: 0 every student graded; 2 something could not be graded, or bad input.\n";

typedef struct grade_args {
    const char *exercises, *roster, *secret_file, *csv, *feedback, *id_column;
} grade_args;

/* Writes FILE: MESSAGE for a submission that is no one's. */
static void report_stray(const char *folder, const fms_class_stray *s)
{
    cli_put_safe(folder);
    fputs(strlen(folder) && folder[strlen(folder) - 1] == '/' ? "" : "/", stderr);
    cli_put_safe(s->file);
    fprintf(stderr, ": %s\n", s->note);
}

/* Writes ROSTER:LINE: student 'ID': NOTE for a student not graded. */
static void report_row(const char *roster, const fms_class_row *row)
{
    cli_put_safe(roster);
    fprintf(stderr, ":%ld: student '", row->student->line);
    cli_put_safe(row->student->id);
    fputs("': ", stderr);
    cli_put_safe(row->note);
    fputc('\n', stderr);
}

/* Writes the CSV and the feedback files. */
static int write_results(const grade_args *a, const fms_class *c)
{
    fms_error err;
    fms_error_clear(&err);
    fms_strbuf csv = { 0 };
    fms_status st = fms_class_csv(c, &csv, &err);
    if (st == FMS_OK)
        st = fms_fileio_write(a->csv, fms_strbuf_str(&csv), csv.len, 0644, &err);
    fms_strbuf_free(&csv);
    for (size_t i = 0; st == FMS_OK && a->feedback && i < c->n; i++) {
        char name[FMS_ROSTER_ID_MAX + 8], path[4096];
        snprintf(name, sizeof name, "%s.txt", c->rows[i].student->id);
        const char *text = c->rows[i].feedback ? c->rows[i].feedback : "";
        st = fms_fileio_join(a->feedback, name, path, sizeof path) == FMS_OK
                 ? fms_fileio_write(path, text, strlen(text), 0644, &err)
                 : fms_error_set(&err, FMS_EIO, 0, "the path of %s is too long", name);
    }
    return st == FMS_OK ? CLI_GO_ON : cli_fail_error(&err);
}

/* The report: each problem on stderr, then a summary line (stdout when all went well). */
static int report(const grade_args *a, const char *folder, const fms_class *c)
{
    for (size_t i = 0; i < c->nstray; i++)
        report_stray(folder, &c->stray[i]);
    for (size_t i = 0; i < c->n; i++)
        if (c->rows[i].status != FMS_CLASS_GRADED)
            report_row(a->roster, &c->rows[i]);
    int ok = c->ngraded == c->n && c->nstray == 0;
    fprintf(ok ? stdout : stderr, "%sgraded %zu of %zu student%s", ok ? "" : "fmsolve: ", c->ngraded, c->n,
            c->n == 1 ? "" : "s");
    if (c->nstray)
        fprintf(ok ? stdout : stderr, "; %zu file%s named for no one", c->nstray, c->nstray == 1 ? "" : "s");
    if (ok)
        printf("; grades in %s\n", a->csv);
    else {
        fputs("; grades in ", stderr);
        cli_put_safe(a->csv);
        fputc('\n', stderr);
    }
    return ok ? FMS_EXIT_OK : FMS_EXIT_USAGE;
}

int cmd_grade(int argc, char **argv)
{
    grade_args a = { 0 };
    const cli_opt opts[] = {
        CLI_EXERCISES_OPT(&a.exercises),
        { .name = "roster", .kind = CLI_OPT_TEXT, .target = &a.roster },
        { .name = "secret-file", .kind = CLI_OPT_TEXT, .target = &a.secret_file },
        { .name = "csv", .kind = CLI_OPT_TEXT, .target = &a.csv },
        { .name = "feedback", .kind = CLI_OPT_TEXT, .target = &a.feedback },
        { .name = "id-column", .kind = CLI_OPT_TEXT, .target = &a.id_column },
        CLI_HELP_OPT(grade_usage),
    };
    int rc = cli_options_parse("grade", opts, CLI_NOPTS(opts), 1, argc, argv);
    if (rc != CLI_GO_ON)
        return rc;
    if (optind >= argc)
        return cli_fail("grade: give the folder of the submissions (try 'fmsolve grade --help')");
    if (!a.roster || !a.csv)
        return cli_fail("grade: %s", !a.roster ? "give the class roster: --roster CSV" : "give the file for the grades: --csv FILE");
    const char *folder = argv[optind];
    fms_variant *tpl = NULL;
    fms_roster *roster = NULL;
    fms_secret secret = { .len = 0 };
    fms_class *c = NULL;
    fms_error err;
    fms_error_clear(&err);
    rc = cli_template_load(a.exercises, &tpl);
    if (rc == CLI_GO_ON)
        rc = cli_roster_load(a.roster, a.id_column, &roster);
    if (rc == CLI_GO_ON && a.secret_file)
        rc = cli_secret_load(a.secret_file, &secret);
    if (rc == CLI_GO_ON && a.feedback && fms_fileio_folder(a.feedback, &err) != FMS_OK)
        rc = cli_fail_error(&err);
    if (rc == CLI_GO_ON) {
        fms_class_opts o = { .exercises = tpl, .secret = a.secret_file ? &secret : NULL, .roster = roster,
                             .folder = folder, .feedback = a.feedback != NULL };
        rc = fms_class_grade(&o, &c, &err) == FMS_OK ? CLI_GO_ON : cli_fail_error(&err);
    }
    if (rc == CLI_GO_ON)
        rc = write_results(&a, c);
    if (rc == CLI_GO_ON)
        rc = report(&a, folder, c);
    fms_class_free(c);
    fms_keyedhash_clear(&secret);
    fms_roster_free(roster);
    fms_variant_free(tpl);
    return rc;
}

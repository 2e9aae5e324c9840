/* cmd_check.c — `fmsolve check`: grade a student's answer sheet. */
#include <errno.h>
#include <string.h>

#include "cli/cli.h"

static const char check_usage[] =
    "Usage: fmsolve check SHEET [--exercises FILE] [--json | --format text|json|gradescope]\n"
    "       fmsolve check -        read the sheet from standard input\n"
    "SHEET has 'ID = ANSWER' lines, as 'fmsolve key' writes them; the expected answers\n"
    "come from the engine on the exercise set (the built-in sheet by default).\n"
    "Exit status: 0 every answer correct; 1 something wrong, invalid or missing;\n"
    "2 the sheet cannot be graded, or bad usage.\n";

static int set_json(void *target, const char *value)
{
    (void)value;
    *(fms_report_format *)target = FMS_REPORT_JSON;
    return CLI_GO_ON;
}

static int parse_format(void *target, const char *value)
{
    if (fms_report_format_parse(value, target) != FMS_OK)
        return cli_fail("check: --format: '%s' is not a format of check (expected text, json or gradescope)", value);
    return CLI_GO_ON;
}

/* Reads the sheet at path ("-": standard input). */
static fms_status read_sheet(const char *path, fms_sheet **sheet, fms_error *err)
{
    int from_stdin = strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (f == NULL)
        return fms_error_set(err, FMS_EIO, 0, "check: cannot open '%s': %s", path, strerror(errno));
    fms_error_set_file(err, from_stdin ? "<stdin>" : path);
    fms_status st = fms_sheet_read(f, sheet, err);
    if (!from_stdin)
        fclose(f);
    return st;
}

/* The cost of grading a sheet against set with a report in fmt (model/budget.h). */
static fms_status check_budget(const fms_exset *set, fms_report_format fmt, fms_error *err)
{
    fms_budget_product p = fmt == FMS_REPORT_JSON         ? FMS_PRODUCT_CHECK_JSON
                           : fmt == FMS_REPORT_GRADESCOPE ? FMS_PRODUCT_CHECK_GRADESCOPE
                                                          : FMS_PRODUCT_CHECK_TEXT;
    fms_cost cost;
    fms_budget_estimate(set, p, NULL, NULL, 0, FMS_SHEET_MAX_BYTES, &cost);
    fms_error_set_file(err, set->source);
    fms_status st = fms_budget_check(&cost, err);
    if (st == FMS_OK)
        err->file[0] = '\0';
    return st;
}

/* Grades the sheet at path against the set and renders the report into out. */
static fms_status grade(const fms_exset *set, const char *path, fms_report_format fmt, fms_grade **g,
                        fms_strbuf *out, fms_error *err)
{
    fms_key *key = NULL;
    fms_sheet *sheet = NULL;
    fms_status st = check_budget(set, fmt, err);
    if (st == FMS_OK)
        st = read_sheet(path, &sheet, err);
    if (st == FMS_OK) {
        fms_error_set_file(err, set->source);
        st = fms_key_build(set, &key, err);
    }
    if (st == FMS_OK) {
        err->file[0] = '\0';
        st = fms_grade_sheet(key, set->data, sheet, g, err);
    }
    if (st == FMS_OK)
        fms_grade_weigh(*g, set);
    if (st == FMS_OK)
        st = fms_report_render(set, *g, fmt, out, err);
    fms_sheet_free(sheet);
    fms_key_free(key);
    return st;
}

int cmd_check(int argc, char **argv)
{
    cli_run run = { 0 };
    fms_report_format fmt = FMS_REPORT_TEXT;
    const cli_opt opts[] = {
        CLI_EXERCISES_OPT(&run.exercises),
        { .name = "json", .kind = CLI_OPT_CALL, .target = &fmt, .call = set_json },
        { .name = "format", .letter = 'f', .has_value = 1, .kind = CLI_OPT_CALL, .target = &fmt,
          .call = parse_format },
        CLI_HELP_OPT(check_usage),
    };
    int rc = cli_options_parse("check", opts, CLI_NOPTS(opts), -1, argc, argv);
    if (rc != CLI_GO_ON)
        return rc;
    if (optind >= argc)
        return cli_fail("check: give the answer sheet to grade (a file, or - for standard input)");
    if (optind + 1 < argc)
        return cli_fail("check: one sheet at a time ('%s' is extra)", argv[optind + 1]);
    if ((rc = cli_run_begin(&run, NULL, NULL, NULL)) != CLI_GO_ON)
        return rc;
    fms_grade *g = NULL;
    rc = cli_run_end(&run, grade(run.set, argv[optind], fmt, &g, &run.text, &run.err));
    if (rc == FMS_EXIT_OK && g->ncorrect < g->n)
        rc = FMS_EXIT_WRONG;
    fms_grade_free(g);
    return rc;
}

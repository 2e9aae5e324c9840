/* cli_check.c — `fmsolve check`: grade a student's answer sheet. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char check_usage[] =
    "Usage: fmsolve check SHEET [--exercises FILE] [--json | --format text|json|gradescope]\n"
    "       fmsolve check -        read the sheet from standard input\n"
    "SHEET has 'ID = ANSWER' lines, as 'fmsolve key' writes them; the expected answers\n"
    "come from the engine on the exercise set (the built-in sheet by default).\n"
    "Exit status: 0 every answer correct; 1 something wrong, invalid or missing;\n"
    "2 the sheet cannot be graded, or bad usage.\n";

int cli_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "exercises", required_argument, NULL, 'e' },
        { "json", no_argument, NULL, 'j' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *exercises = NULL;
    fms_report_format fmt = FMS_REPORT_TEXT;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":e:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'e': exercises = optarg; break;
        case 'j': fmt = FMS_REPORT_JSON; break;
        case 'f':
            if (fms_report_format_parse(optarg, &fmt) != FMS_OK)
                return cli_fail("check: --format: '%s' is not a format of check (expected text, json or gradescope)",
                                optarg);
            break;
        case 'h': fputs(check_usage, stdout); return FMS_EXIT_OK;
        default: return cli_bad_option("check", c, argv);
        }
    }
    if (optind >= argc)
        return cli_fail("check: give the answer sheet to grade (a file, or - for standard input)");
    if (optind + 1 < argc)
        return cli_fail("check: one sheet at a time ('%s' is extra)", argv[optind + 1]);
    const char *path = argv[optind];

    fms_exset *set = NULL;
    if (!cli_load_set(exercises, &set))
        return FMS_EXIT_USAGE;
    fms_error err;
    fms_error_clear(&err);
    int rc = FMS_EXIT_USAGE;
    fms_key *key = NULL;
    fms_sheet *sheet = NULL;
    fms_grade *grade = NULL;
    fms_strbuf out = { 0 };
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        rc = cli_fail("check: cannot open '%s': %s", path, strerror(errno));
        goto done;
    }
    fms_error_set_file(&err, strcmp(path, "-") == 0 ? "<stdin>" : path);
    fms_status st = fms_sheet_read(f, &sheet, &err);
    if (f != stdin)
        fclose(f);
    if (st == FMS_OK) {
        fms_error_set_file(&err, set->source);
        st = fms_key_build(set, &key, &err);
    }
    if (st == FMS_OK) {
        err.file[0] = '\0';
        st = fms_grade_sheet(key, set->data, sheet, &grade, &err);
    }
    if (st == FMS_OK)
        st = fms_report_render(set, grade, fmt, &out, &err);
    if (st != FMS_OK)
        rc = cli_fail_error(&err);
    else {
        rc = cli_emit(&out);
        if (rc == FMS_EXIT_OK && grade->ncorrect < grade->n)
            rc = FMS_EXIT_WRONG;
    }
done:
    fms_strbuf_free(&out);
    fms_grade_free(grade);
    fms_sheet_free(sheet);
    fms_key_free(key);
    fms_exset_free(set);
    return rc;
}

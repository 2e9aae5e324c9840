/* main.c — the fmsolve command: parses the command line, calls the library, prints.
 *
 *   fmsolve ID [ID ...]       worked answers (ID is an exercise, 1.3, or a part, 1.3c)
 *   fmsolve --all             every exercise in order
 *   fmsolve list | key | query ...   see usage() and README.md
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_text[] =
    "Usage: fmsolve [OPTIONS] ID [ID ...]     worked answer to exercises or parts (1.3, 1.3c)\n"
    "       fmsolve [OPTIONS] --all           every exercise in order\n"
    "       fmsolve list [OPTIONS]            the exercise ids and their first line\n"
    "       fmsolve key [OPTIONS]             the answer key, one 'ID = VALUE' line per answer\n"
    "       fmsolve query --data LABEL=VALUE[:PROB],... --t T --x X [--json]\n"
    "                                         the posterior and velocity at one point\n"
    "       fmsolve check SHEET [--json | --format text|json|gradescope]\n"
    "                                         grade an answer sheet ('ID = ANSWER' lines)\n"
    "       fmsolve plot field|posterior|samples [--out FILE] [--size WxH] ...\n"
    "                                         figures as PNG, SVG or PDF (plot --help)\n"
    "       fmsolve simulate ID [--samples N] [--seed S] [--window H] [--json]\n"
    "                                         run the training loop, keep samples near ID\n"
    "       fmsolve train [--steps N] [--seed S] [--json]\n"
    "                                         fit u_theta by L6 and compare with the exact v\n"
    "       fmsolve sample [--particles N] [--steps K] [--param velocity|epsilon]\n"
    "                      [--seed S] [--reference] [--json]\n"
    "                                         Euler-sample the exact flow\n"
    "\n"
    "Options:\n"
    "  -e, --exercises FILE   read the exercise set from FILE (default: the built-in\n"
    "                         Discussion 11 sheet, exercises/discussion11.ini)\n"
    "  -f, --format FORMAT    text (default), markdown or json\n"
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n"
    "\n"
    "Exit status: 0 done; 1 'check' found wrong answers; 2 bad usage or bad input.\n";

typedef struct command {
    const char *name;
    cli_command_fn run;
} command;

static const command commands[] = {
    { "query", cli_query },
    { "check", cli_check },
    { "plot", cli_plot },
    { "simulate", cli_simulate },
    { "train", cli_train },
    { "sample", cli_sample },
};

static int run_answers(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "all", no_argument, NULL, 'a' },
        { "exercises", required_argument, NULL, 'e' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *exercises = NULL;
    fms_format fmt = FMS_FORMAT_TEXT;
    int all = 0;
    const char *mode = NULL; /* "list" or "key" */
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":ae:f:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'a': all = 1; break;
        case 'e': exercises = optarg; break;
        case 'f':
            if (fms_render_format_parse(optarg, &fmt) != FMS_OK)
                return cli_fail("--format: '%s' is not a format (expected text, markdown or json)", optarg);
            break;
        case 'h': fputs(usage_text, stdout); return FMS_EXIT_OK;
        case 'V': printf("fmsolve %s\n", FMS_VERSION_STRING); return FMS_EXIT_OK;
        case ':': return cli_fail("%s needs a value", argv[optind - 1]);
        default: return cli_fail("unknown option '%s' (try 'fmsolve --help')", argv[optind - 1]);
        }
    }
    /* GNU getopt has moved the words (ids, or list/key) behind the options, in order. */
    int nids = 0;
    char **ids = argv + optind;
    if (optind < argc && (strcmp(argv[optind], "list") == 0 || strcmp(argv[optind], "key") == 0)) {
        mode = argv[optind];
        ids++;
    }
    nids = (int)(argv + argc - ids);
    int rc = FMS_EXIT_OK;
    if (mode && all) {
        rc = cli_fail("'%s' and --all do not go together ('%s' already covers every exercise)", mode, mode);
        goto done;
    }
    if (mode && nids > 0) {
        rc = cli_fail("'%s' takes no exercise ids ('%s' is extra)", mode, ids[0]);
        goto done;
    }
    if (!mode && all && nids > 0) {
        rc = cli_fail("give either --all or exercise ids, not both");
        goto done;
    }
    if (!mode && !all && nids == 0) {
        fputs(usage_text, stderr);
        rc = FMS_EXIT_USAGE;
        goto done;
    }

    fms_exset *set = NULL;
    if (!cli_load_set(exercises, &set)) {
        rc = FMS_EXIT_USAGE;
        goto done;
    }
    fms_error err;
    fms_error_clear(&err);
    fms_error_set_file(&err, set->source);
    fms_key *key = NULL;
    fms_strbuf out = { 0 };
    fms_status st = fms_key_build(set, &key, &err);
    if (st == FMS_OK) {
        if (mode && strcmp(mode, "list") == 0)
            st = fms_render_list(set, &out, &err);
        else if (mode)
            st = fms_render_key(key, &out, &err);
        else if (all)
            st = fms_render_all(set, key, fmt, &out, &err);
        else {
            /* Resolve every id first so that a typo prints nothing on stdout. */
            long *exs = calloc((size_t)nids, sizeof *exs), *parts = calloc((size_t)nids, sizeof *parts);
            if (!exs || !parts)
                st = fms_error_set(&err, FMS_ENOMEM, 0, "out of memory");
            for (int i = 0; st == FMS_OK && i < nids; i++) {
                err.file[0] = '\0';
                st = fms_exset_resolve(set, ids[i], &exs[i], &parts[i], &err);
            }
            if (st == FMS_OK && fmt == FMS_FORMAT_JSON && nids > 1)
                fms_strbuf_puts(&out, "[\n");
            for (int i = 0; st == FMS_OK && i < nids; i++) {
                if (i > 0)
                    fms_strbuf_puts(&out, fmt == FMS_FORMAT_JSON ? ",\n" : "");
                st = fms_render_exercise(set, key, (size_t)exs[i], (int)parts[i], fmt, &out, &err);
            }
            if (st == FMS_OK && fmt == FMS_FORMAT_JSON && nids > 1)
                fms_strbuf_puts(&out, "]\n");
            free(exs);
            free(parts);
        }
    }
    if (st != FMS_OK)
        rc = cli_fail_error(&err);
    else
        rc = cli_emit(&out);
    fms_strbuf_free(&out);
    fms_key_free(key);
    fms_exset_free(set);
done:
    return rc;
}

int main(int argc, char **argv)
{
    /* A subcommand may come after global options: find the first word that is
     * not an option or an option's value. */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (a[0] == '-' && a[1] != '\0') {
            if (strcmp(a, "-e") == 0 || strcmp(a, "--exercises") == 0 || strcmp(a, "-f") == 0 ||
                strcmp(a, "--format") == 0)
                i++;
            continue;
        }
        for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
            if (strcmp(a, commands[k].name) == 0) {
                /* Move the command word to the front: argv = {name, other args...}. */
                char *word = argv[i];
                memmove(&argv[2], &argv[1], (size_t)(i - 1) * sizeof *argv);
                argv[1] = word;
                return commands[k].run(argc - 1, argv + 1);
            }
        }
        break;
    }
    return run_answers(argc, argv);
}

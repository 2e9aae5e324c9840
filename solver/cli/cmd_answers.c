/* cmd_answers.c — the worked answers: `fmsolve ID...`, `fmsolve --all`, and
 * the two lists of the same set, `fmsolve list` and `fmsolve key`.  They take
 * the same options (--all, --exercises, --format, --help, --version) and
 * refuse each other's words with one set of rules. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

typedef struct answers_args {
    cli_run run;       /* --exercises, the set, the output */
    fms_format fmt;
    int all;
    const char *mode;  /* "list", "key", or NULL for worked answers */
    char **ids;        /* the exercise or part ids */
    int nids;
} answers_args;

static int parse_format(void *target, const char *value)
{
    if (fms_render_format_parse(value, target) != FMS_OK)
        return cli_fail("--format: '%s' is not a format (expected text, markdown or json)", value);
    return CLI_GO_ON;
}

static int show_usage(void *target, const char *value)
{
    (void)target, (void)value;
    cli_usage(stdout);
    return FMS_EXIT_OK;
}

static int show_version(void *target, const char *value)
{
    (void)target, (void)value;
    printf("fmsolve %s\n", FMS_VERSION_STRING);
    return FMS_EXIT_OK;
}

/* The words left after the options: the ids, after "list" or "key" when the
 * command's word did not name the mode (fmsolve -- list). */
static int check_words(answers_args *a)
{
    if (!a->mode && a->nids > 0 && (strcmp(a->ids[0], "list") == 0 || strcmp(a->ids[0], "key") == 0)) {
        a->mode = a->ids[0];
        a->ids++;
        a->nids--;
    }
    if (a->mode && a->all)
        return cli_fail("'%s' and --all do not go together ('%s' already covers every exercise)", a->mode, a->mode);
    if (a->mode && a->nids > 0)
        return cli_fail("'%s' takes no exercise ids ('%s' is extra)", a->mode, a->ids[0]);
    if (!a->mode && a->all && a->nids > 0)
        return cli_fail("give either --all or exercise ids, not both");
    if (!a->mode && !a->all && a->nids == 0) {
        cli_usage(stderr);
        return FMS_EXIT_USAGE;
    }
    return CLI_GO_ON;
}

static int parse(int argc, char **argv, answers_args *a)
{
    const cli_opt opts[] = {
        { .name = "all", .letter = 'a', .kind = CLI_OPT_FLAG, .target = &a->all },
        CLI_EXERCISES_OPT(&a->run.exercises),
        { .name = "format", .letter = 'f', .has_value = 1, .kind = CLI_OPT_CALL, .target = &a->fmt,
          .call = parse_format },
        { .name = "help", .letter = 'h', .kind = CLI_OPT_CALL, .call = show_usage },
        { .name = "version", .letter = 'V', .kind = CLI_OPT_CALL, .call = show_version },
    };
    int rc = cli_options_parse(NULL, opts, CLI_NOPTS(opts), -1, argc, argv);
    if (rc != CLI_GO_ON)
        return rc;
    /* GNU getopt has moved the words behind the options, in order. */
    a->ids = argv + optind;
    a->nids = argc - optind;
    return check_words(a);
}

/* The answers to the ids, one after the other (a JSON array for several).
 * Every id is resolved first so that a typo prints nothing on stdout. */
static fms_status render_ids(const fms_exset *set, const fms_key *key, const answers_args *a, fms_strbuf *out,
                             fms_error *err)
{
    const int n = a->nids, json = a->fmt == FMS_FORMAT_JSON;
    long *exs = calloc((size_t)n, sizeof *exs), *parts = calloc((size_t)n, sizeof *parts);
    fms_status st = exs && parts ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    for (int i = 0; st == FMS_OK && i < n; i++) {
        err->file[0] = '\0';
        st = fms_exset_resolve(set, a->ids[i], &exs[i], &parts[i], err);
    }
    if (st == FMS_OK && json && n > 1)
        fms_strbuf_puts(out, "[\n");
    for (int i = 0; st == FMS_OK && i < n; i++) {
        if (i > 0)
            fms_strbuf_puts(out, json ? ",\n" : "");
        st = fms_render_exercise(set, key, (size_t)exs[i], (int)parts[i], a->fmt, out, err);
    }
    if (st == FMS_OK && json && n > 1)
        fms_strbuf_puts(out, "]\n");
    free(exs);
    free(parts);
    return st;
}

/* Renders what a asks for into out. */
static fms_status render(const fms_exset *set, const answers_args *a, fms_strbuf *out, fms_error *err)
{
    fms_key *key = NULL;
    fms_error_set_file(err, set->source);
    fms_status st = fms_key_build(set, &key, err);
    if (st == FMS_OK && a->mode && strcmp(a->mode, "list") == 0)
        st = fms_render_list(set, out, err);
    else if (st == FMS_OK && a->mode)
        st = fms_render_key(key, out, err);
    else if (st == FMS_OK && a->all)
        st = fms_render_all(set, key, a->fmt, out, err);
    else if (st == FMS_OK)
        st = render_ids(set, key, a, out, err);
    fms_key_free(key);
    return st;
}

static int answers_run(int argc, char **argv, const char *mode)
{
    answers_args a = { .fmt = FMS_FORMAT_TEXT, .mode = mode };
    int rc = parse(argc, argv, &a);
    if (rc == CLI_GO_ON)
        rc = cli_run_begin(&a.run, NULL, NULL, NULL);
    if (rc != CLI_GO_ON)
        return rc;
    return cli_run_end(&a.run, render(a.run.set, &a, &a.run.text, &a.run.err));
}

int cmd_answers(int argc, char **argv)
{
    return answers_run(argc, argv, NULL);
}

int cmd_list(int argc, char **argv)
{
    return answers_run(argc, argv, "list");
}

int cmd_key(int argc, char **argv)
{
    return answers_run(argc, argv, "key");
}

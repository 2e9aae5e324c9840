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
        return cli_fail("--format: '%s' is not a format (expected text, markdown, json or latex)", value);
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
    if (!a->mode && !a->all && a->nids == 0)
        return cli_fail("give exercise ids (1.3, 1.3c), --all, or a command (try 'fmsolve --help')");
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

/* The exercise and part of every id into exs and parts, all resolved
 * before anything is computed, so that a typo prints nothing on stdout. */
static fms_status resolve_ids(const fms_exset *set, const answers_args *a, size_t *exs, int *parts, fms_error *err)
{
    fms_status st = FMS_OK;
    for (size_t i = 0; st == FMS_OK && i < (size_t)a->nids; i++) {
        long ex, part;
        err->file[0] = '\0';
        st = fms_exset_resolve(set, a->ids[i], &ex, &part, err);
        exs[i] = (size_t)ex;
        parts[i] = (int)part;
    }
    return st;
}

/* What a asks for, as model/budget.h counts it. */
static fms_budget_product product_of(const answers_args *a)
{
    if (a->mode)
        return strcmp(a->mode, "list") == 0 ? FMS_PRODUCT_LIST : FMS_PRODUCT_KEY;
    return a->fmt == FMS_FORMAT_JSON ? FMS_PRODUCT_ANSWERS_JSON : FMS_PRODUCT_ANSWERS_TEXT;
}

/* Renders what a asks for into out, once its cost is within the budgets:
 * the ids resolved, then the budget, then the key, then the answers (a JSON
 * array for several ids, one LaTeX document). */
static fms_status render(const fms_exset *set, const answers_args *a, fms_strbuf *out, fms_error *err)
{
    const size_t n = (size_t)a->nids;
    size_t *exs = calloc(n + 1, sizeof *exs);
    int *parts = calloc(n + 1, sizeof *parts);
    fms_status st = exs && parts ? resolve_ids(set, a, exs, parts, err) : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    const fms_budget_product p = product_of(a);
    fms_cost cost;
    fms_budget_estimate(set, p, n ? exs : NULL, parts, n, 0.0, &cost);
    fms_key *key = NULL;
    if (st == FMS_OK)
        fms_error_set_file(err, set->source);
    if (st == FMS_OK)
        st = fms_budget_check(&cost, err);
    if (st == FMS_OK && p != FMS_PRODUCT_LIST)
        st = fms_key_build(set, &key, err);
    if (st == FMS_OK && p == FMS_PRODUCT_LIST)
        st = fms_render_list(set, out, err);
    else if (st == FMS_OK && p == FMS_PRODUCT_KEY)
        st = fms_render_key(key, out, err);
    else if (st == FMS_OK && a->all)
        st = fms_render_all(set, key, a->fmt, out, err);
    else if (st == FMS_OK)
        st = fms_render_exercises(set, key, n, exs, parts, a->fmt, out, err);
    fms_key_free(key);
    free(exs);
    free(parts);
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

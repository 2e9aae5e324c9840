/* cli.h — what the fmsolve command's parts share: the subcommands, the
 * option table, messages, loading the exercise set, the progress bar and
 * writing output.
 *
 * Contract: the command line never computes answers itself; each cmd_*.c
 * parses its options (options.c), calls the library (fmsolve.h) and writes
 * what it returns.  On bad usage or bad input it prints exactly one line on
 * stderr ("fmsolve: ..." or "FILE:LINE: ...") and exits with FMS_EXIT_USAGE,
 * having written nothing on stdout.
 */
#ifndef FMS_CLI_H
#define FMS_CLI_H

#include <getopt.h> /* optind, where a command's operands start */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fmsolve.h"

/* Exit statuses of the fmsolve command (see docs/fmsolve.1, EXIT STATUS, and README.md). */
typedef enum fms_exit {
    FMS_EXIT_OK = 0,     /* done; for `check`, every answer correct */
    FMS_EXIT_WRONG = 1,  /* `check` graded the sheet and something is wrong or missing */
    FMS_EXIT_USAGE = 2,  /* bad usage, bad input, a limit passed, or output that could not be
                            written: one line on stderr, nothing on stdout */
    FMS_EXIT_INTERRUPTED = 130 /* Ctrl-C: "fmsolve: interrupted", nothing on stdout, no file */
} fms_exit;

/* Not an exit status: a step went well and the command carries on. */
#define CLI_GO_ON (-1)

/* ---- the subcommands (cmd_*.c); argv[0] is the command's word ---------- */

typedef int (*cli_command_fn)(int argc, char **argv);

int cmd_answers(int argc, char **argv);  /* fmsolve ID..., --all (cmd_answers.c) */
int cmd_list(int argc, char **argv);     /* fmsolve list (cmd_answers.c) */
int cmd_key(int argc, char **argv);      /* fmsolve key (cmd_answers.c) */
int cmd_query(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_variant(int argc, char **argv);    /* fmsolve variant (cmd_variant.c) */
int cmd_grade(int argc, char **argv);      /* fmsolve grade: a class (cmd_grade.c) */
int cmd_autograder(int argc, char **argv); /* fmsolve autograder: Gradescope (cmd_autograder.c) */

/* Writes the command summary (--help, main.c's table) to f. */
void cli_usage(FILE *f);

/* ---- the end of every run (main.c, limits.c) --------------------------- */

/* GNU's close_stdout: flushes and closes stdout and stderr, checking both;
 * a failure not reported yet prints "fmsolve: cannot write the output:
 * REASON" and makes the status FMS_EXIT_USAGE.  Returns the exit status. */
int cli_finish(int rc);

/* `fmsolve --limits` (not in --help; for tests and docs/limits.md): every
 * limit as "NAME VALUE" lines on stdout.  Returns FMS_EXIT_OK. */
int cli_limits_print(void);

/* The plot's budgets (model/budget.h) for the figure written to path: at
 * most FMS_BUDGET_PLOT_POINTS data points; for the heat maps (field,
 * posterior) pixels × data points ≤ FMS_BUDGET_PLOT_TERMS; for the field's curves in SVG or PDF, the file's
 * size and memory within the output and memory budgets.  Returns FMS_OK,
 * or FMS_ELIMIT with the message in err. */
fms_status cli_limits_plot(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt, const char *path,
                           fms_error *err);

/* ---- options (options.c) ----------------------------------------------- */

typedef enum cli_opt_kind {
    CLI_OPT_FLAG,   /* *(int *)target = 1 */
    CLI_OPT_TEXT,   /* *(const char **)target = the value */
    CLI_OPT_COUNT,  /* *(long long *)target = a whole number in [lo, hi] */
    CLI_OPT_SEED,   /* *(uint64_t *)target = a whole number in [0, 2^63 - 1] */
    CLI_OPT_REAL,   /* *(double *)target = a finite number with min < x <= max */
    CLI_OPT_HELP,   /* writes text on stdout; the command stops with FMS_EXIT_OK */
    CLI_OPT_CALL    /* call(target, value) */
} cli_opt_kind;

/* A CLI_OPT_CALL handler: value is NULL for an option without one.  Returns
 * CLI_GO_ON, or the exit status the command stops with (having printed). */
typedef int (*cli_opt_fn)(void *target, const char *value);

/* One option of a command's table. */
typedef struct cli_opt {
    const char *name;     /* the long name, without "--" */
    char letter;          /* the short option, or 0 */
    int has_value;        /* CLI_OPT_CALL: 1 when the option takes a value */
    cli_opt_kind kind;
    void *target;
    long long lo, hi;     /* CLI_OPT_COUNT's range */
    double min, max;      /* CLI_OPT_REAL's range */
    const char *text;     /* CLI_OPT_REAL: what follows "--NAME: VALUE" when out of range;
                             CLI_OPT_HELP: the help */
    cli_opt_fn call;      /* CLI_OPT_CALL */
} cli_opt;

/* The options most commands share. */
#define CLI_EXERCISES_OPT(p) { .name = "exercises", .letter = 'e', .kind = CLI_OPT_TEXT, .target = (p) }
#define CLI_JSON_OPT(p) { .name = "json", .kind = CLI_OPT_FLAG, .target = (p) }
#define CLI_QUIET_OPT(p) { .name = "quiet", .letter = 'q', .kind = CLI_OPT_FLAG, .target = (p) }
#define CLI_SEED_OPT(p) { .name = "seed", .kind = CLI_OPT_SEED, .target = (p) }
#define CLI_HELP_OPT(s) { .name = "help", .letter = 'h', .kind = CLI_OPT_HELP, .text = (s) }

/* The options of a cli_run (below): --json, --quiet, --exercises, --help. */
#define CLI_RUN_OPTS(r, help)                                                                   \
    CLI_JSON_OPT(&(r)->json), CLI_QUIET_OPT(&(r)->quiet), CLI_EXERCISES_OPT(&(r)->exercises), \
        CLI_HELP_OPT(help)

/* Parses the options of argv[1..argc) by the table opts[0..n) with GNU
 * getopt_long (operands move behind the options, in order; long names may be
 * abbreviated), acting on each in turn, then refuses more than max_operands
 * operands ("CMD: unexpected argument 'WORD'"; max_operands < 0: any number).
 * cmd names the command in messages ("CMD: unknown option ..."); NULL for the
 * worked answers.  Returns CLI_GO_ON with optind at the first operand, or the
 * exit status to stop with (after --help, or a message). */
int cli_options_parse(const char *cmd, const cli_opt *opts, size_t n, int max_operands, int argc, char **argv);

/* The number of entries of an option table (an array, not a pointer). */
#define CLI_NOPTS(opts) (sizeof(opts) / sizeof((opts)[0]))

/* Parses an option's value as a finite long double (the engine's
 * extended-precision input); on failure prints "fmsolve: OPTION: 'VALUE' is
 * not a number" (or "is too large for a double") and returns 0. */
int cli_number_l(const char *option, const char *value, long double *out);

/* ---- messages (cli.c) -------------------------------------------------- */

/* Prints "fmsolve: MESSAGE" on stderr as one line (control characters and
 * bytes that are not UTF-8 escaped: fms_strbuf_put_escaped); returns
 * FMS_EXIT_USAGE. */
int cli_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Prints an fms_error as one line: "FILE:LINE: msg", "FILE: msg" or
 * "fmsolve: msg" (escaped as by cli_fail); returns FMS_EXIT_USAGE, or
 * FMS_EXIT_INTERRUPTED for FMS_EINTR. */
int cli_fail_error(const fms_error *err);

/* ---- the teaching commands' inputs (teach.c) ---------------------------- */

/* Loads the exercise file or template at path (NULL: the built-in sheet).
 * Returns CLI_GO_ON, or FMS_EXIT_USAGE after the message. */
int cli_template_load(const char *path, fms_variant **out);

/* Reads the course secret at path into *out (never printed).  Returns
 * CLI_GO_ON, or FMS_EXIT_USAGE after the message ("PATH: ..."). */
int cli_secret_load(const char *path, fms_secret *out);

/* Loads the roster at path (column: the id column, NULL for "id"). */
int cli_roster_load(const char *path, const char *column, fms_roster **out);

/* Writes s to stderr escaped as by cli_fail (fms_strbuf_put_escaped), so
 * that a file name or an id cannot break a one-line message (cli.c). */
void cli_put_safe(const char *s);

/* ---- the progress bar (progress.c) ------------------------------------- */

/* A bar on stderr, drawn only when stderr is a terminal, the user did not ask
 * for --quiet and the run has taken half a second (so that quick runs print
 * nothing); erased at the end. */
typedef struct cli_progress {
    int on, shown;
    double start;
    const char *label;
} cli_progress;

/* Starts the bar and hooks it to a library run: *fn and *ctx are the run
 * options' progress fields (left NULL when the bar is off). */
void cli_progress_start(cli_progress *p, const char *label, int quiet, fms_progress_fn *fn, void **ctx);
/* Erases the bar. */
void cli_progress_end(cli_progress *p);

/* ---- a command's run, and its output (cli_run.c) ----------------------- */

/* What a command holds from loading the exercise set to writing its result. */
typedef struct cli_run {
    const char *exercises;  /* --exercises FILE, or NULL for the built-in set */
    int json, quiet;        /* --json, --quiet */
    fms_exset *set;         /* loaded by cli_run_begin */
    fms_error err;          /* cleared by cli_run_begin */
    cli_progress bar;
    fms_strbuf text;        /* the result: text, */
    json_t *result;         /* or JSON when not NULL */
} cli_run;

/* Loads the set and, when label is not NULL, starts the progress bar hooked
 * to *fn and *ctx (the library run's progress fields).  The commands with a
 * bar run the dynamics (simulate, train, sample, plot), which follow the
 * sheet's path only: a set on another path (exset.h) is refused with
 * "LABEL: ...".  Returns CLI_GO_ON, or FMS_EXIT_USAGE after the message. */
int cli_run_begin(cli_run *r, const char *label, fms_progress_fn *fn, void **ctx);

/* For a command without operands: cli_options_parse, then cli_run_begin
 * with the bar labelled cmd. */
int cli_run_start(cli_run *r, const char *cmd, const cli_opt *opts, size_t n, int argc, char **argv,
                  fms_progress_fn *fn, void **ctx);

/* Erases the bar, writes the error line when st is not FMS_OK, else the
 * result (r->result or r->text) unless Ctrl-C was pressed meanwhile
 * ("interrupted", FMS_EXIT_INTERRUPTED), and releases what the run holds.
 * Returns the exit status. */
int cli_run_end(cli_run *r, fms_status st);

/* Writes the buffer to stdout and flushes it; returns FMS_EXIT_OK, or
 * FMS_EXIT_USAGE with a message when the buffer ran out of memory or stdout
 * fails (cli_finish then does not report it again). */
int cli_emit(const fms_strbuf *out);

/* Writes root (which it releases) to stdout as indented JSON with 17-digit
 * reals; returns the exit status as cli_emit. */
int cli_emit_json(json_t *root);

/* ---- a point on a path: query and convert (cli_point.c) ---------------- */

/* The options a point command shares: --data or the exercise set, --t, --x,
 * --schedule, --convention, --json. */
typedef struct cli_point {
    cli_run run;         /* --exercises, --json, the set, the output */
    const char *data;    /* --data SPEC, or NULL */
    fms_path_query q;    /* the path and the point (t and 1 − t from the decimal text) */
    int have_t, have_x;
    int schedule_given, convention_given;
    int path_given;      /* --schedule or --convention was given, or the set's path is not the seed's */
} cli_point;

/* Sets *p to no options: condot, data-at-1. */
void cli_point_init(cli_point *p);

/* CLI_OPT_CALL handlers; target is the cli_point. */
int cli_point_t(void *target, const char *value);
int cli_point_x(void *target, const char *value);
int cli_point_schedule(void *target, const char *value);
int cli_point_convention(void *target, const char *value);

/* The option-table entries of a point command. */
#define CLI_POINT_OPTS(p)                                                                             \
    { .name = "data", .letter = 'd', .kind = CLI_OPT_TEXT, .target = &(p)->data },                    \
        { .name = "t", .has_value = 1, .kind = CLI_OPT_CALL, .target = (p), .call = cli_point_t },   \
        { .name = "x", .has_value = 1, .kind = CLI_OPT_CALL, .target = (p), .call = cli_point_x },   \
        { .name = "x_t", .has_value = 1, .kind = CLI_OPT_CALL, .target = (p), .call = cli_point_x }, \
        { .name = "schedule", .has_value = 1, .kind = CLI_OPT_CALL, .target = (p),                    \
          .call = cli_point_schedule },                                                               \
        { .name = "convention", .has_value = 1, .kind = CLI_OPT_CALL, .target = (p),                  \
          .call = cli_point_convention },                                                             \
        CLI_EXERCISES_OPT(&(p)->run.exercises), CLI_JSON_OPT(&(p)->run.json)

/* After parsing: --t and --x given ("CMD: --t T is required (RANGE)"), not
 * both --data and --exercises.  Returns CLI_GO_ON or FMS_EXIT_USAGE. */
int cli_point_check(const char *cmd, const cli_point *p, const char *t_range);

/* The data of --data, or (when *owned is left NULL) the set's, loaded into
 * p->run; the set's schedule and convention stand in for options not given.
 * Returns CLI_GO_ON with *d set, or the exit status after the message. */
int cli_point_data(cli_point *p, const fms_data **d, fms_data **owned);

#endif /* FMS_CLI_H */

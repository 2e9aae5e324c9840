/* cli.h — what the fmsolve command's parts share: messages, option values,
 * loading the exercise set, writing output.
 *
 * Contract: the command line never computes answers itself; it parses, calls
 * the library and prints.  On bad usage or bad input it prints exactly one
 * line on stderr ("fmsolve: ..." or "FILE:LINE: ...") and exits with
 * FMS_EXIT_USAGE, having written nothing on stdout.
 */
#ifndef FMS_CLI_H
#define FMS_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fmsolve.h"

/* Exit statuses of the fmsolve command (see README, "Exit status"). */
typedef enum fms_exit {
    FMS_EXIT_OK = 0,     /* done; for `check`, every answer correct */
    FMS_EXIT_WRONG = 1,  /* `check` graded the sheet and something is wrong or missing */
    FMS_EXIT_USAGE = 2   /* bad usage or bad input: one line on stderr, nothing on stdout */
} fms_exit;

/* Options every command takes. */
typedef struct cli_common {
    const char *exercises;   /* --exercises FILE, or NULL for the built-in set */
    fms_format format;       /* --format (text by default) */
    int format_given;
} cli_common;

/* A subcommand: argv[0] is the command's name, the rest its arguments. */
typedef int (*cli_command_fn)(int argc, char **argv);

/* Prints "fmsolve: MESSAGE" on stderr; returns FMS_EXIT_USAGE. */
int cli_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* The message for getopt's ':' (an option without its value) or '?' (an
 * unknown option) in command cmd; reads argv[optind - 1].  Returns
 * FMS_EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv);

/* Prints an fms_error as one line: "FILE:LINE: msg", "FILE: msg" or
 * "fmsolve: msg"; returns FMS_EXIT_USAGE. */
int cli_fail_error(const fms_error *err);

/* Parses an option's value as a finite number; on failure prints
 * "fmsolve: OPTION: 'VALUE' is not a number" and returns 0. */
int cli_number(const char *option, const char *value, double *out);

/* Like cli_number into a long double (the engine's extended-precision input). */
int cli_number_l(const char *option, const char *value, long double *out);

/* Parses an option's value as a whole number in [lo, hi]; on failure prints a
 * message that names the option, the value and the range, and returns 0. */
int cli_count(const char *option, const char *value, long long lo, long long hi, long long *out);

/* Loads the exercise set (the built-in one when path is NULL); on failure
 * prints the error and returns 0. */
int cli_load_set(const char *path, fms_exset **set);

/* Writes the buffer to stdout; returns FMS_EXIT_OK, or FMS_EXIT_USAGE with a
 * message when the buffer ran out of memory or stdout fails. */
int cli_emit(const fms_strbuf *out);

/* A progress bar on stderr, drawn only when stderr is a terminal and the
 * user did not ask for --quiet. */
typedef struct cli_progress {
    int on, shown;
    const char *label;
} cli_progress;
void cli_progress_init(cli_progress *p, const char *label, int quiet);
/* An fms_progress_fn: ctx is a cli_progress. */
void cli_progress_update(void *ctx, double done);
/* Erases the bar. */
void cli_progress_end(cli_progress *p);

/* Parses --seed's value, a whole number 0 to 2^63 - 1; on failure prints a
 * message and returns 0. */
int cli_seed(const char *value, uint64_t *out);

/* Writes root (which it releases) to stdout as indented JSON with 17-digit
 * reals; returns the exit status as cli_emit. */
int cli_emit_json(json_t *root);

/* A JSON number, or null when x is NaN or infinite. */
json_t *cli_json_num(double x);

/* The subcommands. */
int cli_query(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_plot(int argc, char **argv);
int cli_simulate(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_sample(int argc, char **argv);

#endif /* FMS_CLI_H */

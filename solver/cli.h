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

#include <stdio.h>

#include "fmsolve.h"

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

/* The subcommands. */
int cli_query(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_plot(int argc, char **argv);

#endif /* FMS_CLI_H */

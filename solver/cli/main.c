/* main.c — the fmsolve command: finds the subcommand and hands it the arguments.
 *
 *   fmsolve ID [ID ...]       worked answers (ID is an exercise, 1.3, or a part, 1.3c)
 *   fmsolve --all             every exercise in order
 *   fmsolve COMMAND ...       one of the table below; see cli_usage() and the manual, docs/fmsolve.1
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

typedef struct command {
    const char *name;       /* the word; NULL for the worked answers, the default */
    cli_command_fn run;
    const char *synopsis;   /* what follows "fmsolve " in the usage */
    const char *summary;    /* one line */
} command;

static const command commands[] = {
    { NULL, cmd_answers, "[OPTIONS] ID [ID ...]", "worked answer to exercises or parts (1.3, 1.3c)" },
    { NULL, cmd_answers, "[OPTIONS] --all", "every exercise in order" },
    { "list", cmd_list, "list [OPTIONS]", "the exercise ids and their first line" },
    { "key", cmd_key, "key [OPTIONS]", "the answer key, one 'ID = VALUE' line per answer" },
    { "query", cmd_query, "query --data LABEL=VALUE[:PROB],... [--schedule S] --t T --x X [--json]",
      "the posterior and velocity at one point" },
    { "convert", cmd_convert, "convert --from P --to Q [--schedule S] --t T --x X --value Y",
      "a model's output in another parameterization" },
    { "check", cmd_check, "check SHEET [--json | --format text|json|gradescope]",
      "grade an answer sheet ('ID = ANSWER' lines)" },
    { "plot", cmd_plot, "plot field|posterior|samples [--out FILE] [--size WxH] ...",
      "figures as PNG, SVG or PDF (plot --help)" },
    { "simulate", cmd_simulate, "simulate ID [--samples N] [--seed S] [--window H] [--json]",
      "run the training loop, keep samples near ID" },
    { "train", cmd_train, "train [--steps N] [--seed S] [--json]", "fit u_theta by L6 and compare with the exact v" },
    { "sample", cmd_sample,
      "sample [--particles N] [--steps K] [--model velocity|epsilon|x1|score|v]\n"
      "                      [--seed S] [--reference] [--json]",
      "Euler-sample the exact flow" },
    { "variant", cmd_variant,
      "variant --seed S | --secret-file K --student ID\n"
      "                      | --roster CSV --secret-file K --out DIR [--with-answers]",
      "a template drawn per seed or per student" },
    { "grade", cmd_grade, "grade SUBMISSIONS --roster CSV --csv FILE [--secret-file K]\n"
      "                      [--feedback DIR]",
      "grade a class, each on their own variant" },
    { "autograder", cmd_autograder, "autograder --out ZIP [--secret-file K]",
      "a Gradescope autograder archive" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The synopses stand in a column of this width; a summary follows on the same
 * line when the synopsis leaves room, else on the next. */
#define SYNOPSIS_WIDTH 25

static const char options_text[] =
    "\n"
    "Options:\n"
    "  -e, --exercises FILE   read the exercise set from FILE (default: the built-in\n"
    "                         Discussion 11 sheet, exercises/discussion11.ini)\n"
    "  -f, --format FORMAT    text (default), markdown, json or latex\n"
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n"
    "\n"
    "Exit status: 0 done; 1 'check' found wrong answers; 2 bad usage or bad input.\n";

void cli_usage(FILE *f)
{
    for (size_t k = 0; k < NCOMMANDS; k++) {
        const command *c = &commands[k];
        fprintf(f, "%s fmsolve %s", k == 0 ? "Usage:" : "      ", c->synopsis);
        if (strlen(c->synopsis) <= SYNOPSIS_WIDTH)
            fprintf(f, "%*s%s\n", (int)(SYNOPSIS_WIDTH + 1 - strlen(c->synopsis)), "", c->summary);
        else
            fprintf(f, "\n%*s%s\n", (int)strlen("Usage: fmsolve ") + SYNOPSIS_WIDTH + 1, "", c->summary);
    }
    fputs(options_text, f);
}

/* The options of the worked answers that take a value (their value is not a word). */
static int takes_value(const char *a)
{
    return strcmp(a, "-e") == 0 || strcmp(a, "--exercises") == 0 || strcmp(a, "-f") == 0 ||
           strcmp(a, "--format") == 0;
}

/* Ctrl-C: the first asks the library to stop (base/cancel.h: the long runs
 * poll it and return FMS_EINTR, and the command exits 130 having written
 * nothing); a second stops at once, removing any temporary output file. */
static void on_sigint(int sig)
{
    (void)sig;
    static volatile sig_atomic_t count;
    if (count++ == 0) {
        fms_cancel_request();
        return;
    }
    static const char msg[] = "\nfmsolve: interrupted\n";
    fms_ofile_discard_all_signal();
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(FMS_EXIT_INTERRUPTED);
}

/* SIGTERM, SIGHUP: remove any temporary output file, then die of the signal. */
static void on_fatal(int sig)
{
    fms_ofile_discard_all_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_signals(void)
{
    static const int fatal[] = { SIGTERM, SIGHUP };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_fatal;
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
}

/* Finds the subcommand and runs it. */
static int run(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--limits") == 0)
        return cli_limits_print();
    /* A subcommand may come after global options: the first word that is not
     * an option or an option's value names it. */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (a[0] == '-' && a[1] != '\0') {
            i += takes_value(a);
            continue;
        }
        for (size_t k = 0; k < NCOMMANDS; k++) {
            if (commands[k].name && strcmp(a, commands[k].name) == 0) {
                /* Move the command word to the front: argv = {name, other args...}. */
                char *word = argv[i];
                memmove(&argv[2], &argv[1], (size_t)(i - 1) * sizeof *argv);
                argv[1] = word;
                return commands[k].run(argc - 1, argv + 1);
            }
        }
        break;
    }
    return cmd_answers(argc, argv);
}

int main(int argc, char **argv)
{
    catch_signals();
    return cli_finish(run(argc, argv));
}

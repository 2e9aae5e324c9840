/* teach.c — the inputs the teaching commands (variant, grade, autograder)
 * share: the exercise template, the course secret, the roster (see cli.h). */
#include "cli/cli.h"

int cli_template_load(const char *path, fms_variant **out)
{
    fms_error err;
    fms_error_clear(&err);
    fms_status st = path ? fms_variant_load_file(path, out, &err) : fms_variant_load_builtin(out, &err);
    return st == FMS_OK ? CLI_GO_ON : cli_fail_error(&err);
}

int cli_secret_load(const char *path, fms_secret *out)
{
    fms_error err;
    fms_error_clear(&err);
    return fms_keyedhash_read_secret(path, out, &err) == FMS_OK ? CLI_GO_ON : cli_fail_error(&err);
}

int cli_roster_load(const char *path, const char *column, fms_roster **out)
{
    fms_error err;
    fms_error_clear(&err);
    return fms_roster_load(path, column, out, &err) == FMS_OK ? CLI_GO_ON : cli_fail_error(&err);
}

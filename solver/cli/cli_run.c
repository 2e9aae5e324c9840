/* cli_run.c — what the commands share from loading the exercise set to
 * writing the result: the set, the progress bar, text or JSON, or the error
 * (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_emit(const fms_strbuf *out)
{
    if (fms_strbuf_status(out) != FMS_OK)
        return cli_fail("out of memory while writing the output");
    const char *s = fms_strbuf_str(out);
    size_t n = strlen(s);
    if (fwrite(s, 1, n, stdout) != n || fflush(stdout) != 0)
        return cli_fail("cannot write the output: %s", strerror(errno));
    return FMS_EXIT_OK;
}

int cli_emit_json(json_t *root)
{
    fms_strbuf out = { 0 };
    int rc = fms_json_append(&out, root, NULL) == FMS_OK ? cli_emit(&out)
                                                          : cli_fail("out of memory while writing the JSON output");
    fms_strbuf_free(&out);
    return rc;
}

int cli_run_begin(cli_run *r, const char *label, fms_progress_fn *fn, void **ctx)
{
    fms_error_clear(&r->err);
    r->set = NULL;
    r->result = NULL;
    r->bar.on = 0;
    fms_status st = r->exercises ? fms_exset_load_file(r->exercises, &r->set, &r->err)
                                 : fms_exset_load_builtin(&r->set, &r->err);
    if (st != FMS_OK)
        return cli_fail_error(&r->err);
    fms_error_clear(&r->err);
    if (label)
        cli_progress_start(&r->bar, label, r->quiet, fn, ctx);
    return CLI_GO_ON;
}

int cli_run_start(cli_run *r, const char *cmd, const cli_opt *opts, size_t n, int argc, char **argv,
                  fms_progress_fn *fn, void **ctx)
{
    int rc = cli_options_parse(cmd, opts, n, 0, argc, argv);
    return rc == CLI_GO_ON ? cli_run_begin(r, cmd, fn, ctx) : rc;
}

int cli_run_end(cli_run *r, fms_status st)
{
    int rc;
    cli_progress_end(&r->bar);
    if (st != FMS_OK)
        rc = cli_fail_error(&r->err);
    else if (r->result)
        rc = cli_emit_json(r->result);
    else
        rc = cli_emit(&r->text);
    if (st != FMS_OK)
        json_decref(r->result);
    r->result = NULL;
    fms_strbuf_free(&r->text);
    fms_exset_free(r->set);
    r->set = NULL;
    return rc;
}

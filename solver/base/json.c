/* json.c — see json.h. */
#include "base/json.h"

#include <math.h>
#include <stdlib.h>

/* The project's one set of dump flags (see json.h). */
#define FMS_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY)

char *fms_json_text(const json_t *v)
{
    return v ? json_dumps(v, FMS_JSON_FLAGS) : NULL;
}

fms_status fms_json_append(fms_strbuf *out, json_t *v, fms_error *err)
{
    if (v == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory while building JSON");
    char *s = fms_json_text(v);
    json_decref(v);
    if (s == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory while writing JSON");
    fms_strbuf_puts(out, s);
    fms_strbuf_puts(out, "\n");
    free(s);
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

json_t *fms_json_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *fms_json_points(double p)
{
    double r = round(p * 1e6) / 1e6;
    return r == floor(r) && fabs(r) < 1e15 ? json_integer((json_int_t)r) : json_real(r);
}

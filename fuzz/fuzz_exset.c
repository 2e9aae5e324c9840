/* fuzz_exset.c — libFuzzer harness of the exercise-set loader and everything
 * that consumes a loaded set: the answer key and the worked answers in all
 * four formats.  An input either fails to load with an error, or loads and
 * renders; nothing may crash, hang or read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "fmsolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    if (fms_exset_load_string("fuzz", (const char *)data, size, &set, &err) != FMS_OK)
        return 0;
    fms_key *key = NULL;
    if (fms_key_build(set, &key, &err) == FMS_OK) {
        static const fms_format formats[] = { FMS_FORMAT_TEXT, FMS_FORMAT_MARKDOWN, FMS_FORMAT_JSON, FMS_FORMAT_LATEX };
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
            fms_strbuf out = { 0 };
            fms_render_all(set, key, formats[i], &out, &err);
            fms_render_key(key, &out, &err);
            fms_render_list(set, &out, &err);
            fms_strbuf_free(&out);
        }
        fms_key_free(key);
    }
    fms_exset_free(set);
    return 0;
}

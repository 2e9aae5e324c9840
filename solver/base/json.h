/* json.h — the one way fmsolve writes JSON (with jansson).
 *
 * Contract: every JSON document the program prints is dumped here, with one
 * set of jansson flags: indent 2, object keys in insertion order, reals with
 * 17 significant digits (so that every double reads back to the same value),
 * any value (not only objects and arrays) allowed at the top.  Non-ASCII text
 * is written as UTF-8, not escaped.  A number that is not finite has no JSON
 * form: fms_json_num writes it as null.
 */
#ifndef FMS_JSON_H
#define FMS_JSON_H

#include <jansson.h>

#include "base/status.h"
#include "base/strbuf.h"

/* The text of v with the flags above, without a trailing newline, in a
 * malloc'ed string the caller frees; NULL when v is NULL or memory runs out.
 * v is not consumed. */
char *fms_json_text(const json_t *v);

/* Appends the text of v and a newline to out, and releases v (the reference
 * is stolen, as by jansson's *_new functions; v may be NULL, which counts as
 * a failed allocation while building it).  Returns FMS_OK, or FMS_ENOMEM
 * with a message in err. */
fms_status fms_json_append(fms_strbuf *out, json_t *v, fms_error *err);

/* The value at position i of a streamed array (NULL when memory runs out). */
typedef json_t *(*fms_json_make_fn)(size_t i, void *ctx);

/* Appends the text of root as fms_json_append does, where root is an object
 * whose member key (ASCII, no escapes) is an empty array standing for the n
 * values make(0, ctx) … make(n − 1, ctx): each is made, written and released
 * in turn, so that a large array never exists as a tree (10^5 items of a
 * report would take a gigabyte).  The text is byte for byte that of root with
 * the array filled.  Steals root.  Errors: FMS_ENOMEM; FMS_EINVAL when root
 * has no such member. */
fms_status fms_json_append_streamed(fms_strbuf *out, json_t *root, const char *key, size_t n, fms_json_make_fn make,
                                    void *ctx, fms_error *err);

/* x as a JSON real, or null when x is NaN or infinite.  NULL only when
 * memory runs out (jansson's *_set_new functions then fail cleanly). */
json_t *fms_json_num(double x);

/* A score in points: an integer when p is whole to 6 decimals (30, not
 * 30.0), else p rounded to 6 decimals as a real.  NULL only when memory runs out. */
json_t *fms_json_points(double p);

#endif /* FMS_JSON_H */

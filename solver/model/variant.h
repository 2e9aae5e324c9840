/* variant.h — exercise templates: an exercise file whose numbers may be
 * choices or ranges, drawn per seed into a concrete exercise file.
 *
 * Syntax (in any value that is not free text; title, text and the part
 * questions a, b, ... are free text):
 *
 *   {C1, C2, ..., Cm}      one of the m numbers, each written as the file
 *                          writes numbers (0.5, -1, 2.5e-3); drawn as typed
 *   [LO : STEP : HI]       one of LO, LO + STEP, LO + 2·STEP, ... up to HI
 *                          (plain decimals, no exponent, STEP > 0, HI ≥ LO,
 *                          at most 18 digits once aligned); computed in
 *                          decimal and written as the shortest decimal
 *                          ("[-1 : 0.25 : 1]" gives -1, -0.75, ..., 0, ..., 1)
 *   ${KEY}, ${SECTION:KEY} the concrete value of KEY in this section or in
 *                          [SECTION] (a data point's key is its label, its
 *                          value "VALUE, PROB" as written; references may
 *                          chain up to 8 deep, never in a cycle).  In free
 *                          text a negative value is written with U+2212
 *                          ("−0.35"), as the worked answers write it.
 *   keep = PRED, PRED ...  (point exercises) what every variant of this
 *                          section must satisfy; PRED is one of
 *                            identifies(E)  the runner-up's posterior share is below E (0 < E < 1)
 *                            mixed(E)       every data point's share is at least E
 *                            t0             t = 0 (the posterior is the prior)
 *                            prior          the posterior equals the prior (to 1e-12 in log)
 *                            toward(LABEL)  LABEL has the largest share
 *                            v_above(X)     the limit v is above X
 *                            v_below(X)     the limit v is below X
 *                          and "!PRED" is its negation.
 *
 * The generator (fixed: a file and a seed give the same variant on every
 * machine and in every later version):
 *
 *   mix(z)   = SplitMix64's output function: z += 0x9E3779B97F4A7C15;
 *              z = (z ^ z>>30)·0xBF58476D1CE4E5B9; z = (z ^ z>>27)·0x94D049BB133111EB;
 *              z ^ z>>31   (all mod 2^64)
 *   index    = mix(mix(mix(mix(S) ^ i) ^ k) ^ n) mod m
 *
 * for seed S, section i (the 0-based index of its [header] in the file,
 * [set] and [data] included), slot k (the 0-based index of the choice or
 * range within its section, in file order), try n and m values; the value
 * is the index-th choice (0-based) or LO + index·STEP.  All sections start at
 * try 0; after each round every section whose keep fails moves to its next
 * try (only its own slots are drawn again), until every keep holds.  A
 * section that still fails after FMS_VARIANT_MAX_TRIES tries, or fails with
 * nothing of its own to redraw, is an error.  The keep predicates are
 * computed by the engine in floating point; the draws themselves use no
 * floating point at all.
 *
 * The concrete file is the template line for line: each choice or range
 * replaced by the drawn number's text, each reference by its value, each
 * keep line turned into a comment ("; keep = ..."), CRLF line ends made LF
 * and a byte-order mark dropped.  Line numbers therefore agree, and an error
 * in a variant names the template's line.
 *
 * Contract: fms_variant_parse checks the syntax above (errors: FMS_EINVAL
 * with the line, FMS_ENOMEM); fms_variant_draw either returns a set that
 * loaded and satisfies every keep, or an error naming the template's line.
 */
#ifndef FMS_VARIANT_H
#define FMS_VARIANT_H

#include <stddef.h>
#include <stdint.h>

#include "model/exset.h"
#include "base/status.h"
#include "base/strbuf.h"

#define FMS_VARIANT_MAX_TRIES 1000
#define FMS_VARIANT_MAX_SLOTS 10000
#define FMS_VARIANT_MAX_CHOICES 10000
#define FMS_VARIANT_MAX_PREDS 8

typedef struct fms_variant fms_variant;

/* Parses len bytes of template text; name is used in messages (and as the
 * drawn sets' source).  On success *out must be released with
 * fms_variant_free. */
fms_status fms_variant_parse(const char *name, const char *text, size_t len, fms_variant **out, fms_error *err);

/* Reads and parses the template at path (at most FMS_EXSET_MAX_BYTES). */
fms_status fms_variant_load_file(const char *path, fms_variant **out, fms_error *err);

/* The built-in sheet as a template (it has no choices: every seed gives it back). */
fms_status fms_variant_load_builtin(fms_variant **out, fms_error *err);

/* Releases a template; NULL is allowed. */
void fms_variant_free(fms_variant *v);

/* The number of choices and ranges in the template (0: every seed gives
 * the file itself). */
size_t fms_variant_nslots(const fms_variant *v);

/* The generator's index for (seed, section, slot, try) among m values (m ≥ 1). */
uint64_t fms_variant_index(uint64_t seed, uint64_t section, uint64_t slot, uint64_t attempt, uint64_t m);

/* Draws the variant for seed: its text is appended to text (when not NULL)
 * and its set, loaded and checked, stored in *set (when not NULL; release
 * with fms_exset_free).  Errors: those of fms_exset_load_string on the drawn
 * text (line numbers are the template's), FMS_EINVAL when a keep cannot be
 * satisfied (its line), engine errors, FMS_ENOMEM. */
fms_status fms_variant_draw(const fms_variant *v, uint64_t seed, fms_strbuf *text, fms_exset **set,
                            fms_error *err);

#endif /* FMS_VARIANT_H */

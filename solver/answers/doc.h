/* doc.h — a worked answer as a document tree: exercise → parts → blocks.
 *
 * Blocks are a part's question, its steps, displayed equations, claims (a
 * qualitative sentence chosen by a named predicate, claims.h) and the result
 * line.  A block is a list of runs: prose, a formula (math.h) or a data label
 * (always marked as a label).  Every format (render_text.c, render_md.c,
 * render_latex.c, render_json.c) writes the same tree, so no two formats can
 * disagree about a word or a digit.
 *
 * Blocks are written with fms_doc_add(part, kind, level, fmt, ...): prose in
 * which $...$ is a formula in math.h's syntax (with its %n, %l, %m
 * arguments), %l is a label, %s a piece of prose and %% a percent sign.
 * level 1 makes a sub-step of the block before (a nested list).
 * Contract: the document owns every node and string (one pool, freed by
 * fms_doc_free).  A malformed formula or an allocation failure sets
 * doc->failed (with the offending text in doc->why); the renderers then
 * refuse the document.
 */
#ifndef FMS_DOC_H
#define FMS_DOC_H

#include <stddef.h>

#include "answers/claims.h"
#include "answers/math.h"

typedef enum fms_run_kind { FMS_RUN_TEXT, FMS_RUN_MATH, FMS_RUN_LABEL } fms_run_kind;

typedef struct fms_run {
    fms_run_kind kind;
    const char *text; /* TEXT and LABEL */
    fms_math *math;   /* MATH */
} fms_run;

typedef enum fms_block_kind {
    FMS_BLOCK_QUESTION, FMS_BLOCK_STEP, FMS_BLOCK_EQUATION, FMS_BLOCK_CLAIM, FMS_BLOCK_RESULT
} fms_block_kind;

#define FMS_BLOCK_MAX_CLAIMS 4

typedef struct fms_block {
    fms_block_kind kind;
    int level;            /* 0, or 1 for a sub-step of the block before */
    size_t nruns;
    fms_run *runs;
    size_t nclaims;       /* the predicates whose sentences the block prints */
    fms_claim claims[FMS_BLOCK_MAX_CLAIMS];
    struct fms_block *next;
} fms_block;

typedef struct fms_doc_part {
    char id[48];          /* "1.3a", or the exercise's id for a one-part exercise */
    const char *kind;     /* "eps", "target", "share", "limit", "compare", ... */
    int letter;           /* 'a' + index, or 0 when the exercise has no lettered parts */
    int key_part;         /* the key's part index for these answers (-1: the exercise's) */
    fms_block *first, *last;
    struct fms_doc_part *next;
} fms_doc_part;

typedef struct fms_doc {
    fms_math_pool pool;
    size_t ex;            /* the exercise's index in its set */
    const char *id, *kind, *text, *heading; /* heading: the lead-in when the sheet gives no text */
    fms_doc_part *first, *last;
    int failed;
    char why[128];
} fms_doc;

/* Starts a part (question may be NULL). */
fms_doc_part *fms_doc_part_new(fms_doc *d, const char *id, const char *kind, int letter, int key_part,
                               const char *question);

/* Appends a block built from fmt (see the header); returns it (NULL on failure). */
fms_block *fms_doc_add(fms_doc *d, fms_doc_part *p, fms_block_kind kind, int level, const char *fmt, ...);

/* Appends a claim block: the predicate's sentence (fmt as fms_doc_add) and its record. */
fms_block *fms_doc_claim(fms_doc *d, fms_doc_part *p, const fms_claim *claim, const char *fmt, ...);

/* Records one more claim that block b's words rest on (b may be NULL). */
void fms_doc_note(fms_doc *d, fms_block *b, const fms_claim *claim);

/* Appends runs to an existing block (for lists built in a loop). */
void fms_doc_append(fms_doc *d, fms_block *b, const char *fmt, ...);

/* Copies s into the document's pool. */
const char *fms_doc_strdup(fms_doc *d, const char *s);

void fms_doc_free(fms_doc *d);

#endif /* FMS_DOC_H */

/* fmsolve.h — the one public header of the fmsolve library.
 *
 * fmsolve solves flow-matching exercise sheets exactly: a closed-form
 * posterior over the data points and the marginal velocity E[x1 − ε | x_t, t]
 * (engine.h), exercise sheets read from INI files (exset.h), the answer key
 * (key.h) and worked answers (render.h).  Every function returns an
 * fms_status (0 = success) and never prints, aborts or exits.
 */
#ifndef FMSOLVE_H
#define FMSOLVE_H

#include "status.h"
#include "numfmt.h"
#include "strbuf.h"
#include "data.h"
#include "engine.h"
#include "exset.h"
#include "key.h"
#include "render.h"
#include "expr.h"
#include "sheet.h"
#include "grade.h"
#include "report.h"
#include "plot.h"
#include "stream.h"
#include "kernel.h"
#include "sampler.h"
#include "simulate.h"
#include "train.h"

#define FMS_VERSION_STRING "0.1.0"

/* Exit statuses of the fmsolve command (see README, "Exit status"). */
typedef enum fms_exit {
    FMS_EXIT_OK = 0,     /* done; for `check`, every answer correct */
    FMS_EXIT_WRONG = 1,  /* `check` graded the sheet and something is wrong or missing */
    FMS_EXIT_USAGE = 2   /* bad usage or bad input: one line on stderr, nothing on stdout */
} fms_exit;

#endif /* FMSOLVE_H */

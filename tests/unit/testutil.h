/* testutil.h — helpers shared by the Check suites.
 *
 * fms_close(got, want, rel, abs) is true when got and want agree within a
 * relative tolerance rel (scaled by the larger magnitude) or an absolute
 * tolerance abs, with the special values handled on purpose: NaN equals only
 * NaN, an infinity only the same infinity, and 0 is compared absolutely (a
 * relative tolerance around 0 would accept nothing or everything).
 */
#ifndef FMS_TESTUTIL_H
#define FMS_TESTUTIL_H

#include <check.h>
#include <float.h>

int fms_close(double got, double want, double rel, double abs);

/* Asserts closeness and prints both values with 17 digits when it fails. */
#define ck_assert_close(got, want, rel, abs)                                              \
    do {                                                                                  \
        double g_ = (got), w_ = (want);                                                   \
        ck_assert_msg(fms_close(g_, w_, (rel), (abs)), "%s = %.17g, expected %.17g (%s)", \
                      #got, g_, w_, #want);                                               \
    } while (0)

/* Tolerance tiers, as GSL's specfunc/test_sf.h names its TEST_TOL0..6.
 * Relative unless marked "absolute"; pick the tightest tier a result meets
 * and never move a test to a looser tier without saying why beside it. */

/* The same double: exact arithmetic, a copied or a parsed value. */
#define TOL_EXACT 0.0
/* n roundings in double precision, as GSL's tests write them. */
#define TOL(n) ((n) * DBL_EPSILON)
/* One rounding on each side of a comparison. */
#define TOL_ULP TOL(2)
/* Absolute: a result that is 0 in exact arithmetic, from inputs of order 1. */
#define TOL_ZERO 1e-16
/* A closed form against the engine, or a value written and read back: a few roundings. */
#define TOL_TIGHT 1e-15
/* A chain of some dozens of roundings (key items against their formulas). */
#define TOL_CLOSE 1e-14
/* The same value by another route: through its logarithm, by the vectorised
 * kernel (fast-math exp), from a mantissa and a power of ten. */
#define TOL_ROUTE 1e-13
/* An ill-conditioned result (t near 1, weights near 0 or 1) against an
 * extended-precision or closed-form reference. */
#define TOL_COND 1e-12
/* Adaptive quadrature (GSL's QAG) at the accuracy the library asks of it. */
#define TOL_QUAD 1e-9
/* Absolute: forgives only a result that underflowed. */
#define TOL_UNDERFLOW 1e-300
/* Absolute, Monte Carlo: a sample mean of order-1 values against its exact
 * value, several standard errors at the sizes the suites run. */
#define TOL_STAT 0.03
/* A fitted model (train) against the exact velocity, at the suites' training sizes. */
#define TOL_FIT 0.05

struct fms_exset;
struct fms_key;

/* Loads the built-in exercise set and builds its key, failing the case on
 * any error: the fixture of the suites that grade or render the seed sheet. */
void fms_test_load_builtin(struct fms_exset **set, struct fms_key **key);

/* Releases what fms_test_load_builtin made. */
void fms_test_free_builtin(struct fms_exset *set, struct fms_key *key);

/* Runs one suite and returns the process exit status. */
int fms_run_suite(Suite *s);

/* Reads a whole file from the source tree (FMS_SRCDIR/rel) into a malloc'd string. */
char *fms_read_source(const char *rel, size_t *len);

#endif

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

/* Tolerances as multiples of the machine epsilon, as GSL's tests write them. */
#define TOL(n) ((n) * DBL_EPSILON)

/* Runs one suite and returns the process exit status. */
int fms_run_suite(Suite *s);

/* Reads a whole file from the source tree (FMS_SRCDIR/rel) into a malloc'd string. */
char *fms_read_source(const char *rel, size_t *len);

#endif

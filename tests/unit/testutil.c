/* testutil.c — see testutil.h. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmsolve.h"

void fms_test_load_builtin(fms_exset **set, fms_key **key)
{
    ck_assert_int_eq(fms_exset_load_builtin(set, NULL), FMS_OK);
    ck_assert_int_eq(fms_key_build(*set, key, NULL), FMS_OK);
}

void fms_test_free_builtin(fms_exset *set, fms_key *key)
{
    fms_key_free(key);
    fms_exset_free(set);
}

int fms_close(double got, double want, double rel, double abs)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    if (isinf(want) || isinf(got))
        return got == want;
    double diff = fabs(got - want);
    if (diff <= abs)
        return 1;
    double mag = fmax(fabs(got), fabs(want));
    return mag > 0.0 && diff <= rel * mag;
}

int fms_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

char *fms_read_source(const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", FMS_SRCDIR, rel);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

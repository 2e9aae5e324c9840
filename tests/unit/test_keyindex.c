/* test_keyindex.c — finding key items by id and by part (model/keyindex.h). */
#include <string.h>
#include <strings.h>

#include "fmsolve.h"
#include "testutil.h"

static const char variant[] =
    "[data]\nA = 0.5, 0.3\nb = -0.5, 0.3\nB = 1.5, 0.4\n"
    "[1.1]\nt = 0.3\nx_t = 0.5\nparts = eps, share, limit\n"
    "[1.2]\nt = 0.8\nx_t = 1\nparts = share, target\n"
    "[1.4]\ncompare = 1.1, 1.2\n[2.1]\nkind = eps_to_velocity\n";

/* What a scan of the items finds, to compare the index with. */
static long scan(const fms_key *key, const char *id, int nocase)
{
    for (size_t i = 0; i < key->n; i++)
        if (strcmp(key->items[i].id, id) == 0)
            return (long)i;
    for (size_t i = 0; nocase && i < key->n; i++)
        if (strcasecmp(key->items[i].id, id) == 0)
            return (long)i;
    return -1;
}

START_TEST(by_id_as_a_scan)
{
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_string("v.ini", variant, strlen(variant), &set, NULL), FMS_OK);
    fms_key *key = NULL;
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    for (size_t i = 0; i < key->n; i++) {
        const char *id = key->items[i].id;
        ck_assert_int_eq(fms_keyindex_find(key, id), (long)i);
        ck_assert_ptr_eq(fms_key_find(key, id), &key->items[i]);
        char upper[FMS_KEY_ID_MAX];
        strcpy(upper, id);
        for (char *p = upper; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        ck_assert_int_eq(fms_keyindex_find_nocase(key, upper), scan(key, upper, 1));
        ck_assert_int_eq(fms_keyindex_find(key, upper), scan(key, upper, 0));
    }
    ck_assert_int_eq(fms_keyindex_find_nocase(key, "1.1b.b"), scan(key, "1.1b.b", 1));
    ck_assert_int_eq(fms_keyindex_find_nocase(key, "1.1B.b"), scan(key, "1.1B.b", 1));
    ck_assert_int_eq(fms_keyindex_find(key, "1.9a.A"), -1);
    ck_assert_ptr_null(fms_key_find(key, "1.1"));
    fms_key_free(key);
    fms_exset_free(set);
}
END_TEST

START_TEST(by_part_as_a_scan)
{
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_string("v.ini", variant, strlen(variant), &set, NULL), FMS_OK);
    fms_key *key = NULL;
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    for (size_t ex = 0; ex <= set->n; ex++) {
        for (int part = -1; part < FMS_MAX_PARTS; part++) {
            size_t begin, end, count = 0;
            fms_keyindex_part(key, ex, part, &begin, &end);
            for (size_t i = 0; i < key->n; i++) {
                if (key->items[i].exercise == ex && key->items[i].part == part) {
                    ck_assert(i >= begin && i < end);
                    count++;
                }
            }
            ck_assert_uint_eq(end - begin, count);
        }
    }
    fms_key_free(key);
    fms_exset_free(set);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("keyindex");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, by_id_as_a_scan);
    tcase_add_test(tc, by_part_as_a_scan);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

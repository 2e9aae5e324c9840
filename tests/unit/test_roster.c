/* test_roster.c — class rosters as CSV (roster.h). */
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_roster *parse(const char *text, const char *column)
{
    fms_roster *r = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_roster_parse("r.csv", text, strlen(text), column, &r, &err) == FMS_OK, "line %ld: %s", err.line,
                  err.msg);
    return r;
}

START_TEST(rfc4180_fields)
{
    const char text[] = "\xEF\xBB\xBF" "name, ID ,email\r\n"
                        "\"Lovelace, Ada\",ada,ada@example.org\r\n"
                        "\"Bob \"\"the\"\" Builder\",  bob  ,\"multi\r\nline\"\r\n"
                        "\r\n"
                        "Zoë,\"z,o\",\n"
                        "Cy,cy";
    fms_roster *r = parse(text, NULL);
    ck_assert_uint_eq(r->n, 4);
    ck_assert_str_eq(r->entries[0].id, "ada");
    ck_assert_int_eq(r->entries[0].line, 2);
    ck_assert_str_eq(r->entries[1].id, "bob");
    ck_assert_int_eq(r->entries[1].line, 3);
    ck_assert_str_eq(r->entries[2].id, "z,o");
    ck_assert_int_eq(r->entries[2].line, 6); /* the quoted line end counts */
    ck_assert_str_eq(r->entries[3].id, "cy");
    ck_assert_int_eq(fms_roster_find(r, "bob", 3), 1);
    ck_assert_int_eq(fms_roster_find(r, "bobby", 3), 1); /* the first 3 bytes */
    ck_assert_int_eq(fms_roster_find(r, "bo", 2), -1);
    ck_assert_int_eq(fms_roster_find(r, "z,o", 3), 2);
    fms_roster_free(r);
    r = parse("sid,id\n7,x\n8,y\n", "sid");
    ck_assert_str_eq(r->entries[1].id, "8");
    fms_roster_free(r);
}
END_TEST

START_TEST(bad_rosters_name_their_line)
{
    static const struct {
        const char *text;
        long line;
        const char *msg;
    } cases[] = {
        { "name\nada\n", 1, "no 'id' column" },
        { "", 0, "the roster is empty" },
        { "id\nada\nbob\nada\n", 4, "id 'ada' appears twice (first at line 2)" },
        { "id\nAda\nada\n", 3, "only in case" },
        { "id,name\nada,A\n,B\n", 3, "the id is empty" },
        { "id,name\nada,A\n  ,B\n", 3, "the id is empty" },
        { "name,id\nA,ada\nB\n", 3, "has no 'id' field" },
        { "id\n../etc\n", 2, "may not start with '.'" },
        { "id\na/b\n", 2, "'/'" },
        { "id\n\"a\tb\"\n", 2, "control character" },
        { "id\n\"ada\n", 2, "not closed" },
        { "id\n\"ada\"x\n", 2, "after a quoted field" },
        { "id\nad\"a\n", 2, "inside a field" },
        { "id\n\xC3\x28\n", 0, "not valid UTF-8" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fms_roster *r = NULL;
        fms_error err;
        fms_error_clear(&err);
        fms_status st = fms_roster_parse("r.csv", cases[i].text, strlen(cases[i].text), NULL, &r, &err);
        ck_assert_msg(st == FMS_EINVAL, "case %zu parsed", i);
        ck_assert_msg(err.line == cases[i].line, "case %zu: line %ld (%s)", i, err.line, err.msg);
        ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL, "case %zu: %s", i, err.msg);
        ck_assert_str_eq(err.file, "r.csv");
        ck_assert_ptr_null(r);
    }
    char big[FMS_ROSTER_ID_MAX + 8] = "id\n";
    memset(big + 3, 'x', FMS_ROSTER_ID_MAX);
    big[3 + FMS_ROSTER_ID_MAX] = '\0';
    fms_roster *r = NULL;
    ck_assert_int_eq(fms_roster_parse("r.csv", big, strlen(big), NULL, &r, NULL), FMS_EINVAL);
    const char nul[] = "id\na\0b\n";
    ck_assert_int_eq(fms_roster_parse("r.csv", nul, sizeof nul - 1, NULL, &r, NULL), FMS_EINVAL);
}
END_TEST

START_TEST(many_ids)
{
    fms_strbuf b = { 0 };
    fms_strbuf_puts(&b, "id\n");
    for (int i = 0; i < 5000; i++)
        fms_strbuf_printf(&b, "s%05d\n", (i * 7919) % 5000);
    fms_roster *r = parse(fms_strbuf_str(&b), NULL);
    ck_assert_uint_eq(r->n, 5000);
    for (int i = 0; i < 5000; i += 37) {
        char id[16];
        snprintf(id, sizeof id, "s%05d", i);
        long k = fms_roster_find(r, id, strlen(id));
        ck_assert_int_ge(k, 0);
        ck_assert_str_eq(r->entries[k].id, id);
    }
    fms_roster_free(r);
    fms_strbuf_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("roster");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, rfc4180_fields);
    tcase_add_test(tc, bad_rosters_name_their_line);
    tcase_add_test(tc, many_ids);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}

/*
 * test_subuid.c - the uids psa-spm as root gives partitions (src/spm/priv/ids.c):
 * the reading of /etc/subuid, table-driven, and the refusals of a range
 * that is someone else's or too short.
 */
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "spm.h"

static char path[64];

static void write_file(const char *text)
{
    FILE *f;
    int fd;

    snprintf(path, sizeof(path), "/tmp/partix-subuid-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

struct find_case {
    const char *file;
    uint32_t need;
    int rc;
    uint32_t first;  /* rc 0 */
    const char *why; /* rc -1: a part of the reason */
};

static const struct find_case cases[] = {
    {"partix:100000:65536\n", 14, 0, 100000, NULL},
    {"# a comment\n\nalice:165536:65536\npartix:100000:65536\n", 14, 0, 100000, NULL},
    {"999:200000:100\n", 14, 0, 200000, NULL}, /* by uid (999 below) */
    {"partix:100000:14\n", 14, 0, 100000, NULL},
    {"partix:100000:5\npartix:300000:100\n", 14, 0, 300000, NULL}, /* the first that fits */
    {"partix:100000:10\n", 14, -1, 0, "gives partix 10 subordinate uids, not the 14"},
    {"alice:100000:65536\n", 1, -1, 0, "gives partix no subordinate uids"},
    {"", 1, -1, 0, "no subordinate uids"},
    {"partix:100000:65536\nalice:100010:10\n", 14, -1, 0,
     ":2: alice's range 100010-100019 overlaps partix's 100000-100013"},
    {"alice:99990:11\npartix:100000:65536\n", 14, -1, 0, ":1: alice's range 99990-100000"},
    {"partix:100000:65536\nalice:100014:10\n", 14, 0, 100000, NULL}, /* just past what is used */
    {"partix:abc:10\n", 1, -1, 0, ":1: the line of partix is not NAME:FIRST:COUNT"},
    {"partix:100000\n", 1, -1, 0, "not NAME:FIRST:COUNT"},
    {"partix:4294967290:100\n", 1, -1, 0, "not NAME:FIRST:COUNT"}, /* past the last uid */
    {"partix:100000:0\n", 1, -1, 0, "not NAME:FIRST:COUNT"},
    {"bob:x:y\npartix:100000:20\n", 14, 0, 100000, NULL}, /* others' bad lines: skipped */
    {"partixx:100000:20\n", 1, -1, 0, "no subordinate uids"},
};

static void subid_find_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char why[256] = "";
        uint32_t first = 0;
        int rc;

        write_file(cases[i].file);
        rc = spm_subid_find(path, "partix", 999, cases[i].need, &first, why, sizeof(why));
        unlink(path);
        if (rc != cases[i].rc || (rc == 0 && first != cases[i].first) ||
            (rc < 0 && strstr(why, cases[i].why) == NULL))
            fail_msg("case %zu (%s): rc %d first %u why '%s'", i, cases[i].file, rc,
                     (unsigned)first, why);
    }
}

static void subid_find_no_file(void **state)
{
    char why[256];
    uint32_t first;

    (void)state;
    assert_int_equal(
        spm_subid_find("/nonexistent/subuid", "partix", 999, 1, &first, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "/nonexistent/subuid: No such file"));
}

/* An account of the passwd database that may run partitions: neither
 * root nor nobody. */
static const struct passwd *some_account(char *name, size_t size)
{
    const struct passwd *pw;

    setpwent();
    while ((pw = getpwent()) != NULL && (pw->pw_uid == 0 || pw->pw_uid == 65534))
        ;
    endpwent();
    if (pw == NULL)
        return NULL;
    snprintf(name, size, "%s", pw->pw_name);
    return getpwnam(name);
}

static void resolve(void **state)
{
    struct spm_ids ids;
    char why[512], name[64], file[160];
    const struct passwd *pw = some_account(name, sizeof(name));
    uid_t uid;
    gid_t gid;
    size_t i;

    (void)state;
    if (pw == NULL)
        skip();
    uid = pw->pw_uid;
    gid = pw->pw_gid;

    /* a free range, far above any account */
    snprintf(file, sizeof(file), "%s:3000000000:16\n", name);
    write_file(file);
    assert_int_equal(spm_ids_resolve_from(path, name, 14, &ids, why, sizeof(why)), 0);
    assert_int_equal(ids.router_uid, uid);
    assert_int_equal(ids.router_gid, gid);
    assert_int_equal(ids.part_gid, gid);
    assert_int_equal(ids.n_parts, 14);
    for (i = 0; i < 14; i++)
        assert_int_equal(ids.part_uid[i], 3000000000u + i);
    /* too short for 17 partitions: the fix is named */
    assert_int_equal(spm_ids_resolve_from(path, name, 17, &ids, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "not the 17 it needs"));
    assert_non_null(strstr(why, "sh mk/deps.sh"));
    assert_int_equal(
        spm_ids_resolve_from(path, name, SPM_MAX_PARTITIONS + 1, &ids, why, sizeof(why)), -1);
    unlink(path);

    /* a range holding root's uid, or the account's own */
    snprintf(file, sizeof(file), "%s:0:4\n", name);
    write_file(file);
    assert_int_equal(spm_ids_resolve_from(path, name, 2, &ids, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "uid 0 of"));
    assert_non_null(strstr(why, "is user 'root'"));
    unlink(path);
    snprintf(file, sizeof(file), "%s:%u:4\n", name, (unsigned)uid);
    write_file(file);
    assert_int_equal(spm_ids_resolve_from(path, name, 2, &ids, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "is user '"));
    unlink(path);
    /* nobody's uid */
    snprintf(file, sizeof(file), "%s:65530:10\n", name);
    write_file(file);
    assert_int_equal(spm_ids_resolve_from(path, name, 10, &ids, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "uid 65534 of"));
    unlink(path);

    /* no such account; root; nobody */
    assert_int_equal(
        spm_ids_resolve_from("/nonexistent", "partix-no-such-user", 1, &ids, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "no user 'partix-no-such-user'"));
    assert_non_null(strstr(why, "mk/deps.sh"));
    assert_int_equal(spm_ids_resolve_from("/nonexistent", "root", 1, &ids, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "it is root"));
    if (getpwnam("nobody") != NULL) {
        assert_int_equal(spm_ids_resolve_from("/nonexistent", "nobody", 1, &ids, why, sizeof(why)),
                         -1);
        assert_non_null(strstr(why, "may not run partitions"));
    }
    /* no range at all */
    assert_int_equal(spm_ids_resolve_from("/nonexistent", name, 1, &ids, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "sh mk/deps.sh"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subid_find_table),
        cmocka_unit_test(subid_find_no_file),
        cmocka_unit_test(resolve),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

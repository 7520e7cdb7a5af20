/*
 * test_rot_app.c - issue 5's "done when", end to end: examples/rot_client,
 * an app that includes <psa/crypto.h>, <psa/internal_trusted_storage.h>,
 * <psa/protected_storage.h> and <psa/initial_attestation.h> and links only
 * libpsa-client, run against the real psa-spm with the shipped services:
 *
 *   - it makes a persistent key, signs, stores and reads back data, and
 *     gets a token that psa-attest verifies with the device's key (and not
 *     with another device's);
 *   - after a restart of the daemon the key and the data are still there;
 *   - a second Linux user gets a key and data of its own, and sees none of
 *     the first user's;
 *   - kill -9 of the daemon in a stream of writes loses no acknowledged one.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

static struct fixture fx;
static char top[64], state[128], app[192], attest[192];
static const char *args[] = {"--state-dir", state, NULL};

static int setup(void **st)
{
    (void)st;
    snprintf(top, sizeof(top), "/tmp/partix-rot-XXXXXX");
    if (mkdtemp(top) == NULL)
        return -1;
    snprintf(state, sizeof(state), "%s/state", top);
    fixture_beside_spm(app, sizeof(app), "rot_client");
    fixture_beside_spm(attest, sizeof(attest), "psa-attest");
    return 0;
}

static int teardown(void **st)
{
    char cmd[96];

    fixture_teardown(st);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
    return system(cmd) == 0 ? 0 : -1;
}

/* The text after @p key up to the end of its line, from @p text. */
static void line_after(const char *text, const char *key, char *out, size_t size)
{
    const char *at = strstr(text, key);
    size_t n = 0;

    out[0] = '\0';
    if (at == NULL)
        return;
    at += strlen(key);
    while (at[n] != '\0' && at[n] != '\n' && n + 1 < size) {
        out[n] = at[n];
        n++;
    }
    out[n] = '\0';
}

static void test_one_app_every_service(void **st)
{
    char out[8192], again[8192], pub[160], pub_again[160], challenge[80];
    char token[160], key[160], other_key[160];

    (void)st;
    snprintf(token, sizeof(token), "%s/token.cbor", top);
    snprintf(key, sizeof(key), "%s/device.pem", top);
    snprintf(other_key, sizeof(other_key), "%s/other.pem", top);
    assert_int_equal(fixture_start(&fx, args), 0);

    /* the first run makes everything */
    assert_int_equal(fixture_sh(out, sizeof(out), "%s --token-out %s", app, token), 0);
    assert_non_null(strstr(out, "crypto: persistent key 0x100 generated"));
    assert_non_null(strstr(out, "verified; a damaged one is refused"));
    assert_non_null(strstr(out, "its: uid 1 empty"));
    assert_non_null(strstr(out, "ps: uid 1 empty"));
    assert_non_null(strstr(out, "rot_client: done"));
    line_after(out, "crypto: public key ", pub, sizeof(pub));
    assert_int_equal(strlen(pub), 130); /* 65 bytes, uncompressed P-256 */
    line_after(out, "attestation: challenge ", challenge, sizeof(challenge));
    assert_int_equal(strlen(challenge), 64);

    /* the token verifies with this device's key, for this challenge */
    assert_int_equal(fixture_sh(out, sizeof(out), "%s otp pubkey --state-dir %s > %s",
                                fixture_ctl(), state, key),
                     0);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s --challenge %s", attest,
                                token, key, challenge),
                     0);
    /* and not with another device's */
    assert_int_equal(fixture_sh(out, sizeof(out),
                                "%s otp provision --state-dir %s/other >/dev/null && "
                                "%s otp pubkey --state-dir %s/other > %s",
                                fixture_ctl(), top, fixture_ctl(), top, other_key),
                     0);
    assert_int_not_equal(
        fixture_sh(out, sizeof(out), "%s verify %s --key %s", attest, token, other_key), 0);
    assert_non_null(strstr(out, "signature does not verify"));
    assert_int_equal(fixture_stop(&fx), 0);

    /* a new daemon: the same key, the data kept */
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(fixture_sh(again, sizeof(again), "%s", app), 0);
    assert_non_null(strstr(again, "crypto: persistent key 0x100 found (made by an earlier run)"));
    line_after(again, "crypto: public key ", pub_again, sizeof(pub_again));
    assert_string_equal(pub, pub_again);
    assert_non_null(strstr(again, "its: uid 1 held \"stored by uid"));
    assert_non_null(strstr(again, "ps: uid 1 held \"stored by uid"));
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The app as another Linux user: exec'ed from a copy the user can reach. */
struct as_other {
    const char *exe, *out;
};

static int run_app(void *arg)
{
    const struct as_other *a = arg;
    char cmd[512];
    int st;

    snprintf(cmd, sizeof(cmd), "%s > %s 2>&1", a->exe, a->out);
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 126;
}

static void test_second_user_isolated(void **st)
{
    char first[8192], second[8192], pub1[160], pub2[160], exe[160], outfile[160];
    struct as_other a = {exe, outfile};
    FILE *f;
    size_t n;
    int r;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(fixture_sh(first, sizeof(first), "%s", app), 0);
    line_after(first, "crypto: public key ", pub1, sizeof(pub1));

    /* the fixture's folder is searchable by others: the copy goes there */
    snprintf(exe, sizeof(exe), "%s/rot_client", fx.dir);
    snprintf(outfile, sizeof(outfile), "%s/second.out", fx.dir);
    assert_int_equal(fixture_sh(second, sizeof(second),
                                "cp %s %s && chmod 755 %s && touch %s && "
                                "chmod 666 %s",
                                app, exe, exe, outfile, outfile),
                     0);
    r = fixture_run_as(&fx, 65534, run_app, &a);
    if (r == -2) {
        assert_int_equal(fixture_stop(&fx), 0);
        skip(); /* not root: no second user to be */
    }
    f = fopen(outfile, "r");
    assert_non_null(f);
    n = fread(second, 1, sizeof(second) - 1, f);
    second[n] = '\0';
    fclose(f);
    if (r != 0)
        print_error("second user's run:\n%s\n", second);
    assert_int_equal(r, 0);
    /* the same key id names a key of its own; the first user's data is not there */
    assert_non_null(strstr(second, "crypto: persistent key 0x100 generated"));
    line_after(second, "crypto: public key ", pub2, sizeof(pub2));
    assert_int_equal(strlen(pub2), 130);
    assert_string_not_equal(pub1, pub2);
    assert_non_null(strstr(second, "its: uid 1 empty"));
    assert_non_null(strstr(second, "ps: uid 1 empty"));
    /* and the first user's are untouched by the second's writes */
    assert_int_equal(fixture_sh(first, sizeof(first), "%s", app), 0);
    assert_non_null(strstr(first, "its: uid 1 held \"stored by uid 0 through its\""));
    assert_non_null(strstr(first, "ps: uid 1 held \"stored by uid 0 through ps\""));
    line_after(first, "crypto: public key ", pub2, sizeof(pub2));
    assert_string_equal(pub1, pub2);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_kill_9_loses_no_acknowledged_write(void **st)
{
    char line[128], cmd[256], out[512];
    unsigned acked = 0, before = 0, v, its = 0, ps = 0;
    int round;
    FILE *p;

    (void)st;
    for (round = 0; round < 3; round++) {
        assert_int_equal(fixture_start(&fx, args), 0);
        snprintf(cmd, sizeof(cmd), "%s --stream 2>&1", app);
        p = popen(cmd, "r");
        assert_non_null(p);
        /* let some writes land, a different number each round, then kill -9 */
        while (fgets(line, sizeof(line), p) != NULL)
            if (sscanf(line, "acked %u", &v) == 1 && (acked = v) % 40 == 17 + 5 * (unsigned)round)
                break;
        assert_int_equal(fixture_crash(&fx), 0);
        while (fgets(line, sizeof(line), p) != NULL)
            if (sscanf(line, "acked %u", &v) == 1)
                acked = v; /* acknowledged before the kill reached it */
        pclose(p);
        assert_true(acked > before); /* this round wrote, and went on from the last */
        before = acked;
        assert_int_equal(fixture_start(&fx, args), 0);
        assert_int_equal(fixture_sh(out, sizeof(out), "%s --counters", app), 0);
        assert_int_equal(sscanf(out, "its %u\nps %u", &its, &ps), 2);
        /* each store holds the last acknowledged value, or the one in flight */
        assert_true(its == acked || its == acked + 1);
        assert_true(ps == acked || ps == acked + 1);
        assert_int_equal(fixture_stop(&fx), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_app_every_service, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_user_isolated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_9_loses_no_acknowledged_write, setup, teardown),
    };

    return cmocka_run_group_tests_name("e2e_rot_app", tests, NULL, NULL);
}

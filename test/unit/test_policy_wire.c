/*
 * test_policy_wire.c - FF-M's client rules (src/spm/core/policy.c), the table
 * every request goes through, and the stateless handles they read with the
 * codec's helpers.  The codec itself: test_wire.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core_int.h"
#include "wire.h"

static struct mf_service svc(bool ns, uint32_t version, enum mf_policy policy, bool conn)
{
    struct mf_service s;

    memset(&s, 0, sizeof(s));
    s.name = "S";
    s.sid = 0x100;
    s.non_secure_clients = ns;
    s.version = version;
    s.policy = policy;
    s.connection_based = conn;
    return s;
}

static void test_connect_table(void **state)
{
    static const struct {
        bool ns_ok, conn, ns_caller;
        enum mf_policy policy;
        uint32_t version, asked;
        psa_status_t want;
    } t[] = {
        {true, true, true, MF_POLICY_STRICT, 2, 2, PSA_SUCCESS},
        {true, true, true, MF_POLICY_STRICT, 2, 1, PSA_ERROR_CONNECTION_REFUSED},
        {true, true, true, MF_POLICY_STRICT, 2, 3, PSA_ERROR_CONNECTION_REFUSED},
        {true, true, true, MF_POLICY_RELAXED, 3, 1, PSA_SUCCESS},
        {true, true, true, MF_POLICY_RELAXED, 3, 3, PSA_SUCCESS},
        {true, true, true, MF_POLICY_RELAXED, 3, 4, PSA_ERROR_CONNECTION_REFUSED},
        {false, true, true, MF_POLICY_STRICT, 1, 1, PSA_ERROR_CONNECTION_REFUSED},
        {false, true, false, MF_POLICY_STRICT, 1, 1, PSA_SUCCESS}, /* a secure caller */
        {true, false, true, MF_POLICY_STRICT, 1, 1, PSA_ERROR_PROGRAMMER_ERROR},
    };
    size_t i;

    (void)state;
    assert_int_equal(spm_policy_connect(NULL, true, 1), PSA_ERROR_CONNECTION_REFUSED);
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct mf_service s = svc(t[i].ns_ok, t[i].version, t[i].policy, t[i].conn);

        if (spm_policy_connect(&s, t[i].ns_caller, t[i].asked) != t[i].want)
            fail_msg("row %zu: got %d", i, (int)spm_policy_connect(&s, t[i].ns_caller, t[i].asked));
    }
}

static void test_version_and_stateless(void **state)
{
    struct mf_service open = svc(true, 4, MF_POLICY_STRICT, false);
    struct mf_service closed = svc(false, 4, MF_POLICY_RELAXED, false);

    (void)state;
    assert_int_equal(spm_policy_version(&open, true), 4);
    assert_int_equal(spm_policy_version(&closed, true), PSA_VERSION_NONE);
    assert_int_equal(spm_policy_version(&closed, false), 4);
    assert_int_equal(spm_policy_version(NULL, true), PSA_VERSION_NONE);
    assert_int_equal(spm_policy_stateless(&open, true, 4), PSA_SUCCESS);
    assert_int_equal(spm_policy_stateless(&open, true, 3), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(spm_policy_stateless(&closed, true, 4), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(spm_policy_stateless(&closed, false, 2), PSA_SUCCESS);
    assert_int_equal(spm_policy_stateless(NULL, true, 1), PSA_ERROR_PROGRAMMER_ERROR);
    assert_true(wire_is_stateless(0x40000100));
    assert_false(wire_is_stateless(0x100));
    assert_false(wire_is_stateless(-0x40000100));
    assert_true(spm_type_valid(0) && spm_type_valid(INT16_MAX));
    assert_false(spm_type_valid(-1) || spm_type_valid(INT16_MAX + 1));
}

static void test_stateless_lookup(void **state)
{
    struct mf_service s[2];
    struct mf_partition p;
    struct mf_system sys;
    const struct mf_partition *owner = NULL;

    (void)state;
    s[0] = svc(true, 1, MF_POLICY_STRICT, false);
    s[0].stateless_handle = 0x40000102;
    s[1] = svc(true, 1, MF_POLICY_STRICT, true);
    memset(&p, 0, sizeof(p));
    p.services = s;
    p.n_services = 2;
    memset(&sys, 0, sizeof(sys));
    sys.partitions = &p;
    sys.n_partitions = 1;
    assert_ptr_equal(spm_stateless_service(&sys, 0x40000102, &owner), &s[0]);
    assert_ptr_equal(owner, &p);
    /* the version bits do not select the service; stray bits make it invalid */
    assert_ptr_equal(spm_stateless_service(&sys, 0x40000702, NULL), &s[0]);
    assert_null(spm_stateless_service(&sys, 0x40000103, NULL));
    assert_null(spm_stateless_service(&sys, 0x40010102, NULL));
    assert_null(spm_stateless_service(&sys, 0x102, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_table),
        cmocka_unit_test(test_version_and_stateless),
        cmocka_unit_test(test_stateless_lookup),
    };

    return cmocka_run_group_tests_name("policy_wire", tests, NULL, NULL);
}

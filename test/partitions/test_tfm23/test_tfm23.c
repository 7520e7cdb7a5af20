/*
 * test_tfm23.c - a partition as one writes it for TF-M v2.3: its log is
 * tfm_log_unpriv.h, it tests psa/framework_feature.h, counts vectors with
 * IOVEC_LEN, and its entry point takes a parameter, undeclared, as
 * tf-m-tests' partitions do (so it is built without -Wmissing-prototypes).
 * It also writes to stdout and stderr and fails an assert() on request.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>

#include "psa/framework_feature.h"
#include "psa/service.h"
#include "psa_manifest/partix_test_tfm23.h"
#include "test_tfm23_ops.h"
#include "tfm_log_unpriv.h"

static psa_status_t echo(const psa_msg_t *msg)
{
    uint8_t buf[64];
    size_t n;

    if (msg->in_size[0] > msg->out_size[0])
        return PSA_ERROR_BUFFER_TOO_SMALL;
#if PSA_FRAMEWORK_HAS_MM_IOVEC
    if (msg->in_size[0] > 0) {
        psa_write(msg->handle, 0, psa_map_invec(msg->handle, 0), msg->in_size[0]);
        psa_unmap_invec(msg->handle, 0);
        return PSA_SUCCESS;
    }
#endif
    while ((n = psa_read(msg->handle, 0, buf, sizeof(buf))) > 0)
        psa_write(msg->handle, 0, buf, n);
    return PSA_SUCCESS;
}

static psa_status_t log_all(const psa_msg_t *msg)
{
    static const uint8_t bytes[] = {0xde, 0xad, 0xbe, 0xef};
    uint32_t i;

    ERROR_UNPRIV("tfm23 error %d\n", -1);
    WARN_UNPRIV("tfm23 warning %s\n", "w");
    NOTICE_UNPRIV("tfm23 notice %u\n", 2u);
    INFO_UNPRIV("tfm23 info %x\n", 0xabcu);
    VERBOSE_UNPRIV("tfm23 verbose: compiled out at LOG_LEVEL_INFO\n");
    INFO_UNPRIV("tfm23 bytes:");
    for (i = 0; i < IOVEC_LEN(bytes); i++)
        INFO_UNPRIV_RAW(" %02x", bytes[i]);
    INFO_UNPRIV_RAW("\n");
    /* %zu: TF-M 2.1's formatter prints "[Unsupported]" */
    INFO_UNPRIV("tfm23 in_size %zu\n", msg->in_size[0]);
    return PSA_SUCCESS;
}

static psa_status_t stdio(void)
{
    printf("tfm23 printf %d\n", 42);
    puts("tfm23 puts");
    printf("tfm23 pieces");
    putchar(':');
    printf(" %s\n", "joined");
    errno = ENOENT;
    perror("tfm23 perror");
    fprintf(stderr, "tfm23 stderr %d\n", 7);
    printf("tfm23 no newline before psa_wait");
    return PSA_SUCCESS;
}

static psa_status_t call(const psa_msg_t *msg)
{
    switch (msg->type) {
    case TFM23_OP_ECHO:
        return echo(msg);
    case TFM23_OP_LOG:
        return log_all(msg);
    case TFM23_OP_STDIO:
        return stdio();
    case TFM23_OP_ASSERT:
        assert(msg->type == TFM23_OP_ECHO);
        return PSA_ERROR_GENERIC_ERROR;
    case PSA_CALL_TYPE_MAX:
        return (psa_status_t)PSA_CALL_TYPE_MAX;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void partix_test_tfm23_main(void *param)
{
    psa_msg_t msg;

    (void)param;
    INFO_UNPRIV("tfm23 up\n");
    for (;;) {
        if (!(psa_wait(PSA_WAIT_ANY, PSA_BLOCK) & PARTIX_TEST_TFM23_SIGNAL))
            continue;
        if (psa_get(PARTIX_TEST_TFM23_SIGNAL, &msg) != PSA_SUCCESS)
            continue;
        psa_reply(msg.handle, msg.type < 0 ? PSA_SUCCESS : call(&msg));
    }
}

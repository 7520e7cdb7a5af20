/*
 * test_peer.c - a service only partitions may call: it answers each call
 * with the caller's client id followed by the caller's input.
 */
#include <stdint.h>

#include "psa/service.h"
#include "psa_manifest/partix_test_peer.h"

void partix_test_peer_main(void)
{
    psa_msg_t msg;
    uint8_t buf[256];
    size_t n;

    for (;;) {
        psa_wait(PARTIX_TEST_PEER_SIGNAL, PSA_BLOCK);
        if (psa_get(PARTIX_TEST_PEER_SIGNAL, &msg) != PSA_SUCCESS)
            continue;
        if (msg.type == PSA_IPC_CALL && msg.out_size[0] >= sizeof(int32_t)) {
            psa_write(msg.handle, 0, &msg.client_id, sizeof(msg.client_id));
            n = psa_read(msg.handle, 0, buf, sizeof(buf));
            if (n <= msg.out_size[0] - sizeof(int32_t))
                psa_write(msg.handle, 0, buf, n);
        }
        psa_reply(msg.handle, PSA_SUCCESS);
    }
}

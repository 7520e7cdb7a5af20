/*
 * main.c - a partition process from exec to its entry point: introduce
 * itself to the SPM, take its configuration, enter the sandbox, run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "partix/load_info.h"
#include "runtime.h"
#include "sandbox.h"

struct rt_state rt = {.chan = SANDBOX_CHANNEL_FD, .log_level = 2};

void rt_send(const struct wire_out *w, int fd)
{
    if (wire_send(rt.chan, w, fd) < 0)
        _exit(1); /* the SPM is gone: nothing left to serve */
}

static void send_hello(const struct partix_load_info *li)
{
    static struct wire_out w;
    uint32_t i;

    wire_begin(&w, WIRE_P_HELLO, 0);
    wire_put_str(&w, li->name);
    wire_put_u8(&w, (uint8_t)li->n_services);
    for (i = 0; i < li->n_services; i++) {
        wire_put_u32(&w, li->services[i].sid);
        wire_put_u32(&w, li->services[i].signal);
    }
    rt_send(&w, -1);
}

static int read_config(void)
{
    static uint8_t buf[WIRE_MAX_MSG];
    struct wire_in m;
    uint8_t level, n;
    uint16_t n_ids;
    long len;
    int fd;
    size_t i;

    len = wire_recv(rt.chan, buf, sizeof(buf), &fd);
    if (len <= 0 || fd >= 0 || wire_open(&m, buf, (size_t)len) || m.type != WIRE_S_CONFIG)
        return -1;
    if (wire_get_i32(&m, &rt.pid) || wire_get_u8(&m, &level) || wire_get_u32(&m, &rt.lifecycle) ||
        wire_get_u8(&m, &n) || n > RT_MAX_SERVICES)
        return -1;
    rt.log_level = level;
    for (i = 0; i < n; i++) {
        struct rt_service *s = &rt.services[i];
        uint8_t flags;

        if (wire_get_u32(&m, &s->sid) || wire_get_u32(&m, &s->signal) ||
            wire_get_u32(&m, &s->version) || wire_get_u8(&m, &flags))
            return -1;
        s->connection_based = flags & WIRE_SVC_CONNECTION_BASED;
        s->mm_iovec = flags & WIRE_SVC_MM_IOVEC;
        rt.service_mask |= s->signal;
    }
    rt.n_services = n;
    if (wire_get_u16(&m, &n_ids))
        return -1;
    rt.partition_ids = calloc(n_ids + 1u, sizeof(int32_t));
    if (rt.partition_ids == NULL)
        return -1;
    for (i = 0; i < n_ids; i++)
        if (wire_get_i32(&m, &rt.partition_ids[i]))
            return -1;
    rt.n_partition_ids = n_ids;
    return wire_end(&m) ? -1 : 0;
}

/* Runs in the SIGSYS handler: one datagram, no allocation. */
static void report_violation(int nr, uint32_t arch)
{
    struct wire_out w;

    wire_begin(&w, WIRE_P_VIOLATION, 0);
    wire_put_i32(&w, nr);
    wire_put_u32(&w, arch);
    (void)wire_send(rt.chan, &w, -1);
}

/* The SFN model: the runtime's own loop calls the service functions. */
static void sfn_loop(const struct partix_load_info *li)
{
    psa_status_t st;
    psa_msg_t msg;
    uint32_t i;

    if (li->entry_init != NULL && (st = li->entry_init()) != PSA_SUCCESS)
        rt_panic("entry_init returned %d", (int)st);
    for (;;) {
        psa_signal_t sig = psa_wait(rt.service_mask, PSA_BLOCK);

        for (i = 0; i < li->n_services; i++) {
            if (!(sig & li->services[i].signal))
                continue;
            if (psa_get(li->services[i].signal, &msg) != PSA_SUCCESS)
                continue;
            st = li->services[i].sfn(&msg);
            if (msg.type == PSA_IPC_CONNECT && st != PSA_SUCCESS &&
                st != PSA_ERROR_CONNECTION_REFUSED && st != PSA_ERROR_CONNECTION_BUSY)
                st = PSA_ERROR_CONNECTION_REFUSED;
            psa_reply(msg.handle, st);
        }
    }
}

int main(void)
{
    static struct wire_out w;
    const struct partix_load_info *li = &partix_load_info;
    const char *step = NULL;
    int type = 0, landlock_abi;
    socklen_t tlen = sizeof(type);

    rt.name = li->name;
    if (getsockopt(rt.chan, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_SEQPACKET) {
        fprintf(stderr, "%s: a partition runs under psa-spm (no channel on fd %d)\n", li->name,
                rt.chan);
        return 2;
    }
    if (li->abi != PARTIX_LOAD_INFO_ABI)
        rt_panic("load_info ABI %u, runtime expects %u: rebuild the partition", li->abi,
                 PARTIX_LOAD_INFO_ABI);
    send_hello(li);
    if (read_config() < 0)
        rt_panic("malformed configuration from the SPM");
    if (sandbox_enter(SANDBOX_ALL, report_violation, &landlock_abi, &step) < 0)
        rt_panic("sandbox: %s failed: %s", step, strerror(errno));
    wire_begin(&w, WIRE_P_READY, 0);
    wire_put_i32(&w, landlock_abi);
    rt_send(&w, -1);
    if (li->model_sfn)
        sfn_loop(li);
    li->entry_point();
    rt_panic("the entry point returned");
}

/*
 * msg.c - the message half of the FF-M partition API: psa_get, psa_read,
 * psa_skip, psa_write, psa_reply, psa_set_rhandle and the MM-IOVEC calls.
 * Each FF-M PROGRAMMER ERROR is a panic naming the call and the rule.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime.h"

/* Per-vector states for the MM-IOVEC rules. */
enum { V_FRESH, V_ACCESSED, V_MAPPED, V_UNMAPPED };

static struct rt_msg *find(psa_handle_t h, const char *fn)
{
    struct rt_msg *m;

    for (m = rt.queue; m != NULL; m = m->next)
        if (m->gotten && m->handle == h)
            return m;
    rt_panic("%s: %d is not the handle of a message taken with psa_get()", fn, (int)h);
}

static struct rt_msg *find_call(psa_handle_t h, uint32_t idx, const char *fn)
{
    struct rt_msg *m = find(h, fn);

    if (m->type < 0)
        rt_panic("%s: message %d is a %s, not a request", fn, (int)h,
                 m->type == PSA_IPC_CONNECT ? "CONNECT" : "DISCONNECT");
    if (idx >= PSA_MAX_IOVEC)
        rt_panic("%s: vector index %u is not below PSA_MAX_IOVEC", fn, idx);
    return m;
}

static size_t in_offset(const struct rt_msg *m, uint32_t idx)
{
    size_t off = 0;
    uint32_t i;

    for (i = 0; i < idx; i++)
        off += m->v.in_len[i];
    return off;
}

static size_t out_offset(const struct rt_msg *m, uint32_t idx)
{
    size_t off = 0;
    uint32_t i;

    for (i = 0; i < idx; i++)
        off += m->v.out_len[i];
    return off;
}

static uint32_t in_len(const struct rt_msg *m, uint32_t idx)
{
    return idx < m->v.n_in ? m->v.in_len[idx] : 0;
}

static uint32_t out_len(const struct rt_msg *m, uint32_t idx)
{
    return idx < m->v.n_out ? m->v.out_len[idx] : 0;
}

void rt_msg_free(struct rt_msg *m)
{
    struct rt_msg **pp;

    for (pp = &rt.queue; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == m) {
            *pp = m->next;
            break;
        }
    }
    if (m->direct != NULL) {
        m->direct = NULL; /* its connection keeps it */
        return;
    }
    if (m->map != NULL) {
        munmap(m->map, m->map_len);
    } else {
        rt_free(m->in);
        rt_free(m->out);
    }
    rt_free(m);
}

psa_status_t psa_get(psa_signal_t signal, psa_msg_t *msg)
{
    struct rt_msg *m;
    uint32_t i;

    rt_stack_mark();

    if (signal == 0 || (signal & (signal - 1)) != 0)
        rt_panic("psa_get: signal 0x%08x is not a single signal", signal);
    if (!(signal & rt.service_mask))
        rt_panic("psa_get: signal 0x%08x is not a service signal of the partition", signal);
    if (msg == NULL)
        rt_panic("psa_get: msg is NULL");
    for (m = rt.queue; m != NULL; m = m->next)
        if (!m->gotten && m->signal == signal)
            break;
    if (m == NULL)
        rt_panic("psa_get: signal 0x%08x is not asserted", signal);
    m->gotten = true;
    memset(msg, 0, sizeof(*msg));
    msg->type = m->type;
    msg->handle = m->handle;
    msg->client_id = m->client_id;
    msg->rhandle = (void *)(uintptr_t)m->rhandle;
    for (i = 0; i < PSA_MAX_IOVEC; i++) {
        msg->in_size[i] = in_len(m, i);
        msg->out_size[i] = out_len(m, i);
    }
    return PSA_SUCCESS;
}

static size_t consume(psa_handle_t h, uint32_t idx, void *buf, size_t n, bool copy, const char *fn)
{
    struct rt_msg *m = find_call(h, idx, fn);
    uint32_t left;
    size_t k;

    if (m->in_state[idx] == V_MAPPED || m->in_state[idx] == V_UNMAPPED)
        rt_panic("%s: input vector %u was mapped with psa_map_invec()", fn, idx);
    if (copy && buf == NULL && n > 0)
        rt_panic("%s: buffer is NULL", fn);
    m->in_state[idx] = V_ACCESSED;
    left = in_len(m, idx) - m->in_off[idx];
    k = n < left ? n : left;
    if (copy && k > 0)
        memcpy(buf, m->in + in_offset(m, idx) + m->in_off[idx], k);
    m->in_off[idx] += (uint32_t)k;
    return k;
}

size_t psa_read(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer, size_t num_bytes)
{
    rt_stack_mark();
    return consume(msg_handle, invec_idx, buffer, num_bytes, true, "psa_read");
}

size_t psa_skip(psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes)
{
    rt_stack_mark();
    return consume(msg_handle, invec_idx, NULL, num_bytes, false, "psa_skip");
}

void psa_write(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer, size_t num_bytes)
{
    struct rt_msg *m = find_call(msg_handle, outvec_idx, "psa_write");
    uint32_t cap = out_len(m, outvec_idx);

    rt_stack_mark();

    if (m->out_state[outvec_idx] == V_MAPPED || m->out_state[outvec_idx] == V_UNMAPPED)
        rt_panic("psa_write: output vector %u was mapped with psa_map_outvec()", outvec_idx);
    if (num_bytes > cap - m->written[outvec_idx])
        rt_panic("psa_write: %zu bytes after %u already written pass the end of output vector "
                 "%u (%u bytes)",
                 num_bytes, m->written[outvec_idx], outvec_idx, cap);
    if (buffer == NULL && num_bytes > 0)
        rt_panic("psa_write: buffer is NULL");
    m->out_state[outvec_idx] = V_ACCESSED;
    if (num_bytes > 0)
        memcpy(m->out + out_offset(m, outvec_idx) + m->written[outvec_idx], buffer, num_bytes);
    m->written[outvec_idx] += (uint32_t)num_bytes;
}

void psa_set_rhandle(psa_handle_t msg_handle, void *rhandle)
{
    struct rt_msg *m = find(msg_handle, "psa_set_rhandle");

    rt_stack_mark();

    if (!m->svc->connection_based)
        rt_panic("psa_set_rhandle: message %d is for a stateless service", (int)msg_handle);
    m->set_rhandle = true;
    m->new_rhandle = (uint64_t)(uintptr_t)rhandle;
}

void psa_reply(psa_handle_t msg_handle, psa_status_t status)
{
    struct rt_msg *m = find(msg_handle, "psa_reply");
    struct wire_msg w;
    struct wire_reply *r = &w.u.reply;
    uint32_t i;

    rt_stack_mark();

    if (m->type == PSA_IPC_CONNECT && status != PSA_SUCCESS &&
        status != PSA_ERROR_CONNECTION_REFUSED && status != PSA_ERROR_CONNECTION_BUSY)
        rt_panic("psa_reply: a CONNECT is answered with PSA_SUCCESS, "
                 "PSA_ERROR_CONNECTION_REFUSED or PSA_ERROR_CONNECTION_BUSY, not %d",
                 (int)status);
    if (m->direct != NULL) {
        for (i = 0; i < m->v.n_out; i++)
            if (m->out_state[i] == V_MAPPED)
                m->written[i] = 0; /* an output vector left mapped counts as nothing written */
        rt_direct_reply(m, status);
        return;
    }
    w.type = WIRE_P_REPLY;
    w.seq = 0;
    r->msg = m->handle;
    r->status = status;
    r->flags =
        (m->map != NULL ? WIRE_CALL_MEMFD : 0) | (m->set_rhandle ? WIRE_REPLY_SET_RHANDLE : 0);
    r->rhandle = m->new_rhandle;
    r->n_out = m->v.n_out;
    for (i = 0; i < m->v.n_out; i++) {
        /* an output vector left mapped counts as nothing written */
        if (m->out_state[i] == V_MAPPED)
            m->written[i] = 0;
        r->written[i] = m->written[i];
        r->out[i] = m->out + out_offset(m, i);
    }
    rt_send(&w, -1);
    if (m->type == PSA_IPC_DISCONNECT)
        rt_direct_close(((uint32_t)m->handle & 0xffffu) - 1u); /* if it was direct */
    rt_msg_free(m);
}

static struct rt_msg *find_mm(psa_handle_t h, uint32_t idx, const char *fn)
{
    struct rt_msg *m = find_call(h, idx, fn);

    if (!m->svc->mm_iovec)
        rt_panic("%s: MM-IOVEC is not enabled for service 0x%08x", fn, m->svc->sid);
    return m;
}

const void *psa_map_invec(psa_handle_t msg_handle, uint32_t invec_idx)
{
    struct rt_msg *m = find_mm(msg_handle, invec_idx, "psa_map_invec");

    rt_stack_mark();

    if (in_len(m, invec_idx) == 0)
        rt_panic("psa_map_invec: input vector %u is empty", invec_idx);
    if (m->in_state[invec_idx] != V_FRESH)
        rt_panic("psa_map_invec: input vector %u was already %s", invec_idx,
                 m->in_state[invec_idx] == V_ACCESSED ? "read or skipped" : "mapped");
    m->in_state[invec_idx] = V_MAPPED;
    return m->in + in_offset(m, invec_idx);
}

void psa_unmap_invec(psa_handle_t msg_handle, uint32_t invec_idx)
{
    struct rt_msg *m = find_mm(msg_handle, invec_idx, "psa_unmap_invec");

    rt_stack_mark();

    if (m->in_state[invec_idx] != V_MAPPED)
        rt_panic("psa_unmap_invec: input vector %u is not mapped", invec_idx);
    m->in_state[invec_idx] = V_UNMAPPED;
}

void *psa_map_outvec(psa_handle_t msg_handle, uint32_t outvec_idx)
{
    struct rt_msg *m = find_mm(msg_handle, outvec_idx, "psa_map_outvec");

    rt_stack_mark();

    if (out_len(m, outvec_idx) == 0)
        rt_panic("psa_map_outvec: output vector %u is empty", outvec_idx);
    if (m->out_state[outvec_idx] != V_FRESH)
        rt_panic("psa_map_outvec: output vector %u was already %s", outvec_idx,
                 m->out_state[outvec_idx] == V_ACCESSED ? "written" : "mapped");
    m->out_state[outvec_idx] = V_MAPPED;
    return m->out + out_offset(m, outvec_idx);
}

void psa_unmap_outvec(psa_handle_t msg_handle, uint32_t outvec_idx, size_t len)
{
    struct rt_msg *m = find_mm(msg_handle, outvec_idx, "psa_unmap_outvec");

    rt_stack_mark();

    if (m->out_state[outvec_idx] != V_MAPPED)
        rt_panic("psa_unmap_outvec: output vector %u is not mapped", outvec_idx);
    if (len > out_len(m, outvec_idx))
        rt_panic("psa_unmap_outvec: length %zu exceeds output vector %u (%u bytes)", len,
                 outvec_idx, out_len(m, outvec_idx));
    m->out_state[outvec_idx] = V_UNMAPPED;
    m->written[outvec_idx] = (uint32_t)len;
}

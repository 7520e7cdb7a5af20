/*
 * test_service.c - the end-to-end tests' partition: every service of its
 * manifest runs the same operations (test_ops.h), chosen by call type.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "partix/load_info.h"
#include "psa/lifecycle.h"
#include "psa/service.h"
#include "psa/client.h"
#include "psa_manifest/partix_test_service.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"
#include "tfm_hal_platform.h"
#include "tfm_plat_otp.h"
#include "tfm_sp_log.h"
#include "crash_report.h"

static uint32_t connects, disconnects, calls;
static bool hold_disconnect; /* TEST_OP_HOLD_DISCONNECT */
static int32_t refuse_next, disconnect_client_id;

static psa_status_t concat(const psa_msg_t *msg)
{
    uint8_t buf[512];
    size_t n;
    uint32_t i;

    for (i = 0; i < PSA_MAX_IOVEC; i++) {
        while ((n = psa_read(msg->handle, i, buf, sizeof(buf))) > 0) {
            if (msg->out_size[0] == 0)
                continue;
            psa_write(msg->handle, 0, buf, n);
        }
    }
    return PSA_SUCCESS;
}

static psa_status_t info(const psa_msg_t *msg)
{
    struct test_info ti;
    uint32_t i;

    memset(&ti, 0, sizeof(ti));
    ti.client_id = msg->client_id;
    ti.pid = (int32_t)getpid();
    for (i = 0; i < 4; i++) {
        ti.in_size[i] = (uint32_t)msg->in_size[i];
        ti.out_size[i] = (uint32_t)msg->out_size[i];
    }
    ti.rhandle = (uint64_t)(uintptr_t)msg->rhandle;
    ti.connects = connects;
    ti.disconnects = disconnects;
    ti.calls = calls;
    ti.lifecycle = psa_rot_lifecycle_state();
    ti.disconnect_client_id = disconnect_client_id;
    if (msg->out_size[0] < sizeof(ti))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    psa_write(msg->handle, 0, &ti, sizeof(ti));
    return PSA_SUCCESS;
}

static uint64_t in_u64(const psa_msg_t *msg)
{
    uint64_t v = 0;

    psa_read(msg->handle, 0, &v, msg->in_size[0] < sizeof(v) ? msg->in_size[0] : sizeof(v));
    return v;
}

/* Uses stack without bound (the limit is never reached): the manifest's
 * stack_size must stop it. */
static volatile unsigned depth_limit = 1u << 30;

static int deep(volatile uint8_t *prev)
{
    volatile uint8_t frame[512];

    frame[0] = prev ? prev[0] + 1 : 0;
    if (--depth_limit == 0)
        return 0;
    return deep(frame) + frame[1];
}

/* Calls the peer, as the manifest allows, with @p type and input vector
 * @p in_idx of @p msg; its answer goes to out_vec[0]. */
static psa_status_t peer(const psa_msg_t *msg, int32_t type, uint32_t in_idx)
{
    uint8_t in[64], out[80];
    size_t n = psa_read(msg->handle, in_idx, in, sizeof(in));
    psa_handle_t h = psa_connect(PARTIX_TEST_PEER_SID, PARTIX_TEST_PEER_VERSION);
    psa_invec iv = {in, n};
    psa_outvec ov = {out, sizeof(out)};
    psa_status_t st;

    if (!PSA_HANDLE_IS_VALID(h))
        return h;
    st = psa_call(h, type, &iv, 1, &ov, 1);
    psa_close(h);
    if (st == PSA_SUCCESS && ov.len <= msg->out_size[0])
        psa_write(msg->handle, 0, out, ov.len);
    return st;
}

/* A call to the peer with the vector TEST_OP_BAD_VECTOR names: the runtime
 * panics this partition before anything is sent. */
static psa_status_t bad_vector(const psa_msg_t *msg)
{
    static const uint8_t read_only[64] = {1};
    uint8_t buf[64] = {0};
    uint32_t kind = 0;
    psa_handle_t h = psa_connect(PARTIX_TEST_PEER_SID, PARTIX_TEST_PEER_VERSION);
    psa_invec iv = {buf, sizeof(buf)};
    psa_outvec ov = {buf, sizeof(buf)};

    psa_read(msg->handle, 0, &kind, sizeof(kind));
    if (!PSA_HANDLE_IS_VALID(h))
        return h;
    switch (kind) {
    case BAD_OUT_READ_ONLY:
        ov.base = (void *)(uintptr_t)read_only;
        break;
    case BAD_OUT_UNMAPPED:
        ov.base = (void *)(uintptr_t)0x1000; /* below mmap_min_addr: never mapped */
        break;
    case BAD_OUT_WRAPS:
        ov.base = (void *)(UINTPTR_MAX - 15);
        ov.len = 64;
        break;
    case BAD_IN_UNMAPPED:
        iv.base = (const void *)(uintptr_t)0x1000;
        break;
    default:
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    return psa_call(h, PEER_OP_ECHO, &iv, 1, &ov, 1); /* never returns */
}

/* A call to the peer far above the 64 KiB a datagram carries: it travels
 * in a memfd this partition creates, and comes back whole. */
static psa_status_t peer_big(const psa_msg_t *msg)
{
    static uint8_t pattern[512 * 1024], echo[512 * 1024];
    uint32_t size = 0, i;
    psa_handle_t h;
    psa_status_t st;

    psa_read(msg->handle, 0, &size, sizeof(size));
    if (size > sizeof(pattern))
        return PSA_ERROR_INVALID_ARGUMENT;
    for (i = 0; i < size; i++)
        pattern[i] = (uint8_t)(i * 7 + (i >> 12));
    memset(echo, 0, size);
    h = psa_connect(PARTIX_TEST_PEER_SID, PARTIX_TEST_PEER_VERSION);
    if (!PSA_HANDLE_IS_VALID(h))
        return h;
    {
        psa_invec iv = {pattern, size};
        psa_outvec ov = {echo, size};

        st = psa_call(h, PEER_OP_COPY, &iv, 1, &ov, 1);
        psa_close(h);
        if (st != PSA_SUCCESS)
            return st;
        return ov.len == size && memcmp(pattern, echo, size) == 0 ? PSA_SUCCESS
                                                                  : PSA_ERROR_DATA_CORRUPT;
    }
}

static psa_status_t notify(const psa_msg_t *msg)
{
    struct test_notify n;
    uint32_t i;

    if (msg->in_size[0] != sizeof(n))
        return PSA_ERROR_INVALID_ARGUMENT;
    psa_read(msg->handle, 0, &n, sizeof(n));
    for (i = 0; i < n.times; i++)
        psa_notify(n.partition_id);
    return PSA_SUCCESS;
}

static psa_status_t wait_signals(const psa_msg_t *msg)
{
    struct test_wait w;
    psa_signal_t s;

    if (msg->in_size[0] != sizeof(w) || msg->out_size[0] < sizeof(s))
        return PSA_ERROR_INVALID_ARGUMENT;
    psa_read(msg->handle, 0, &w, sizeof(w));
    if (w.timeout & PSA_BLOCK) /* the test waits for this line before it notifies */
        LOG_INFFMT("psa_wait(0x%08x, PSA_BLOCK)\n", (unsigned)w.mask);
    s = psa_wait(w.mask, w.timeout);
    psa_write(msg->handle, 0, &s, sizeof(s));
    return PSA_SUCCESS;
}

/* Allocations held across calls, so several add up against heap_size. */
static void *kept[16];

static psa_status_t test_malloc(const psa_msg_t *msg)
{
    struct test_malloc r = {0, partix_load_info.heap_size, 1};
    uint32_t size = 0;
    size_t i;
    uint8_t *p;

#if defined(__SANITIZE_ADDRESS__)
    r.enforced = 0;
#endif
    if (msg->in_size[0] != sizeof(size) || msg->out_size[0] < sizeof(r))
        return PSA_ERROR_INVALID_ARGUMENT;
    psa_read(msg->handle, 0, &size, sizeof(size));
    for (i = 0; i < sizeof(kept) / sizeof(kept[0]) && kept[i] != NULL; i++)
        ;
    if (i == sizeof(kept) / sizeof(kept[0]))
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    p = malloc(size);
    if (p != NULL && size > 0) {
        p[size - 1] = 1; /* the memory is really there */
        kept[i] = p;
        r.ok = 1;
    }
    psa_write(msg->handle, 0, &r, sizeof(r));
    return PSA_SUCCESS;
}

/* Maps address space without using memory (MAP_NORESERVE, nothing
 * touched): only the partition's address-space bound can refuse it. */
static psa_status_t test_mmap(const psa_msg_t *msg)
{
    static void *kept_map;
    static size_t kept_len;
    uint64_t size = in_u64(msg);
    void *p;

    if (kept_map != NULL)
        munmap(kept_map, kept_len);
    kept_map = NULL;
    if (msg->in_size[0] != sizeof(size) || size == 0 || size > SIZE_MAX)
        return PSA_ERROR_INVALID_ARGUMENT;
    p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    if (msg->in_size[1] > 0) {
        kept_map = p;
        kept_len = (size_t)size;
    } else {
        munmap(p, (size_t)size);
    }
    return PSA_SUCCESS;
}

/* A real SIGBUS under the sandbox, which allows no memfd_create or ftruncate:
 * a shared anonymous mapping is a memory object of its length, and mremap
 * grows the mapping but not the object, so its second page is past the end. */
/* The faults test_crash.c symbolizes: named functions the compiler keeps
 * (external, so their symbols are there as written). */
int crash_divide(int a, int b);
void crash_fault_here(uintptr_t addr);
void crash_middle(uintptr_t addr);

__attribute__((noinline)) int crash_divide(int a, int b)
{
    int q = a;
#ifdef __x86_64__
    /* the instruction itself: UBSan would report a division by zero first */
    __asm__ volatile("cltd; idivl %2" : "+a"(q) : "a"(a), "r"(b) : "edx");
#else
    raise(SIGFPE);
#endif
    return q;
}

__attribute__((noinline)) void crash_fault_here(uintptr_t addr)
{
    *(volatile int *)addr = 1;
    __asm__ volatile("" ::: "memory"); /* not a tail call: its frame stays */
}

__attribute__((noinline)) void crash_middle(uintptr_t addr)
{
    crash_fault_here(addr + 0x1000);
    __asm__ volatile("" ::: "memory");
}

/* TEST_OP_LYING_REPORT: a report on the crash socket (fd 6) before the
 * real one, which the monitor then never reads. */
static void lying_report(uint32_t how)
{
    static struct crash_report r;
    size_t len = offsetof(struct crash_report, stack);

    memset(&r, 0x5a, sizeof(r));
    if (how != LYING_JUNK) {
        r.magic = CRASH_MAGIC;
        r.version = CRASH_VERSION;
        r.kind = CRASH_SIGNAL;
        r.signo = SIGSEGV;
        r.n_regs = CRASH_NREGS;
        r.n_modules = how == LYING_COUNTS ? 200 : CRASH_MAX_MODULES;
        r.n_msgs = how == LYING_COUNTS ? 9 : CRASH_MAX_MSGS;
        r.stack_len = 4096;
        r.stack_lo = UINT64_MAX - 100; /* wraps */
        len += r.stack_len;
    } else {
        len = 100;
    }
    (void)send(6, &r, len, MSG_DONTWAIT);
}

static void bus_error(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED || (p = mremap(p, page, 2 * page, MREMAP_MAYMOVE)) == MAP_FAILED)
        return;
    *(volatile uint8_t *)(p + page) = 1;
}

/* MM-IOVEC: the input vectors, back to back into out_vec[0]. */
static psa_status_t mm_echo(const psa_msg_t *msg)
{
    const uint8_t *in[PSA_MAX_IOVEC] = {NULL};
    uint8_t *out = NULL;
    size_t n = 0, k;
    uint32_t i;

    for (i = 0; i < PSA_MAX_IOVEC; i++)
        if (msg->in_size[i] > 0)
            in[i] = psa_map_invec(msg->handle, i);
    if (msg->out_size[0] > 0)
        out = psa_map_outvec(msg->handle, 0);
    if (msg->out_size[1] >= sizeof(struct test_mm_layout) && in[0] != NULL && out != NULL) {
        struct test_mm_layout l = {(uintptr_t)in[0] % (uintptr_t)sysconf(_SC_PAGESIZE),
                                   (int64_t)((intptr_t)out - (intptr_t)in[0])};

        psa_write(msg->handle, 1, &l, sizeof(l));
    }
    for (i = 0; i < PSA_MAX_IOVEC; i++) {
        if (in[i] == NULL)
            continue;
        k = msg->in_size[i] < msg->out_size[0] - n ? msg->in_size[i] : msg->out_size[0] - n;
        if (k > 0)
            memcpy(out + n, in[i], k);
        n += k;
        psa_unmap_invec(msg->handle, i);
    }
    if (out != NULL)
        psa_unmap_outvec(msg->handle, 0, n);
    return PSA_SUCCESS;
}

static psa_status_t mm_misuse(const psa_msg_t *msg)
{
    uint32_t how = (uint32_t)in_u64(msg);
    uint8_t byte = 0;

    switch (how) {
    case TEST_MM_MAP_INVEC:
        psa_map_invec(msg->handle, 1);
        break;
    case TEST_MM_MAP_TWICE:
        psa_map_invec(msg->handle, 1);
        psa_map_invec(msg->handle, 1);
        break;
    case TEST_MM_READ_MAPPED:
        psa_map_invec(msg->handle, 1);
        psa_read(msg->handle, 1, &byte, 1);
        break;
    case TEST_MM_UNMAP_UNMAPPED:
        psa_unmap_invec(msg->handle, 1);
        break;
    case TEST_MM_UNMAP_TOO_LONG:
        psa_map_outvec(msg->handle, 0);
        psa_unmap_outvec(msg->handle, 0, msg->out_size[0] + 1);
        break;
    case TEST_MM_WRITE_MAPPED:
        psa_map_outvec(msg->handle, 0);
        psa_write(msg->handle, 0, &byte, 1);
        break;
    default:
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    return PSA_SUCCESS;
}

static psa_status_t call(const psa_msg_t *msg)
{
    static const uint8_t big[64];
    struct timespec ts;
    uint64_t v;

    switch (msg->type) {
    case TEST_OP_CONCAT:
        return concat(msg);
    case TEST_OP_INFO:
        return info(msg);
    case TEST_OP_PANIC:
        psa_panic();
    case TEST_OP_SYSCALL:
        return open("/etc/hostname", O_RDONLY) < 0 ? PSA_ERROR_GENERIC_ERROR : PSA_SUCCESS;
    case TEST_OP_SLEEP:
        v = in_u64(msg);
        ts.tv_sec = (time_t)(v / 1000);
        ts.tv_nsec = (long)(v % 1000) * 1000000L;
        nanosleep(&ts, NULL);
        return PSA_SUCCESS;
    case TEST_OP_WRITE_PAST:
        psa_write(msg->handle, 0, big, msg->out_size[0] + 1);
        return PSA_SUCCESS;
    case TEST_OP_SEGV:
        /* an unmapped page, not NULL: UBSan would report a null write before the fault */
        *(volatile int *)(uintptr_t)(msg->in_size[3] + 0x1000) = 1;
        return PSA_SUCCESS;
    case TEST_OP_SIGBUS:
        bus_error();
        return PSA_ERROR_GENERIC_ERROR;
    case TEST_OP_SIGILL:
        __builtin_trap();
    case TEST_OP_ABORT:
        abort();
    case TEST_OP_EXIT:
        exit(0);
    case TEST_OP_SYSTEM_RESET:
        tfm_hal_system_reset(TFM_PLAT_SWSYN_DEFAULT);
    case TEST_OP_MM_ECHO:
        return mm_echo(msg);
    case TEST_OP_MM_MISUSE:
        return mm_misuse(msg);
    case TEST_OP_SET_RHANDLE:
        psa_set_rhandle(msg->handle, (void *)(uintptr_t)in_u64(msg));
        return PSA_SUCCESS;
    case TEST_OP_STATUS:
        return (psa_status_t)(int32_t)in_u64(msg);
    case TEST_OP_REFUSE_NEXT:
        refuse_next = (int32_t)in_u64(msg);
        return PSA_SUCCESS;
    case TEST_OP_PEER:
        return peer(msg, PEER_OP_ECHO, 0);
    case TEST_OP_PEER_BIG:
        return peer_big(msg);
    case TEST_OP_PEER_OP: {
        int32_t type = -1;

        if (msg->in_size[0] != sizeof(type))
            return PSA_ERROR_INVALID_ARGUMENT;
        psa_read(msg->handle, 0, &type, sizeof(type));
        return peer(msg, type, 1);
    }
    case TEST_OP_NOTIFY:
        return notify(msg);
    case TEST_OP_WAIT:
        return wait_signals(msg);
    case TEST_OP_CLEAR:
        psa_clear();
        return PSA_SUCCESS;
    case TEST_OP_STACK_OVERFLOW:
        return deep(NULL);
    case TEST_OP_SIGFPE:
        return crash_divide(7, (int)msg->in_size[3]);
    case TEST_OP_SEGV_DEEP:
        crash_middle(msg->in_size[3]);
        return PSA_SUCCESS;
    case TEST_OP_LYING_REPORT:
        lying_report((uint32_t)in_u64(msg));
        abort();
    case TEST_OP_READ_BAD:
        psa_read(msg->handle, 0, (void *)(uintptr_t)(msg->in_size[3] + 0x1000), msg->in_size[0]);
        return PSA_SUCCESS;
    case TEST_OP_OTP: { /* this partition is not granted the OTP */
        uint32_t id = 0;
        uint8_t out[64];

        psa_read(msg->handle, 0, &id, sizeof(id));
        return (psa_status_t)tfm_plat_otp_read((enum tfm_otp_element_id_t)id, sizeof(out), out);
    }
    case TEST_OP_LIFECYCLE: {
        uint32_t lc = psa_rot_lifecycle_state();

        psa_write(msg->handle, 0, &lc, sizeof(lc));
        return PSA_SUCCESS;
    }
    case TEST_OP_MALLOC:
        return test_malloc(msg);
    case TEST_OP_BAD_VECTOR:
        return bad_vector(msg);
    case TEST_OP_MMAP:
        return test_mmap(msg);
    case TEST_OP_READ32:
    case TEST_OP_WRITE32: {
        uint32_t acc[2] = {0, 0}; /* address, value */

        psa_read(msg->handle, 0, acc, sizeof(acc));
        if (msg->type == TEST_OP_WRITE32) {
            *(volatile uint32_t *)(uintptr_t)acc[0] = acc[1];
            return PSA_SUCCESS;
        }
        acc[1] = *(volatile uint32_t *)(uintptr_t)acc[0];
        psa_write(msg->handle, 0, &acc[1], sizeof(acc[1]));
        return PSA_SUCCESS;
    }
    case TEST_OP_FREE_ALL:
        for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
            free(kept[i]);
            kept[i] = NULL;
        }
        return PSA_SUCCESS;
    case TEST_OP_UNDECLARED:
        return psa_connect(0x105, 1); /* the echo service: not a dependency */
    case TEST_OP_BAD_HANDLE:
        return psa_call(12345, PSA_IPC_CALL, NULL, 0, NULL, 0);
    case TEST_OP_HOLD_DISCONNECT:
        hold_disconnect = true;
        return PSA_SUCCESS;
    case TEST_OP_HELD: {
        uint32_t zero = 0;

        if (msg->out_size[0] >= sizeof(zero))
            psa_write(msg->handle, 0, &zero, sizeof(zero));
        return PSA_SUCCESS;
    }
    case TEST_OP_RELEASE:
        return PSA_ERROR_BAD_STATE; /* no DISCONNECT is held */
    case TEST_OP_PEER_VERSION: {
        uint32_t versions[2] = {psa_version(PARTIX_TEST_PEER_SID), psa_version(0x105)};

        psa_write(msg->handle, 0, versions, sizeof(versions));
        return PSA_SUCCESS;
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* A held DISCONNECT: only the stateless service is served, TEST_OP_HELD
 * answered 1, until TEST_OP_RELEASE (then the DISCONNECT is answered). */
static void hold(void)
{
    for (;;) {
        psa_msg_t m;
        uint32_t one = 1;

        psa_wait(PARTIX_TEST_STATELESS_SIGNAL, PSA_BLOCK);
        if (psa_get(PARTIX_TEST_STATELESS_SIGNAL, &m) != PSA_SUCCESS)
            continue;
        if (m.type == TEST_OP_RELEASE) {
            psa_reply(m.handle, PSA_SUCCESS);
            return;
        }
        if (m.type == TEST_OP_HELD && m.out_size[0] >= sizeof(one))
            psa_write(m.handle, 0, &one, sizeof(one));
        psa_reply(m.handle, m.type == TEST_OP_HELD ? PSA_SUCCESS : PSA_ERROR_BAD_STATE);
    }
}

static void serve(psa_signal_t signal)
{
    psa_msg_t msg;
    psa_status_t st;

    /* a held DISCONNECT served the stateless service's messages since the
     * psa_wait() that named its signal: psa_get() of a signal no longer
     * asserted is a programmer error */
    if (!(psa_wait(signal, PSA_POLL) & signal) || psa_get(signal, &msg) != PSA_SUCCESS)
        return;
    switch (msg.type) {
    case PSA_IPC_CONNECT:
        st = refuse_next ? refuse_next : PSA_SUCCESS;
        refuse_next = 0;
        connects += st == PSA_SUCCESS;
        psa_reply(msg.handle, st);
        break;
    case PSA_IPC_DISCONNECT:
        disconnects++;
        disconnect_client_id = msg.client_id;
        if (hold_disconnect) {
            hold_disconnect = false;
            hold(); /* until TEST_OP_RELEASE */
        }
        psa_reply(msg.handle, PSA_SUCCESS);
        break;
    default:
        calls++;
        psa_reply(msg.handle, call(&msg));
        break;
    }
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void partix_test_main(void);
void partix_test_main(void)
{
    static const psa_signal_t signals[] = {
        PARTIX_TEST_STRICT_SIGNAL, PARTIX_TEST_RELAXED_SIGNAL, PARTIX_TEST_SECURE_ONLY_SIGNAL,
        PARTIX_TEST_STATELESS_SIGNAL, PARTIX_TEST_MM_IOVEC_SIGNAL};
    size_t i;

    LOG_INFFMT("test service up\n");
    for (;;) {
        /* a doorbell is left for TEST_OP_WAIT and TEST_OP_CLEAR: while it is
         * asserted psa_wait() returns at once, and messages must still come in */
        psa_signal_t got = psa_wait(PSA_WAIT_ANY, PSA_BLOCK);

        /* asked again before each: a held DISCONNECT (hold()) serves the
         * stateless service itself, whose bit in got may be stale by then
         * (psa_get on it would panic) */
        for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
            if ((got & signals[i]) && (psa_wait(signals[i], PSA_POLL) & signals[i]))
                serve(signals[i]);
    }
}

/*
 * direct.c - libpsa-client's side of the direct data path (chan.h): calls
 * on a connection psa-spm handed over with its area and doorbell go
 * straight to the partition.
 *
 * The vectors cross into the area by the kernel (pwritev, preadv on the
 * area's descriptor), so an unreadable input or an unwritable output is an
 * EFAULT turned into PSA_ERROR_PROGRAMMER_ERROR, never a crash, and no
 * probe runs before a call.  An output the caller cannot take is found
 * when it is copied out, after the service answered.  The wait for the
 * answer spins a little (the partition usually answers within a few
 * microseconds on another core) and then sleeps on the area's futex word.
 * While it sleeps, it looks at psa-spm every STALL_MS: a psa-spm that is
 * gone ends the call with PSA_ERROR_COMMUNICATION_FAILURE, and psa-spm's
 * watchdog learns that a call is taking long (C_STALL).  A call bigger than
 * the area's data goes through the connection's big data area (C_GROW),
 * which stays for its later large calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "chan.h"
#include "client_int.h"
#include "wire.h"

#define SLOTS 65536u   /* by the handle's low 16 bits */
#define SPIN_MAX 4096u /* pause instructions before sleeping, at most */
#define STALL_MS 200   /* a sleeping caller looks at psa-spm this often */

struct dconn {
    pthread_mutex_t mu;
    psa_handle_t handle; /* 0: not in use */
    struct chan_area *area;
    uint8_t *data;
    int fd, bell;
    uint32_t seq;
    uint32_t spin; /* the spin budget: halved when the answer came after sleeping */
    bool broken;
    /* the big data area of the connection's large calls (C_GROW), or -1 */
    int big_fd;
    uint64_t big_size;
    uint32_t big_gen;
};

static struct dconn **slots;
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned n_cpus;

/* Lets a connection's area, doorbell and big data area go. */
static void forget(struct dconn *d)
{
    munmap(d->area, CHAN_SIZE);
    close(d->fd);
    close(d->bell);
    if (d->big_fd >= 0)
        close(d->big_fd);
    d->big_fd = -1;
    d->handle = 0;
}

static struct dconn *lookup(psa_handle_t h)
{
    struct dconn **t = __atomic_load_n(&slots, __ATOMIC_ACQUIRE);

    if (t == NULL || h <= 0)
        return NULL;
    return __atomic_load_n(&t[(uint32_t)h & (SLOTS - 1)], __ATOMIC_ACQUIRE);
}

int partix_direct_add(psa_handle_t h, int fd, int bell)
{
    struct dconn *d;
    void *map;
    uint32_t k = (uint32_t)h & (SLOTS - 1);

    map = mmap(NULL, CHAN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return -1;
    pthread_mutex_lock(&table_mu);
    if (slots == NULL) {
        struct dconn **t = calloc(SLOTS, sizeof(*t));

        if (t == NULL) {
            pthread_mutex_unlock(&table_mu);
            munmap(map, CHAN_SIZE);
            return -1;
        }
        n_cpus = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
        __atomic_store_n(&slots, t, __ATOMIC_RELEASE);
    }
    d = slots[k];
    if (d == NULL) {
        /* never freed: a call racing a close finds it unused, not freed */
        d = calloc(1, sizeof(*d));
        if (d == NULL) {
            pthread_mutex_unlock(&table_mu);
            munmap(map, CHAN_SIZE);
            return -1;
        }
        pthread_mutex_init(&d->mu, NULL);
        __atomic_store_n(&slots[k], d, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&table_mu);
    pthread_mutex_lock(&d->mu);
    if (d->handle != 0) /* a stale one of the same index: its connection is over */
        forget(d);
    d->area = map;
    d->data = (uint8_t *)map + CHAN_HEAD;
    d->fd = fd;
    d->bell = bell;
    d->seq = __atomic_load_n(&d->area->req_seq, __ATOMIC_ACQUIRE);
    d->spin = n_cpus > 1 ? SPIN_MAX / 4 : 0;
    d->broken = false;
    d->big_fd = -1;
    d->big_size = 0;
    d->handle = h;
    pthread_mutex_unlock(&d->mu);
    return 0;
}

void partix_direct_remove(psa_handle_t h)
{
    struct dconn *d = lookup(h);

    if (d == NULL)
        return;
    pthread_mutex_lock(&d->mu);
    if (d->handle == h)
        forget(d);
    pthread_mutex_unlock(&d->mu);
}

void partix_direct_forget_all(void)
{
    uint32_t k;

    if (slots == NULL)
        return;
    for (k = 0; k < SLOTS; k++) {
        struct dconn *d = slots[k];

        if (d == NULL || d->handle == 0)
            continue;
        /* the child of a fork: the mutex may be held by a thread that is
         * not here; the connection is the parent's */
        pthread_mutex_init(&d->mu, NULL);
        forget(d);
    }
}

static void wake_me_when(const uint32_t *word, uint32_t old, int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    syscall(SYS_futex, word, FUTEX_WAIT, old, &ts, NULL, 0);
}

/* Waits until the partition (or psa-spm for it) answered request @p seq. */
static psa_status_t wait_answer(struct dconn *d, uint32_t seq)
{
    struct chan_area *a = d->area;
    uint32_t i, v;

    for (i = 0; i < d->spin; i++) {
        if (__atomic_load_n(&a->done_seq, __ATOMIC_ACQUIRE) == seq) {
            if (d->spin < SPIN_MAX)
                d->spin *= 2;
            return PSA_SUCCESS;
        }
        __builtin_ia32_pause();
    }
    __atomic_store_n(&a->client_waiting, 1, __ATOMIC_SEQ_CST);
    while ((v = __atomic_load_n(&a->done_seq, __ATOMIC_SEQ_CST)) != seq) {
        psa_status_t st;

        wake_me_when(&a->done_seq, v, STALL_MS);
        if (__atomic_load_n(&a->done_seq, __ATOMIC_SEQ_CST) == seq)
            break;
        st = partix_direct_stall(d->handle);
        if (st != PSA_SUCCESS) {
            /* psa-spm is gone, or is another one that does not know the
             * handle: the connection is over, as through psa-spm */
            __atomic_store_n(&a->client_waiting, 0, __ATOMIC_RELAXED);
            a->gone_status = PSA_ERROR_COMMUNICATION_FAILURE;
            __atomic_or_fetch(&a->flags, CHAN_GONE, __ATOMIC_SEQ_CST);
            return PSA_ERROR_COMMUNICATION_FAILURE;
        }
    }
    __atomic_store_n(&a->client_waiting, 0, __ATOMIC_RELAXED);
    if (n_cpus > 1)
        d->spin = d->spin > 16 ? d->spin / 2 : 16;
    return PSA_SUCCESS;
}

/* A big data area of at least @p need bytes for @p d (locked): 0, or -1
 * (the call goes through psa-spm). */
static int grow(struct dconn *d, uint64_t need)
{
    uint64_t size = d->big_size * 2;
    int fd;

    if (need <= d->big_size)
        return 0;
    if (size < need)
        size = (need + 0xffffu) & ~(uint64_t)0xffffu;
    if (size > WIRE_MAX_PAYLOAD)
        size = WIRE_MAX_PAYLOAD;
    fd = memfd_create("psa-area", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)size) < 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0 ||
        partix_direct_grow(d->handle, fd, size, d->big_gen + 1) != PSA_SUCCESS) {
        close(fd);
        return -1;
    }
    if (d->big_fd >= 0)
        close(d->big_fd);
    d->big_fd = fd;
    d->big_size = size;
    d->big_gen++;
    return 0;
}

/* Rings the partition; 0, or -1 if the doorbell is unusable. */
static int ring(int bell)
{
    static const uint64_t one = 1;
    ssize_t n;

    for (;;) {
        n = write(bell, &one, sizeof(one));
        if (n == (ssize_t)sizeof(one))
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) { /* its counter is full: only this client did that */
            struct pollfd p = {bell, POLLOUT, 0};

            if (poll(&p, 1, STALL_MS) >= 0)
                continue;
        }
        return -1;
    }
}

psa_status_t partix_direct_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec,
                                size_t in_len, psa_outvec *out_vec, size_t out_len, bool *done)
{
    struct dconn *d = lookup(handle);
    struct iovec iov[PSA_MAX_IOVEC];
    uint32_t written[PSA_MAX_IOVEC];
    struct chan_area *a;
    uint64_t n_in = 0, n_out = 0, off;
    psa_status_t st;
    size_t i;
    int k = 0, fd;
    bool big;

    *done = false;
    if (d == NULL)
        return PSA_SUCCESS;
    for (i = 0; i < in_len; i++)
        n_in += in_vec[i].len;
    for (i = 0; i < out_len; i++)
        n_out += out_vec[i].len;
    big = n_in + n_out > CHAN_DATA_CAP;
    if (n_in + n_out > WIRE_MAX_PAYLOAD)
        return PSA_SUCCESS; /* psa-spm answers that */
    /* FF-M: a connection carries one call at a time; another thread's call
     * on it meanwhile is a programmer error, not a wait */
    if (pthread_mutex_trylock(&d->mu) != 0) {
        *done = d->handle == handle;
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    if (d->handle != handle) {
        pthread_mutex_unlock(&d->mu);
        return PSA_SUCCESS;
    }
    *done = true;
    a = d->area;
    if (d->broken) {
        st = PSA_ERROR_PROGRAMMER_ERROR;
        goto out;
    }
    if (__atomic_load_n(&a->flags, __ATOMIC_ACQUIRE) & CHAN_GONE) {
        st = a->gone_status;
        goto out;
    }
    /* a large call: its vectors in the connection's big data area */
    if (big && grow(d, n_in + n_out) < 0) {
        *done = false;
        pthread_mutex_unlock(&d->mu);
        return PSA_SUCCESS; /* through psa-spm */
    }
    fd = big ? d->big_fd : d->fd;
    for (i = 0; i < in_len; i++)
        if (in_vec[i].len > 0)
            iov[k++] = (struct iovec){(void *)(uintptr_t)in_vec[i].base, in_vec[i].len};
    if (k > 0 && pwritev(fd, iov, k, big ? 0 : CHAN_HEAD) != (ssize_t)n_in) {
        pthread_mutex_unlock(&d->mu);
        return PSA_ERROR_PROGRAMMER_ERROR; /* an input vector is not readable: never sent */
    }
    a->type = type;
    a->big = big;
    a->big_gen = d->big_gen;
    a->n_in = (uint32_t)in_len;
    a->n_out = (uint32_t)out_len;
    for (i = 0; i < PSA_MAX_IOVEC; i++) {
        a->in_len[i] = i < in_len ? (uint32_t)in_vec[i].len : 0;
        a->out_len[i] = i < out_len ? (uint32_t)out_vec[i].len : 0;
    }
    d->seq++;
    __atomic_store_n(&a->req_seq, d->seq, __ATOMIC_SEQ_CST);
    if (ring(d->bell) < 0) {
        st = PSA_ERROR_COMMUNICATION_FAILURE;
        goto out;
    }
    st = wait_answer(d, d->seq);
    if (st != PSA_SUCCESS)
        goto out;
    st = a->status;
    if (st == PSA_ERROR_PROGRAMMER_ERROR)
        d->broken = true; /* FF-M: the service terminated the connection */
    off = (big ? 0 : CHAN_HEAD) + n_in;
    for (i = 0; i < out_len; i++) {
        uint32_t w = a->written[i];

        written[i] = w;
        if (w > out_vec[i].len) {
            st = PSA_ERROR_COMMUNICATION_FAILURE; /* an answer that does not fit the call */
            goto out;
        }
        /* an unwritable output: the caller's programmer error, its vectors
         * left as they were (as when it is found before a call) */
        if (w > 0 && preadv(fd, &(struct iovec){out_vec[i].base, w}, 1, (off_t)off) != (ssize_t)w) {
            pthread_mutex_unlock(&d->mu);
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        off += out_vec[i].len;
    }
    for (i = 0; i < out_len; i++)
        out_vec[i].len = written[i];
    pthread_mutex_unlock(&d->mu);
    return st;
out:
    for (i = 0; i < out_len; i++)
        out_vec[i].len = 0;
    pthread_mutex_unlock(&d->mu);
    return st;
}

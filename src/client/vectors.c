/*
 * vectors.c - the client-side checks of psa_call's arguments.  The SPM
 * checks again what reaches it; these are the ones only the caller's address
 * space can answer.  Unreadable inputs are caught by the kernel when they
 * are sent (EFAULT); unwritable outputs are probed here, before the call,
 * so a call that would fail never reaches the service.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/uio.h>
#include <unistd.h>

#include "client_int.h"

static __thread int probe_pipe[2] = {-1, -1};

/* One byte through a pipe and back: read() into an unwritable page fails
 * with EFAULT, and the byte written back is the one that was there. */
static int probe_with_pipe(char *p)
{
    if (probe_pipe[0] < 0 && pipe2(probe_pipe, O_CLOEXEC) < 0)
        return 1; /* cannot tell: let the call through */
    if (write(probe_pipe[1], p, 1) != 1)
        return 0;
    return read(probe_pipe[0], p, 1) == 1;
}

/*
 * True unless the kernel says the range cannot be written.  Each page's
 * first byte is read and written back through process_vm_readv/writev on
 * ourselves; where a container's seccomp profile forbids those, through a
 * pipe.
 */
static int writable(void *base, size_t len)
{
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t p = (uintptr_t)base, end = p + len;

    if (len == 0)
        return 1;
    if (end < p)
        return 0;
    while (p < end) {
        char byte;
        struct iovec local = {&byte, 1}, remote = {(void *)p, 1};

        if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1 ||
            process_vm_writev(getpid(), &local, 1, &remote, 1, 0) != 1) {
            if (errno != ENOSYS && errno != EPERM)
                return 0;
            if (!probe_with_pipe((char *)p))
                return 0;
        }
        p = (p | (uintptr_t)(page - 1)) + 1;
    }
    return 1;
}

static int overlap(const psa_invec *a, const psa_invec *b)
{
    uintptr_t a0 = (uintptr_t)a->base, b0 = (uintptr_t)b->base;

    if (a->len == 0 || b->len == 0)
        return 0;
    return a0 < b0 + b->len && b0 < a0 + a->len;
}

psa_status_t partix_check_vectors(int32_t type, const psa_invec *in_vec, size_t in_len,
                                  const psa_outvec *out_vec, size_t out_len, bool probe)
{
    size_t i, j;

    if (type < 0 || type > INT16_MAX)
        return PSA_ERROR_PROGRAMMER_ERROR;
    if (in_len > PSA_MAX_IOVEC || out_len > PSA_MAX_IOVEC || in_len + out_len > PSA_MAX_IOVEC)
        return PSA_ERROR_PROGRAMMER_ERROR;
    if ((in_len > 0 && in_vec == NULL) || (out_len > 0 && out_vec == NULL))
        return PSA_ERROR_PROGRAMMER_ERROR;
    for (i = 0; i < in_len; i++) {
        if ((in_vec[i].base == NULL && in_vec[i].len > 0) || in_vec[i].len > UINT32_MAX)
            return PSA_ERROR_PROGRAMMER_ERROR;
        /* inputs must not overlap: a service may read them in any order */
        for (j = 0; j < i; j++)
            if (overlap(&in_vec[i], &in_vec[j]))
                return PSA_ERROR_PROGRAMMER_ERROR;
    }
    for (i = 0; i < out_len; i++) {
        if ((out_vec[i].base == NULL && out_vec[i].len > 0) || out_vec[i].len > UINT32_MAX ||
            (probe && !writable(out_vec[i].base, out_vec[i].len)))
            return PSA_ERROR_PROGRAMMER_ERROR;
    }
    return PSA_SUCCESS;
}

/*
 * memobj.c - the checks of a memory object a caller passes with a large
 * call (C_CALL with WIRE_CALL_MEMFD), made completely before any partition
 * sees it.  The partition maps it and writes its outputs there: a caller
 * that could shrink it would turn the partition's writes into SIGBUS, one
 * that sealed it against writing would make the mapping fail, and one
 * opened read-only could not be mapped for writing at all; each would
 * crash or panic the partition for what a client did.  F_SEAL_SEAL is
 * required too: without it the client could add F_SEAL_WRITE after this
 * check, before the partition maps the object.  A bad one is
 * reported to the core (fd_ok false), which answers the call with an error.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "spm.h"

bool shell_memobj_ok(int fd, const struct wire_vecs *v)
{
    uint64_t need = wire_vecs_in_total(v) + wire_vecs_out_total(v);
    struct stat st;
    int fl, seals;

    if (need == 0)
        return false;
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || (fl & O_ACCMODE) != O_RDWR)
        return false;
    /* the seals first: once it is sealed against resizing (seals are never
     * removed), the size read after is the size for good */
    seals = fcntl(fd, F_GET_SEALS);
    if (seals < 0 ||
        (seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) !=
            (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) ||
        (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0)
        return false;
    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size >= need;
}

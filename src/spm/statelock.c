/*
 * statelock.c - the state directory: its default, and one psa-spm per
 * directory.  Two daemons on one directory would each provision or read
 * the OTP, and start partitions that write the same storage files, each
 * trusting its own object table: an operator's typo away from corrupting
 * a device's state.  The lock is
 * flock(2) on <state-dir>/spm.lock, held by an open descriptor for the
 * holder's life, so the kernel releases it however the holder ends
 * (kill -9 included) and a stale file never locks anyone out.  The file
 * holds the holder's pid, for the message of whoever is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "paths.h"
#include "spm.h"

#define LOCK_FILE "spm.lock"

static int lock_fd = -1; /* held for the process's life */

int spm_state_lock(const char *state_dir, const char *who)
{
    char path[PATH_MAX], pid[24] = "";
    ssize_t n;
    int fd;

    if ((size_t)snprintf(path, sizeof(path), "%s/" LOCK_FILE, state_dir) >= sizeof(path)) {
        fprintf(stderr, "%s: state directory %s: path too long\n", who, state_dir);
        return -1;
    }
    if (partix_mkdir_p(state_dir, 0700) < 0 ||
        (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
        fprintf(stderr, "%s: state directory %s: %s\n", who, state_dir, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int err = errno;

        n = pread(fd, pid, sizeof(pid) - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        close(fd);
        if (err != EWOULDBLOCK) {
            fprintf(stderr, "%s: state directory %s: cannot lock %s: %s\n", who, state_dir, path,
                    strerror(err));
            return -1;
        }
        if (pid[0] != '\0' && strspn(pid, "0123456789") == strlen(pid))
            fprintf(stderr, "%s: state directory %s is in use by another psa-spm (pid %s)\n", who,
                    state_dir, pid);
        else
            fprintf(stderr, "%s: state directory %s is in use by another psa-spm\n", who,
                    state_dir);
        return -1;
    }
    /* ours: say who holds it; the descriptor stays open until exit */
    snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid))
        fprintf(stderr, "%s: warning: %s: cannot record the pid: %s\n", who, path, strerror(errno));
    lock_fd = fd;
    return 0;
}

void spm_state_lock_leave(void)
{
    /* a forked child's copy: closing it leaves the lock with the holder, and
     * the lock then ends with the holder, not with the child */
    if (lock_fd >= 0)
        close(lock_fd);
    lock_fd = -1;
}

/* $XDG_STATE_HOME/partix, else ~/.local/state/partix (created when used). */
int spm_default_state_dir(char *out, size_t size)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int n;

    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(out, size, "%s/partix", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(out, size, "%s/.local/state/partix", home);
    else
        return -1;
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/*
 * sandbox.h - confinement of a partition process, in two halves:
 *
 *   sandbox_setup()  in the SPM's child between fork and exec: session,
 *                    descriptors, identity, resource limits, parent death;
 *   sandbox_enter()  in the partition after exec, before its entry point:
 *                    no core dumps or ptrace, no new privileges, Landlock,
 *                    seccomp.
 *
 * Each step fails closed: an error ends the process.  The layers can be
 * chosen one by one so tests can run each against a control without it.
 */
#ifndef PARTIX_SANDBOX_H
#define PARTIX_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define SANDBOX_CHANNEL_FD 3 /* the partition's channel to the SPM */
#define SANDBOX_EXEC_FD 4    /* the executable (O_PATH, close-on-exec) until execveat */
#define SANDBOX_STORAGE_FD 5 /* a storage partition's own state directory */
#define SANDBOX_CRASH_FD 6 /* where its fault handler sends its crash report (psa-spm's monitor) */
#define SANDBOX_TPM_FD 7   /* the board's TPM, open, for the partition naming partix_tpm */

/* Layers of sandbox_enter(). */
#define SANDBOX_DUMPABLE 0x01u /* PR_SET_DUMPABLE 0 */
#define SANDBOX_NNP 0x02u      /* PR_SET_NO_NEW_PRIVS 1 */
#define SANDBOX_LANDLOCK 0x04u /* no file system access */
#define SANDBOX_SECCOMP 0x08u  /* the system call allowlist */
#define SANDBOX_ROOT 0x10u     /* the storage profile: its directory is its root */
#define SANDBOX_ALL 0x1fu

/*
 * Whether sandbox_setup() bounds the address space (RLIMIT_AS): not in a
 * build with AddressSanitizer, whose shadow memory alone reserves terabytes
 * of it.  Partitions and psa-spm are built alike, so psa-spm's build says.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_AS_BOUNDED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_AS_BOUNDED 0
#endif
#endif
#ifndef SANDBOX_AS_BOUNDED
#define SANDBOX_AS_BOUNDED 1
#endif

struct sandbox_setup_conf {
    int channel;          /* becomes SANDBOX_CHANNEL_FD; every other fd is closed */
    int exec_fd;          /* becomes SANDBOX_EXEC_FD, or -1: the file to execveat() once
                           * the uid is dropped, so its folders need not be searchable */
    int storage_fd;       /* becomes SANDBOX_STORAGE_FD (the storage profile), or -1 */
    int crash_fd;         /* becomes SANDBOX_CRASH_FD; 0 or -1: none */
    uint64_t core_limit;  /* RLIMIT_CORE in bytes: 0 but with psa-spm --core-dir */
    bool keep_stderr;     /* stderr stays the SPM's (a debugging tool's output, valgrind),
                           * and RLIMIT_FSIZE is not bounded (it may be a file) */
    int tpm_fd;           /* becomes SANDBOX_TPM_FD (the TPM's channel, docs/hrot.md), or -1;
                           * opened after every descriptor above, so its number is above
                           * theirs */
    uint64_t stack_limit; /* RLIMIT_STACK in bytes */
    uint64_t fsize_limit; /* RLIMIT_FSIZE in bytes: 0 but for the storage profile */
    uint64_t as_limit;    /* RLIMIT_AS in bytes (0: none); ignored unless SANDBOX_AS_BOUNDED */
    bool set_nice;        /* set the nice value below (before the uid is dropped) */
    int nice;             /* a value below the SPM's own needs CAP_SYS_NICE: without it
                           * the process keeps the SPM's */
    bool drop_uid;        /* running as root: become uid/gid below */
    uid_t uid;
    gid_t gid;
    pid_t parent; /* the SPM, for the parent-death re-check */
};

/*
 * Runs in the forked child before execve().  Returns 0, or -1 with errno
 * and *step naming the step that failed (the caller then _exits).
 */
int sandbox_setup(const struct sandbox_setup_conf *c, const char **step);

/* Called from the SIGSYS handler with the forbidden system call. */
typedef void (*sandbox_violation_fn)(int syscall_nr, uint32_t arch);

/*
 * Runs in the partition before its entry point.  @p layers selects the
 * layers (SANDBOX_ALL in production).  A forbidden system call then calls
 * @p report and kills the process with SIGSYS.  Returns 0, or -1 with errno
 * and *step naming what failed.  *landlock_abi is the kernel's Landlock ABI
 * (0: not available, then seccomp alone denies file access).
 *
 * @p storage_fd is -1, or the directory of the storage profile: it becomes
 * the process's root (in a user namespace of its own), Landlock then grants
 * reading, writing, creating and removing regular files beneath it (and
 * nothing else), and seccomp adds the file calls relative to it.  Without
 * Landlock or user namespaces the storage profile fails: seccomp cannot
 * keep a path beneath a directory.
 */
int sandbox_enter(unsigned layers, int storage_fd, sandbox_violation_fn report, int *landlock_abi,
                  const char **step);

/*
 * Before sandbox_enter(): lets the kernel write a core dump beneath
 * directory @p dirfd (opened O_PATH), which Landlock would refuse
 * (psa-spm --core-dir).  The partition's own calls still cannot open a
 * file there: seccomp allows no open outside the storage profile, whose
 * root is its own directory.
 */
void sandbox_allow_core(int dirfd);

/* The name of a system call number (x86-64), or NULL. */
const char *sandbox_syscall_name(int nr);

#endif /* PARTIX_SANDBOX_H */

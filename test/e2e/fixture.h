/*
 * fixture.h - a real psa-spm for a test: started on a private socket in a
 * fresh folder, ready when it says so (--ready-fd), its log in a file the
 * test can search, stopped with SIGTERM.
 */
#ifndef PARTIX_FIXTURE_H
#define PARTIX_FIXTURE_H

#include <stdbool.h>
#include <sys/types.h>

struct fixture {
    char dir[64];
    char socket[128];
    char state[128]; /* the daemon's --state-dir (a later --state-dir wins) */
    char log[128];
    pid_t pid;
};

/* Starts psa-spm ($PARTIX_SPM) on $PARTIX_TEST_LIST with extra arguments
 * (NULL-terminated); sets PSA_SPM_SOCKET.  0 once it is ready, else -1. */
int fixture_start(struct fixture *f, const char *const *extra);

/* SIGTERM, then waits; returns the daemon's exit status (or -1). */
int fixture_stop(struct fixture *f);
/*
 * Runs @p fn(@p arg) in a child process that is Linux user @p uid (group
 * likewise) from before its first call to the daemon, so the daemon sees a
 * second client user.  Returns fn's result (0..127; 125: could not change
 * user), -1 on failure, or -2 when this process is not root (skip the test).
 */
int fixture_run_as(struct fixture *f, uid_t uid, int (*fn)(void *), void *arg);

/* A cmocka teardown: stops the daemon a failed assertion left running (a
 * test that ends normally has stopped it already). */
int fixture_teardown(void **state);

/* Waits (up to 10 s) for a log line containing every one of the strings. */
bool fixture_log_has(struct fixture *f, const char *a, const char *b);

/* The pid of the partition named @p name, from the daemon's log. */
pid_t fixture_partition_pid(struct fixture *f, const char *name);

/* Waits (up to 10 s) until the log says partition @p name is ready in a
 * process other than @p old (after a fault); its new pid, or -1. */
pid_t fixture_restarted(struct fixture *f, const char *name, pid_t old);

#endif

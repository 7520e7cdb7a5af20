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
    pid_t pid;    /* psa-spm: its monitor, which holds the state directory */
    pid_t router; /* its router: the process that reads every datagram */
};

/* Starts psa-spm ($PARTIX_SPM) on $PARTIX_TEST_LIST with extra arguments
 * (NULL-terminated); sets PSA_SPM_SOCKET.  0 once it is ready, else -1. */
int fixture_start(struct fixture *f, const char *const *extra);

/* SIGTERM, then waits (up to 15 s, then SIGKILL: a daemon that hangs must
 * not hang the test); returns the daemon's exit status (or -1). */
int fixture_stop(struct fixture *f);

/* Whether the daemon still runs.  If it has died (a crash, a sanitizer's
 * report), reaps it, copies the end of its log to stderr and removes its
 * folder (kept with PARTIX_KEEP_LOGS): fixture_stop then returns -1. */
bool fixture_alive(struct fixture *f);

/*
 * Runs @p fn(@p arg) in a child process that is Linux user @p uid (group
 * likewise) from before its first call to the daemon, so the daemon sees a
 * second client user.  Returns fn's result (0..127; 125: could not change
 * user), -1 on failure, or -2 when this process is not root (skip the test).
 */
int fixture_run_as(struct fixture *f, uid_t uid, int (*fn)(void *), void *arg);

/* As fixture_run_as(), without waiting: the child's pid (its exit status is
 * fn's result), -1 on failure, or -2 when this process is not root. */
pid_t fixture_spawn_as(struct fixture *f, uid_t uid, int (*fn)(void *), void *arg);

/* A cmocka teardown: stops the daemon a failed assertion left running (a
 * test that ends normally has stopped it already). */
int fixture_teardown(void **state);

/* Waits (up to 10 s) for a log line containing every one of the strings.
 * This and fixture_restarted() give up at once if the daemon dies. */
bool fixture_log_has(struct fixture *f, const char *a, const char *b);

/* The number of log lines containing @p a (and @p b, unless NULL) now,
 * without waiting: for what must not be there, or not too often. */
int fixture_log_count(struct fixture *f, const char *a, const char *b);

/* The pid of the partition named @p name, from the daemon's log. */
pid_t fixture_partition_pid(struct fixture *f, const char *name);

/* Waits (up to 10 s) until the log says partition @p name is ready in a
 * process other than @p old (after a fault); its new pid, or -1. */
pid_t fixture_restarted(struct fixture *f, const char *name, pid_t old);

/* kill -9 of the daemon (its partitions die with it), reaped, its folder
 * removed (kept with PARTIX_KEEP_LOGS): a crash, not a stop.  0, or -1. */
int fixture_crash(struct fixture *f);

/* Makes a private folder /tmp/partix-e2e-TAG-XXXXXX in @p dir (a state
 * directory that outlives one daemon): 0, or -1. */
int fixture_dir_new(char *dir, size_t size, const char *tag);

/* Removes folder @p dir if set (kept with PARTIX_KEEP_LOGS) and clears it:
 * 0, or -1. */
int fixture_dir_remove(char *dir);

/* Runs a shell command made from @p fmt; its output (stdout and stderr) in
 * @p out; returns its exit status, or -1 if it did not exit. */
int fixture_sh(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Field @p field (1-based, field 3 is the state) of /proc/<pid>/stat, as
 * text in @p out; false if the process or the field is not there (the
 * command name, field 2, may hold spaces and is skipped whole). */
bool fixture_stat_field(pid_t pid, int field, char *out, size_t size);

/* Sets the router's soft RLIMIT_NOFILE to @p soft (as the router's own
 * uid): 0, or -1. */
int fixture_router_nofile(struct fixture *f, unsigned long soft);

/* The path of program @p name in psa-spm's folder ($PARTIX_SPM's). */
void fixture_beside_spm(char *out, size_t size, const char *name);

/* partix-ctl, beside psa-spm. */
const char *fixture_ctl(void);

#endif

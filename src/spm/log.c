/*
 * log.c - the daemon's log: one line per event on stderr, with a UTC
 * timestamp and the level.
 *
 * Repeats are rate-limited, so no client or partition can flood the log
 * (or the disk behind it) by doing one wrong thing in a loop: of lines of
 * one kind, SPM_LOG_BURST per second are written, the rest counted and
 * summed up in one "(... N similar lines suppressed)" line once the second
 * is over.  A kind is the format string of spm_log(), or for a ready-made
 * text (the core's, a device's) the text with its digits left out, so
 * "client process 12 ..." and "client process 13 ..." are alike.  Debug
 * lines are never suppressed: whoever asks for them wants every one.  The
 * summary names the kind: its format, or the first line it suppressed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "spm.h"

#define KINDS 64        /* kinds tracked at once */
#define WAYS 4          /* the slots a kind may take: its hash's and the next ones */
#define WINDOW_MS 1000L /* SPM_LOG_BURST lines of a kind per window */

enum spm_level spm_log_level = SPM_INFO;

static struct kind {
    uint64_t key; /* 0: unused */
    long start;   /* the window's start (ms) */
    unsigned lines;
    unsigned long suppressed;
    enum spm_level level;
    char what[96]; /* the kind, for the summary */
} kinds[KINDS];
static unsigned n_suppressing; /* kinds with lines suppressed: 0 on the hot path */

static void emit(enum spm_level level, const char *text)
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ psa-spm %s: %s\n", tm.tm_year + 1900,
            tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
            spm_level_name(level), text);
}

static void summary(struct kind *k)
{
    char line[160];

    if (k->suppressed == 0)
        return;
    snprintf(line, sizeof(line), "(... %lu similar lines suppressed: %s)", k->suppressed, k->what);
    emit(k->level, line);
    k->suppressed = 0;
    n_suppressing--;
}

/* The slot of kind @p key: its own, else a free one, else the one whose
 * window started first (its count is summed up now). */
static struct kind *kind_of(uint64_t key, long now)
{
    size_t at = (size_t)((key * 0x9e3779b97f4a7c15u) >> 58) % KINDS, i;
    struct kind *k, *free_one = NULL, *oldest = NULL;

    for (i = 0; i < WAYS; i++) {
        k = &kinds[(at + i) % KINDS];
        if (k->key == key)
            return k;
        if (k->key == 0 && free_one == NULL)
            free_one = k;
        else if (k->key != 0 && (oldest == NULL || k->start < oldest->start))
            oldest = k;
    }
    k = free_one != NULL ? free_one : oldest;
    summary(k);
    k->key = key;
    k->start = now;
    k->lines = 0;
    return k;
}

/* Whether a line of kind @p key (@p what) may be written now. */
static bool admit(enum spm_level level, uint64_t key, const char *what)
{
    struct kind *k;
    long now;

    if (level >= SPM_DEBUG)
        return true;
    now = spm_now_ms();
    k = kind_of(key, now);
    if (now - k->start >= WINDOW_MS) {
        summary(k); /* the kind's last window is over */
        k->start = now;
        k->lines = 0;
    }
    if (k->lines < SPM_LOG_BURST) {
        k->lines++;
        return true;
    }
    if (k->suppressed++ == 0) {
        snprintf(k->what, sizeof(k->what), "%s", what);
        n_suppressing++;
    }
    k->level = level;
    return false;
}

void spm_log(enum spm_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (level > spm_log_level || !admit(level, (uint64_t)(uintptr_t)fmt, fmt))
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    emit(level, line);
}

void spm_log_text(enum spm_level level, const char *text)
{
    uint64_t key = 1469598103934665603u; /* FNV-1a of the text without its digits */
    const char *s;

    if (level > spm_log_level)
        return;
    for (s = text; *s != '\0'; s++) {
        if (*s >= '0' && *s <= '9')
            continue;
        key = (key ^ (uint8_t)*s) * 1099511628211u;
    }
    if (admit(level, key | 1u, text))
        emit(level, text);
}

long spm_log_next_deadline(long now)
{
    long next = -1;
    size_t i;

    for (i = 0; n_suppressing > 0 && i < KINDS; i++) {
        long end = kinds[i].start + WINDOW_MS;

        if (kinds[i].suppressed > 0 && (next < 0 || end < next))
            next = end;
    }
    return next < 0 ? -1 : (next > now ? next - now : 0);
}

void spm_log_flush(long now)
{
    size_t i;

    for (i = 0; n_suppressing > 0 && i < KINDS; i++) {
        if (kinds[i].suppressed > 0 && now - kinds[i].start >= WINDOW_MS) {
            summary(&kinds[i]);
            kinds[i].key = 0;
        }
    }
}

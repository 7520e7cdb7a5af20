/*
 * log.c - the daemon's log: one line per event on stderr, with a UTC
 * timestamp and the level.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "spm.h"

enum spm_level spm_log_level = SPM_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

int spm_parse_level(const char *s, enum spm_level *out)
{
    int i;

    for (i = 0; i < 4; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum spm_level)i;
            return 0;
        }
    }
    return -1;
}

void spm_log(enum spm_level level, const char *fmt, ...)
{
    char line[1024];
    struct timespec ts;
    struct tm tm;
    va_list ap;

    if (level > spm_log_level)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ psa-spm %s: %s\n", tm.tm_year + 1900,
            tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
            level_names[level], line);
}

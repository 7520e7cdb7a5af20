/*
 * log.c - a partition's log lines to the SPM: partix_log (tfm_sp_log.h),
 * tfm_log_unpriv (tfm_log_unpriv.h), and the lines the partition's stdout
 * and stderr become (stdio.c).
 *
 * The log macros pass their call site: a format with a conversion outside
 * the subset that every TF-M partition log formatter prints (2.1 LTS's and
 * tfm_vprintf from 2.2 on) is reported once per call site, as a board would
 * print "[Unsupported]" in its place.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "runtime.h"
#include "tfm_log_unpriv.h"
#include "tfm_sp_log.h"

#define RT_MAX_WARNED 64

static const char *warned[RT_MAX_WARNED]; /* formats already reported */
static size_t n_warned;

struct rt_line rt_unpriv_line = {.level = WIRE_LOG_INFO};
struct rt_line rt_stdout_line = {.level = WIRE_LOG_INFO};
struct rt_line rt_stderr_line = {.level = WIRE_LOG_ERROR};

static void send_text(int level, const char *text)
{
    struct wire_msg m;

    if (level > rt.log_level)
        return;
    m.type = WIRE_P_LOG;
    m.seq = 0;
    m.u.text.level = (uint8_t)level;
    snprintf(m.u.text.text, sizeof(m.u.text.text), "%s", text);
    rt_send(&m, -1);
}

void rt_line_flush(struct rt_line *l)
{
    if (l->len == 0)
        return;
    l->buf[l->len] = '\0';
    send_text(l->level, l->buf);
    l->len = 0;
}

void rt_line_put(struct rt_line *l, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] == '\n') {
            rt_line_flush(l);
            continue;
        }
        if (s[i] == '\r')
            continue;
        if (l->len == sizeof(l->buf) - 1)
            rt_line_flush(l); /* too long for one line: the rest on the next */
        l->buf[l->len++] = s[i];
    }
}

void rt_log_flush(void)
{
    if (rt.stdio) {
        fflush(stdout);
        fflush(stderr);
    }
    rt_line_flush(&rt_stdout_line);
    rt_line_flush(&rt_stderr_line);
    rt_line_flush(&rt_unpriv_line);
}

/* The first conversion of @p fmt that TF-M cannot print, copied into
 * @p spec; NULL if there is none. */
static const char *unportable(const char *fmt, char *spec, size_t size)
{
    const char *p = fmt, *start;

    while ((p = strchr(p, '%')) != NULL) {
        start = p++;
        if (*p == '%') {
            p++;
            continue;
        }
        if (*p == '0')
            p++;
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p == 'l')
            p++;
        if (*p != '\0' && strchr("diuxXs", *p) != NULL) {
            p++;
            continue;
        }
        /* flags, '*', a precision, other lengths or conversions: up to the
         * conversion letter, for the message */
        while (*p != '\0' && strchr("diouxXscpfFeEgGaAn%", *p) == NULL)
            p++;
        snprintf(spec, size, "%.*s", (int)(p - start + (*p != '\0')), start);
        return start;
    }
    return NULL;
}

/* Reports, once per format, a conversion TF-M cannot print. */
static void check_format(const char *file, int line, const char *fmt)
{
    char spec[32];
    char text[WIRE_MAX_LOG];
    size_t i;

    if (unportable(fmt, spec, sizeof(spec)) == NULL)
        return;
    for (i = 0; i < n_warned; i++)
        if (warned[i] == fmt)
            return;
    if (n_warned == RT_MAX_WARNED)
        return;
    warned[n_warned++] = fmt;
    snprintf(text, sizeof(text),
             "warning: %s:%d: the log conversion \"%s\" is not one TF-M's partition log "
             "prints (%%d %%i %%u %%x %%X %%s, a '0' and a width, 'l'): a board shows "
             "\"[Unsupported]\" or a wrong value",
             file != NULL ? file : "?", line, spec);
    send_text(WIRE_LOG_INFO, text);
}

static int vlog(int level, const char *fmt, va_list ap)
{
    char text[WIRE_MAX_LOG];
    size_t n;
    int r;

    r = vsnprintf(text, sizeof(text), fmt, ap);
    if (level > rt.log_level)
        return r;
    n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    send_text(level, text);
    return r;
}

int partix_log(int level, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vlog(level, fmt, ap);
    va_end(ap);
    return r;
}

int partix_log_at(const char *file, int line, int level, const char *fmt, ...)
{
    va_list ap;
    int r;

    rt_stack_mark();
    check_format(file, line, fmt);
    va_start(ap, fmt);
    r = vlog(level, fmt, ap);
    va_end(ap);
    return r;
}

/* TF-M's marker (the first byte of the format): its level in the SPM's
 * log and the tag TF-M prints, or -1 for LOG_MARKER_RAW. */
static int marker_level(unsigned char marker, const char **tag)
{
    *tag = "";
    switch (marker) {
    case 10:
        return WIRE_LOG_ERROR;
    case 20:
        *tag = "[NOT] ";
        return WIRE_LOG_INFO;
    case 30:
        *tag = "[WRN] ";
        return WIRE_LOG_INFO;
    case 40:
        return WIRE_LOG_INFO;
    case 50:
        return WIRE_LOG_DEBUG;
    default:
        return -1;
    }
}

static void vlog_unpriv(const char *file, int line, const char *fmt, va_list ap)
{
    char text[WIRE_MAX_LOG];
    const char *tag;
    int level = marker_level((unsigned char)fmt[0], &tag);
    int n;

    if (fmt[0] != '\0')
        fmt++; /* the marker (TF-M requires one; a raw line without) */
    check_format(file, line, fmt);
    if (level >= 0) { /* a new line; LOG_MARKER_RAW continues the current one */
        rt_line_flush(&rt_unpriv_line);
        rt_unpriv_line.level = (uint8_t)level;
        rt_line_put(&rt_unpriv_line, tag, strlen(tag));
    }
    n = vsnprintf(text, sizeof(text), fmt, ap);
    if (n > 0)
        rt_line_put(&rt_unpriv_line, text, strlen(text));
}

void tfm_log_unpriv(const char *fmt, ...)
{
    va_list ap;

    rt_stack_mark();
    va_start(ap, fmt);
    vlog_unpriv(NULL, 0, fmt, ap);
    va_end(ap);
}

void partix_log_unpriv_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    rt_stack_mark();
    va_start(ap, fmt);
    vlog_unpriv(file, line, fmt, ap);
    va_end(ap);
}

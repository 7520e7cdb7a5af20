/*
 * stdio.c - a partition's stdout and stderr are log streams, and a failed
 * assert() is a panic that says which.
 *
 * A partition has no terminal: fd 1 and 2 are closed, and glibc's first
 * write to a stream it opened on them asks the kernel whether it is a
 * terminal (an ioctl), which the seccomp filter rightly kills for.  So the
 * runtime points stdout and stderr at fopencookie() streams with no file
 * descriptor (glibc then asks nothing) and static line buffers (no heap,
 * no 8 KiB stack buffer of an unbuffered stream); each line written to
 * them reaches the SPM's log tagged with the partition's name, stdout's as
 * info, stderr's (perror) as errors.  The sandbox stays as strict as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include "runtime.h"

static char out_buf[256], err_buf[256];

static ssize_t line_write(void *cookie, const char *buf, size_t n)
{
    rt_line_put(cookie, buf, n);
    return (ssize_t)n;
}

void rt_stdio_init(void)
{
    cookie_io_functions_t io = {.write = line_write};
    FILE *out = fopencookie(&rt_stdout_line, "w", io);
    FILE *err = fopencookie(&rt_stderr_line, "w", io);

    if (out == NULL || err == NULL)
        rt_panic("cannot make stdout and stderr log streams");
    setvbuf(out, out_buf, _IOLBF, sizeof(out_buf));
    setvbuf(err, err_buf, _IOLBF, sizeof(err_buf));
    stdout = out;
    stderr = err;
    rt.stdio = true;
}

/* glibc's assert() calls this; glibc's own formats with malloc (which the
 * manifest's heap_size may refuse) and then aborts. */
void __assert_fail(const char *assertion, const char *file, unsigned int line,
                   const char *function);

void __assert_fail(const char *assertion, const char *file, unsigned int line, const char *function)
{
    rt_log_flush();
    rt_panic("%s:%u: %s: assertion \"%s\" failed", file, line, function, assertion);
}

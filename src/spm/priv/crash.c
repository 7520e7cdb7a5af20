/*
 * crash.c - the monitor's half of a partition's crash report
 * (crash_report.h): the partition's fault handler sends what it saw on its
 * crash socket; once the monitor has reaped the process (and told the
 * router, so its callers have their answer), it forks a symbolizer and
 * goes back to serving the router (a restart does not wait).  The
 * symbolizer reads that one datagram, opens the files it needs, gives up
 * psa-spm's identity (the router's account when psa-spm runs as root, no
 * new privileges), unwinds the copy of the stack with elfutils' libdw (the
 * CFI of the partition's own executable and of the system's libraries, so
 * frames without a frame pointer unwind too), symbolizes every frame
 * (function, file and line where debug information exists), and writes it
 * to the log and to <state-dir>/crashes/<partition>-<pid>.txt.
 *
 * The report comes from a process that just crashed, or that lies: every
 * count is checked, a module's file is opened only if it is a root-owned
 * regular file under /lib or /usr/lib (the executable is the monitor's own
 * path to it, never the report's), and memory reads come from the copy
 * alone.  libdw reads files only: DEBUGINFOD_URLS is cleared so no crash
 * makes psa-spm fetch anything.  The partition never loads libdw.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crash_report.h"
#include "paths.h"
#include "psa/service.h"
#include "spm.h"

#define MAX_FRAMES 64
#define LOG_FRAMES 24 /* the log's share; the crash file has them all */

static struct crash_report rep; /* one at a time, in the monitor */

/* The text of a report, line by line, for the log and the file. */
static struct {
    char buf[32768];
    size_t len;
} out;

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
    va_list ap;
    int n;

    if (out.len >= sizeof(out.buf) - 1)
        return;
    va_start(ap, fmt);
    n = vsnprintf(out.buf + out.len, sizeof(out.buf) - out.len - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    out.len +=
        (size_t)n < sizeof(out.buf) - out.len - 1 ? (size_t)n : sizeof(out.buf) - out.len - 1;
    out.buf[out.len++] = '\n';
    out.buf[out.len] = '\0';
}

int spm_crash_socket(int *child_end)
{
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return -1;
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    *child_end = sv[1];
    return sv[0];
}

/* ---- unwinding the stack copy ---- */

/* x86-64: the ucontext gregs index of each DWARF register 0..16 (rax, rdx,
 * rcx, rbx, rsi, rdi, rbp, rsp, r8..r15, rip). */
static const int dwarf_to_greg[17] = {13, 12, 14, 11, 9, 8, 10, 15, 0, 1, 2, 3, 4, 5, 6, 7, 16};
static const char *const greg_names[CRASH_NREGS] = {
    "r8",  "r9",  "r10", "r11", "r12", "r13",    "r14",    "r15", "rdi",    "rsi",     "rbp", "rbx",
    "rdx", "rax", "rcx", "rsp", "rip", "eflags", "csgsfs", "err", "trapno", "oldmask", "cr2"};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
    (void)dwfl;
    if (*thread_argp != NULL)
        return 0;
    *thread_argp = arg;
    return 1;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
    (void)dwfl;
    (void)arg;
    if (addr < rep.stack_lo || addr + sizeof(*result) < addr ||
        addr + sizeof(*result) > rep.stack_lo + rep.stack_len)
        return false;
    memcpy(result, rep.stack + (addr - rep.stack_lo), sizeof(*result));
    return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
    Dwarf_Word regs[17];
    int i;

    (void)arg;
    for (i = 0; i < 17; i++)
        regs[i] = rep.regs[dwarf_to_greg[i]];
    return dwfl_thread_state_registers(thread, 0, 17, regs);
}

static const Dwfl_Thread_Callbacks thread_cb = {
    .next_thread = next_thread,
    .memory_read = memory_read,
    .set_initial_registers = set_initial_registers,
};

struct frames {
    Dwarf_Addr pc[MAX_FRAMES];
    bool activation[MAX_FRAMES]; /* the faulting pc itself, not a return address */
    int n;
};

static int on_frame(Dwfl_Frame *state, void *arg)
{
    struct frames *f = arg;
    Dwarf_Addr pc;
    bool act;

    if (f->n == MAX_FRAMES || !dwfl_frame_pc(state, &pc, &act) || pc == 0)
        return DWARF_CB_ABORT;
    f->pc[f->n] = pc;
    f->activation[f->n] = act;
    f->n++;
    return DWARF_CB_OK;
}

/* ---- symbolizing ---- */

/* Whether the monitor may open @p path, a library the report names. */
static bool system_library(const char *path)
{
    struct stat st;

    if ((strncmp(path, "/lib/", 5) != 0 && strncmp(path, "/usr/lib/", 9) != 0 &&
         strncmp(path, "/lib64/", 7) != 0) ||
        strstr(path, "/../") != NULL || strstr(path, "/./") != NULL)
        return false;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 && !(st.st_mode & S_IWOTH);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');

    return s != NULL ? s + 1 : p;
}

/* The files of the report's modules, opened before the symbolizer gives
 * up psa-spm's identity: the executable by the monitor's own path to it,
 * a library only if system_library() says so; -1 for the others. */
static void open_modules(const char *exe, int *fds)
{
    uint32_t i;

    for (i = 0; i < rep.n_modules; i++) {
        fds[i] = -1;
        if (i == 0 && exe[0] != '\0')
            fds[i] = open(exe, O_RDONLY | O_CLOEXEC);
        else if (i > 0 && system_library(rep.modules[i].path))
            fds[i] = open(rep.modules[i].path, O_RDONLY | O_CLOEXEC);
    }
}

/* A session of libdw over the modules @p fds holds (consumed). */
static Dwfl *report_modules(const char *exe, const int *fds)
{
    static char *debuginfo_path = NULL;
    static const Dwfl_Callbacks cb = {
        .find_elf = dwfl_build_id_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
        .debuginfo_path = &debuginfo_path,
    };
    Dwfl *dwfl = dwfl_begin(&cb);
    uint32_t i;

    for (i = 0; i < rep.n_modules; i++) {
        const struct crash_module *m = &rep.modules[i];
        const char *path = i == 0 ? exe : m->path;

        if (fds[i] < 0)
            continue;
        if (dwfl == NULL ||
            dwfl_report_elf(dwfl, base_name(path), path, fds[i], m->bias, true) == NULL)
            close(fds[i]); /* on success libdw owns it */
    }
    if (dwfl != NULL)
        dwfl_report_end(dwfl, NULL, NULL);
    return dwfl;
}

/* The module of the report that holds @p pc, for a frame libdw could not name. */
static const struct crash_module *module_at(uint64_t pc)
{
    uint32_t i;

    for (i = 0; i < rep.n_modules; i++)
        if (pc >= rep.modules[i].lo && pc < rep.modules[i].hi)
            return &rep.modules[i];
    return NULL;
}

/* The innermost function inlined at @p pc of @p mod, or NULL (not inlined,
 * or no debug information): the symbol table names only the outer one. */
static const char *inlined_at(Dwfl_Module *mod, Dwarf_Addr pc)
{
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = dwfl_module_addrdie(mod, pc, &bias), *scopes = NULL;
    const char *name = NULL;
    int n, i;

    if (cu == NULL || (n = dwarf_getscopes(cu, pc - bias, &scopes)) <= 0)
        return NULL;
    for (i = 0; i < n; i++) {
        int tag = dwarf_tag(&scopes[i]);

        if (tag == DW_TAG_subprogram)
            break;
        if (tag == DW_TAG_inlined_subroutine) {
            Dwarf_Attribute a;
            Dwarf_Die origin;

            if (dwarf_attr_integrate(&scopes[i], DW_AT_abstract_origin, &a) != NULL &&
                dwarf_formref_die(&a, &origin) != NULL)
                name = dwarf_diename(&origin);
            break;
        }
    }
    free(scopes);
    return name;
}

/* Whether the fault is inside an FF-M call: decided at the innermost frame
 * of the executable (libc's frames above it are the call's too). */
struct ffm {
    bool decided;
    const char *call; /* the function's name, or NULL: in the partition's own code */
};

static void ffm_decide(struct ffm *f, const char *sym, const char *inl, const char *file)
{
    bool runtime = (file != NULL && strstr(file, "src/runtime/") != NULL &&
                    strstr(file, "src/runtime/stack.c") == NULL) ||
                   (sym != NULL && strncmp(sym, "psa_", 4) == 0) ||
                   (inl != NULL && strncmp(inl, "psa_", 4) == 0);

    f->decided = true;
    if (!runtime)
        return;
    /* the runtime's public functions say which they are (rt_stack_mark):
     * a tail call leaves no frame of its own */
    if (rep.api[0] != '\0')
        f->call = rep.api;
    else
        f->call = inl != NULL ? inl : sym;
}

/* One frame's line: "#N 0xPC function+0xOFF (file:line) in module". */
static void put_frame(Dwfl *dwfl, int n, Dwarf_Addr pc, bool activation, const char *exe,
                      struct ffm *ffm)
{
    Dwarf_Addr look = activation ? pc : pc - 1; /* a return address is past its call */
    Dwfl_Module *mod = dwfl != NULL ? dwfl_addrmodule(dwfl, look) : NULL;
    const struct crash_module *cm = module_at(pc);
    const char *sym = NULL, *file = NULL, *mname = NULL, *inl = NULL;
    GElf_Off off = 0;
    GElf_Sym s;
    int line = 0;
    char where[PATH_MAX + 32] = "";

    if (mod != NULL) {
        Dwfl_Line *l = dwfl_module_getsrc(mod, look);

        sym = dwfl_module_addrinfo(mod, look, &off, &s, NULL, NULL, NULL);
        mname = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        if (l != NULL)
            file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
        inl = inlined_at(mod, look);
        if (activation == false && sym != NULL)
            off++; /* the offset of the return address itself */
    }
    if (mname == NULL && cm != NULL)
        mname = cm == &rep.modules[0] ? base_name(exe) : base_name(cm->path);
    if (file != NULL)
        snprintf(where, sizeof(where), " (%s:%d)", file, line);
    if (!ffm->decided && cm == &rep.modules[0])
        ffm_decide(ffm, sym, inl, file);
    if (sym != NULL) {
        if (inl != NULL)
            put("  #%-2d 0x%016llx %s (inlined into %s+0x%llx)%s in %s", n, (unsigned long long)pc,
                inl, sym, (unsigned long long)off, where, mname ? mname : "?");
        else
            put("  #%-2d 0x%016llx %s+0x%llx%s in %s", n, (unsigned long long)pc, sym,
                (unsigned long long)off, where, mname ? mname : "?");
    } else if (cm != NULL) {
        put("  #%-2d 0x%016llx %s+0x%llx%s", n, (unsigned long long)pc, mname ? mname : "?",
            (unsigned long long)(pc - cm->bias), where);
    } else {
        put("  #%-2d 0x%016llx ?", n, (unsigned long long)pc);
    }
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGILL:
        return "SIGILL";
    case SIGFPE:
        return "SIGFPE";
    case SIGABRT:
        return "SIGABRT";
    case SIGTRAP:
        return "SIGTRAP";
    default:
        return "a signal";
    }
}

static const char *msg_type_name(int32_t type, char *buf, size_t size)
{
    if (type == PSA_IPC_CONNECT)
        return "CONNECT";
    if (type == PSA_IPC_DISCONNECT)
        return "DISCONNECT";
    snprintf(buf, size, "call type %d", (int)type);
    return buf;
}

static void put_registers(void)
{
    char line[160];
    size_t n = 0;
    uint32_t i;

    for (i = 0; i < rep.n_regs && i < CRASH_NREGS; i++) {
        if (i == 21)
            continue; /* oldmask: not a register */
        n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=0x%llx", greg_names[i],
                              (unsigned long long)rep.regs[i]);
        if (n > 100 || i + 1 == rep.n_regs) {
            put("  registers:%s", line);
            n = 0;
        }
    }
}

static void put_messages(void)
{
    uint32_t i;
    char tb[32];

    if (rep.n_msgs == 0) {
        put("  message: none taken (not handling a message)");
        return;
    }
    for (i = 0; i < rep.n_msgs && i < CRASH_MAX_MSGS; i++) {
        const struct crash_msg *m = &rep.msgs[i];

        put("  message: handle %d, %s, service SID 0x%08x, client id %d, in_size [%u %u %u %u] "
            "read [%u %u %u %u], out_size [%u %u %u %u] written [%u %u %u %u]",
            (int)m->handle, msg_type_name(m->type, tb, sizeof(tb)), (unsigned)m->sid,
            (int)m->client_id, m->in_size[0], m->in_size[1], m->in_size[2], m->in_size[3],
            m->in_read[0], m->in_read[1], m->in_read[2], m->in_read[3], m->out_size[0],
            m->out_size[1], m->out_size[2], m->out_size[3], m->written[0], m->written[1],
            m->written[2], m->written[3]);
    }
}

/* Opens <state-dir>/crashes/<name>-<pid>.txt for the report: its
 * descriptor and path, or -1 (no state directory, or logged). */
static int open_file(const char *name, pid_t pid, char *path, size_t size)
{
    char dir[PATH_MAX];
    int fd;

    path[0] = '\0';
    if (spm.state_dir[0] == '\0' ||
        (size_t)snprintf(dir, sizeof(dir), "%s/crashes", spm.state_dir) >= sizeof(dir) ||
        (size_t)snprintf(path, size, "%s/%s-%d.txt", dir, name, (int)pid) >= size) {
        path[0] = '\0';
        return -1;
    }
    if (partix_mkdir_p(dir, 0700) < 0 ||
        (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
        spm_log(SPM_WARN, "crash report: cannot write %s: %s", path, strerror(errno));
        path[0] = '\0';
        return -1;
    }
    return fd;
}

/* The symbolizer parses what a crashed process sent with a library as
 * large as libdw: not as root.  It becomes the router's account (psa-spm
 * as root) with no new privileges; the files it needs are open already. */
static int drop_privileges(void)
{
    if (spm.drop_uid &&
        (setgroups(0, NULL) < 0 ||
         setresgid(spm.ids.router_gid, spm.ids.router_gid, spm.ids.router_gid) < 0 ||
         setresuid(spm.ids.router_uid, spm.ids.router_uid, spm.ids.router_uid) < 0))
        return -1;
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* The report, checked: false if there is none or it is malformed. */
static bool take_report(int fd, const char *name, pid_t pid)
{
    ssize_t n = recv(fd, &rep, sizeof(rep), MSG_DONTWAIT | MSG_TRUNC);

    if (n <= 0)
        return false;
    if ((size_t)n < offsetof(struct crash_report, stack) || (size_t)n > sizeof(rep) ||
        rep.magic != CRASH_MAGIC || rep.version != CRASH_VERSION ||
        rep.n_modules > CRASH_MAX_MODULES || rep.n_msgs > CRASH_MAX_MSGS ||
        rep.n_regs > CRASH_NREGS || rep.stack_len > CRASH_MAX_STACK ||
        (size_t)n != offsetof(struct crash_report, stack) + rep.stack_len) {
        spm_log(SPM_WARN, "partition %s (pid %d): malformed crash report (%zd bytes): ignored",
                name, (int)pid, n);
        return false;
    }
    for (uint32_t i = 0; i < rep.n_modules; i++)
        rep.modules[i].path[CRASH_PATH - 1] = '\0';
    rep.api[sizeof(rep.api) - 1] = '\0';
    for (char *c = rep.api; *c != '\0'; c++)
        if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
            *c = '?'; /* a name, nothing the log would show otherwise */
    return true;
}

/* In the symbolizer process: the whole report, then it exits. */
static void __attribute__((noreturn))
symbolize(const struct mf_partition *mf, pid_t pid, int status, int fd)
{
    char exe[PATH_MAX], file[PATH_MAX + 64];
    const char *line, *nl;
    struct ffm ffm = {false, NULL};
    struct frames fr = {.n = 0};
    int mod_fds[CRASH_MAX_MODULES];
    Dwfl *dwfl;
    int i, logged, file_fd;

    if (!take_report(fd, mf->name, pid))
        _exit(0);
    unsetenv("DEBUGINFOD_URLS");
    if ((size_t)snprintf(exe, sizeof(exe), "%s/%s", spm.partition_dir, mf->basename) >= sizeof(exe))
        exe[0] = '\0';
    out.len = 0;
    out.buf[0] = '\0';
    if (rep.kind == CRASH_STACK_OVERFLOW)
        put("partition %s (pid %d) crashed: stack overflow (%s at 0x%llx, in the guard page "
            "below its %llu-byte stack)",
            mf->name, (int)pid, signal_name(rep.signo), (unsigned long long)rep.addr,
            (unsigned long long)(rep.stack_hi - rep.stack_lo));
    else if (rep.code == SI_USER)
        put("partition %s (pid %d) crashed: %s (%s), sent by another process", mf->name, (int)pid,
            signal_name(rep.signo), strsignal(rep.signo));
    else if (rep.signo == SIGABRT)
        put("partition %s (pid %d) crashed: SIGABRT (abort)", mf->name, (int)pid);
    else
        put("partition %s (pid %d) crashed: %s (%s), code %d, fault address 0x%llx", mf->name,
            (int)pid, signal_name(rep.signo), strsignal(rep.signo), (int)rep.code,
            (unsigned long long)rep.addr);
    if (WIFSIGNALED(status) && WTERMSIG(status) != rep.signo && rep.kind == CRASH_SIGNAL)
        put("  note: the process ended by %s, not by the report's signal: the report may not be "
            "its own",
            signal_name(WTERMSIG(status)));
    open_modules(exe, mod_fds);
    file_fd = open_file(mf->name, pid, file, sizeof(file));
    if (drop_privileges() < 0) {
        spm_log(SPM_WARN, "crash report of partition %s (pid %d): cannot drop privileges: %s",
                mf->name, (int)pid, strerror(errno));
        _exit(1);
    }
    dwfl = report_modules(exe, mod_fds);
    if (dwfl != NULL && rep.n_regs == CRASH_NREGS &&
        dwfl_attach_state(dwfl, NULL, 1, &thread_cb, NULL))
        dwfl_getthread_frames(dwfl, 1, on_frame, &fr);
    if (fr.n == 0) { /* no unwinding: the faulting pc alone */
        fr.pc[0] = rep.pc;
        fr.activation[0] = true;
        fr.n = 1;
    }
    put("  backtrace (%s):", exe);
    for (i = 0; i < fr.n; i++) {
        int same = i;

        while (same + 1 < fr.n && fr.pc[same + 1] == fr.pc[i] && i > 0)
            same++;
        put_frame(dwfl, i, fr.pc[i], fr.activation[i], exe, &ffm);
        if (same > i + 1) { /* a recursion: one line for its run */
            put("  #%d-#%d: the same frame, %d times more", i + 1, same, same - i);
            i = same;
        }
    }
    if (ffm.call != NULL)
        put("  FF-M call in progress: %s()", ffm.call);
    else
        put("  FF-M call in progress: none (in the partition's own code)");
    put_messages();
    put_registers();
    if (dwfl != NULL)
        dwfl_end(dwfl);
    if (file_fd >= 0 && write(file_fd, out.buf, out.len) != (ssize_t)out.len) {
        spm_log(SPM_WARN, "crash report: writing %s: %s", file, strerror(errno));
        file[0] = '\0';
    }
    /* the log: the lines above but the frames past LOG_FRAMES */
    for (i = 0, logged = 0, line = out.buf; *line != '\0'; line = nl + 1, i++) {
        nl = strchr(line, '\n');
        if (nl == NULL)
            break;
        if (strncmp(line, "  #", 3) == 0 && logged++ >= LOG_FRAMES)
            continue;
        spm_log(SPM_ERROR, "%.*s", (int)(nl - line), line);
    }
    if (logged > LOG_FRAMES)
        spm_log(SPM_ERROR, "  (%d more frames in the crash file)", logged - LOG_FRAMES);
    if (file[0] != '\0')
        spm_log(SPM_ERROR, "partition %s (pid %d): crash report written to %s", mf->name, (int)pid,
                file);
    _exit(0);
}

void spm_crash_collect(const struct mf_partition *mf, pid_t pid, int status, int fd)
{
    pid_t child;
    char c;

    /* most ends leave no report (a panic, the victims of a reset): no fork */
    if (fd < 0 || (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
        recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0)
        return;
    /* in a process of its own: the monitor serves the router meanwhile (a
     * restart does not wait for libdw), and no privilege meets the report */
    child = fork();
    if (child < 0)
        spm_log(SPM_WARN, "crash report of partition %s (pid %d): fork: %s", mf->name, (int)pid,
                strerror(errno));
    if (child == 0) {
        spm_state_lock_leave(); /* the lock ends with the monitor, not with this */
        symbolize(mf, pid, status, fd);
    }
}

/*
 * psa-client - list the services of a partix system and call any of them
 * from a shell, through libpsa-client as any application would.
 *
 * The list comes from the manifest lists psa-spm runs (read with the
 * daemon's own parser, src/manifest): the daemon answers psa_version() one
 * SID at a time and has no request that enumerates its services, so the
 * manifests are the table, and psa_version() says which entries this user
 * can reach at the running daemon.  Calls go through psa_connect(),
 * psa_call() and psa_close() only.
 *
 * Exit status: 0 when the daemon or the service said success (a status
 * >= 0, a handle), 1 when it returned an error status, 2 for a usage
 * error or an input this tool could not read.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "partix/status.h"
#include "psa/client.h"
#include "version.h"

#define MAX_LISTS 64
#define MAX_DEFINES 256
#define MAX_VECTOR (256u << 20) /* the most bytes one vector may hold here */

enum format { FMT_HEX, FMT_TEXT, FMT_RAW };

static struct {
    const char *lists[MAX_LISTS];
    size_t n_lists;
    struct mf_define defines[MAX_DEFINES];
    struct mf_options mopt;
    struct mf_system *sys; /* loaded on first need */
    bool sys_tried;
    const char *handle_arg; /* --handle */
    const char *version_arg;
    int32_t type;
    psa_invec in[PSA_MAX_IOVEC];
    size_t n_in;
    psa_outvec out[PSA_MAX_IOVEC];
    size_t out_cap[PSA_MAX_IOVEC];
    size_t n_out;
    enum format format;
    bool quiet;
    bool no_daemon;
} cli = {.mopt = {NULL, 0, MF_BACKEND_IPC}};

static void usage(FILE *f)
{
    fputs("usage: psa-client [options] list\n"
          "       psa-client [options] version SERVICE\n"
          "       psa-client [options] connect SERVICE\n"
          "       psa-client [options] call SERVICE|--handle HANDLE [-t TYPE] [-i IN]... [-o "
          "SIZE]...\n"
          "       psa-client status STATUS\n"
          "\n"
          "  list     every service of the manifest lists: SID, version, stateless\n"
          "           handle, partition, who may call it, and the version the running\n"
          "           psa-spm serves this user (SERVED, '-' for none)\n"
          "  version  psa_version() of SERVICE\n"
          "  connect  psa_connect() to SERVICE, then psa_close()\n"
          "  call     one psa_call() to SERVICE: on a connection (connect, call,\n"
          "           close), or on its stateless handle\n"
          "  status   the name of a status number, or the number of a name\n"
          "\n"
          "  SERVICE  a service name of the manifest lists, or a SID (0x105, 261)\n"
          "  --handle HANDLE        call this stateless handle (0x40000100)\n"
          "  -t, --type TYPE        the call type (default 0, PSA_IPC_CALL)\n"
          "  -i, --in IN            an input vector, in order: text (as given),\n"
          "                         text:TEXT, hex:0A1B..., @FILE (@- stdin), or a\n"
          "                         number as u8:N, u16:N, u32:N, u64:N, i32:N, i64:N\n"
          "                         (this machine's byte order)\n"
          "  -o, --out SIZE         an output vector of SIZE bytes, in order\n"
          "  -f, --format FORMAT    outputs as hex (default), text or raw (the bytes\n"
          "                         alone on stdout, the status on stderr)\n"
          "  -q, --quiet            no status line (the exit status tells it)\n"
          "  --service-version N    connect at version N (default: what psa_version()\n"
          "                         answers, else the manifest's)\n"
          "  -m, --manifest-list FILE  the manifest list psa-spm runs (repeatable;\n"
          "                         default: the shipped one, ../share/partix/\n"
          "                         manifests/manifest_list.yaml next to psa-client)\n"
          "  -D NAME=VALUE          a build option for the lists (as psa-spm)\n"
          "  --backend ipc|sfn      as psa-spm's\n"
          "  --socket PATH          psa-spm's socket (default: $PSA_SPM_SOCKET, else\n"
          "                         $XDG_RUNTIME_DIR/partix/spm.sock, else\n"
          "                         /tmp/partix-UID/spm.sock)\n"
          "  --no-daemon            list: do not ask psa-spm\n"
          "  --version              print psa-client's version\n"
          "\n"
          "Exit status: 0 success (a status >= 0), 1 an error status, 2 a usage error.\n",
          f);
}

/* ---- numbers and inputs ---- */

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_i64(const char *s, long long min, long long max, long long *out)
{
    char *end;
    long long v;

    if (!((s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
        return -1;
    errno = 0;
    v = strtoll(s, &end, 0);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The bytes of "hex:..." (an optional 0x, then pairs of hex digits). */
static void *parse_hex(const char *s, size_t *len)
{
    size_t n, i;
    uint8_t *p;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    n = strlen(s);
    if (n % 2 != 0)
        return NULL;
    p = malloc(n / 2 + 1);
    if (p == NULL)
        return NULL;
    for (i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            free(p);
            return NULL;
        }
        p[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return p;
}

/* The whole of a file ("-": stdin), at most MAX_VECTOR bytes. */
static void *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    uint8_t *p = NULL, *grown;
    size_t n = 0, cap = 0, got;

    if (f == NULL) {
        fprintf(stderr, "psa-client: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            grown = cap <= MAX_VECTOR + 1u ? realloc(p, cap) : NULL;
            if (grown == NULL) {
                fprintf(stderr, "psa-client: %s: more than %u bytes\n", path, MAX_VECTOR);
                free(p);
                p = NULL;
                break;
            }
            p = grown;
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (p != NULL && ferror(f)) {
        fprintf(stderr, "psa-client: %s: %s\n", path, strerror(errno));
        free(p);
        p = NULL;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return p;
}

/* An integer input: "u32:N" and the like, in this machine's byte order. */
static void *parse_int(const char *arg, size_t *len)
{
    static const struct {
        const char *prefix;
        size_t size;
        bool is_signed;
    } kinds[] = {
        {"u8:", 1, false},  {"u16:", 2, false}, {"u32:", 4, false},
        {"u64:", 8, false}, {"i32:", 4, true},  {"i64:", 8, true},
    };
    size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        size_t pl = strlen(kinds[i].prefix), bits = kinds[i].size * 8;
        const char *num = arg + pl;
        unsigned long long u;
        long long s;
        uint8_t *p;

        if (strncmp(arg, kinds[i].prefix, pl) != 0)
            continue;
        if (kinds[i].is_signed) {
            long long lim = bits == 64 ? LLONG_MAX : (1LL << (bits - 1)) - 1;

            if (parse_i64(num, -lim - 1, lim, &s) < 0)
                return NULL;
            u = (unsigned long long)s;
        } else if (parse_u64(num, bits == 64 ? ULLONG_MAX : (1ULL << bits) - 1, &u) < 0) {
            return NULL;
        }
        p = malloc(8);
        if (p == NULL)
            return NULL;
        if (kinds[i].size == 1) {
            p[0] = (uint8_t)u;
        } else if (kinds[i].size == 2) {
            uint16_t v = (uint16_t)u;
            memcpy(p, &v, 2);
        } else if (kinds[i].size == 4) {
            uint32_t v = (uint32_t)u;
            memcpy(p, &v, 4);
        } else {
            uint64_t v = (uint64_t)u;
            memcpy(p, &v, 8);
        }
        *len = kinds[i].size;
        return p;
    }
    return NULL;
}

static bool is_int_input(const char *arg)
{
    static const char *const prefixes[] = {"u8:", "u16:", "u32:", "u64:", "i32:", "i64:"};
    size_t i;

    for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(arg, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* -i IN: the next input vector.  0, or -1 after a message. */
static int add_input(const char *arg)
{
    size_t len = 0;
    void *p;

    if (cli.n_in + cli.n_out == PSA_MAX_IOVEC) {
        fprintf(stderr, "psa-client: more than %u vectors in all\n", PSA_MAX_IOVEC);
        return -1;
    }
    if (strncmp(arg, "hex:", 4) == 0) {
        p = parse_hex(arg + 4, &len);
        if (p == NULL) {
            fprintf(stderr, "psa-client: -i %s: not pairs of hex digits\n", arg);
            return -1;
        }
    } else if (arg[0] == '@') {
        p = read_file(arg + 1, &len);
        if (p == NULL)
            return -1;
    } else if (is_int_input(arg)) {
        p = parse_int(arg, &len);
        if (p == NULL) {
            fprintf(stderr, "psa-client: -i %s: not a number of that type\n", arg);
            return -1;
        }
    } else {
        if (strncmp(arg, "text:", 5) == 0)
            arg += 5;
        len = strlen(arg);
        p = strdup(arg);
        if (p == NULL)
            return -1;
    }
    cli.in[cli.n_in].base = p;
    cli.in[cli.n_in++].len = len;
    return 0;
}

/* -o SIZE: the next output vector. */
static int add_output(const char *arg)
{
    unsigned long long size;

    if (cli.n_in + cli.n_out == PSA_MAX_IOVEC) {
        fprintf(stderr, "psa-client: more than %u vectors in all\n", PSA_MAX_IOVEC);
        return -1;
    }
    if (parse_u64(arg, MAX_VECTOR, &size) < 0) {
        fprintf(stderr, "psa-client: -o needs a size in bytes, 0 to %u, not '%s'\n", MAX_VECTOR,
                arg);
        return -1;
    }
    cli.out[cli.n_out].base = malloc(size ? (size_t)size : 1);
    if (cli.out[cli.n_out].base == NULL)
        return -1;
    cli.out[cli.n_out].len = (size_t)size;
    cli.out_cap[cli.n_out++] = (size_t)size;
    return 0;
}

/* ---- the manifests ---- */

/* The shipped list, next to this executable as installed (and in build/). */
static int default_list(char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (n < 0)
        return -1;
    self[n] = '\0';
    n = snprintf(out, size, "%s/../share/partix/manifests/manifest_list.yaml", dirname(self));
    return n < 0 || (size_t)n >= size || access(out, R_OK) < 0 ? -1 : 0;
}

/* The system of the manifest lists, or NULL.  @p need: print why not. */
static const struct mf_system *system_of_lists(bool need)
{
    static char def[PATH_MAX];
    struct mf_diags *d;

    if (!cli.sys_tried) {
        cli.sys_tried = true;
        if (cli.n_lists == 0 && default_list(def, sizeof(def)) == 0)
            cli.lists[cli.n_lists++] = def;
        if (cli.n_lists > 0 && (d = mf_diags_new()) != NULL) {
            if (mf_load_lists(cli.lists, cli.n_lists, &cli.mopt, &cli.sys, d) < 0) {
                mf_diags_print(d, stderr);
                fprintf(stderr, "psa-client: %zu error(s) in the manifests\n", mf_diags_count(d));
            }
            mf_diags_free(d);
        }
    }
    if (cli.sys == NULL && need && cli.n_lists == 0)
        fputs("psa-client: no manifest list: give --manifest-list (the one psa-spm runs)\n",
              stderr);
    return cli.sys;
}

/* A service named by the command line. */
struct target {
    uint32_t sid;
    psa_handle_t handle;          /* a stateless handle, or PSA_NULL_HANDLE */
    const struct mf_service *svc; /* NULL if the manifests do not have it */
    char label[160];
};

static int resolve(const char *arg, struct target *t)
{
    const struct mf_system *sys;
    unsigned long long v;

    memset(t, 0, sizeof(*t));
    if (arg[0] >= '0' && arg[0] <= '9') {
        if (parse_u64(arg, UINT32_MAX, &v) < 0) {
            fprintf(stderr, "psa-client: '%s' is no SID (a 32-bit number)\n", arg);
            return -1;
        }
        t->sid = (uint32_t)v;
        sys = system_of_lists(false);
        t->svc = sys != NULL ? mf_find_sid(sys, t->sid, NULL) : NULL;
    } else {
        sys = system_of_lists(true);
        if (sys == NULL)
            return -1;
        t->svc = mf_find_service(sys, arg, NULL);
        if (t->svc == NULL) {
            fprintf(stderr, "psa-client: no service %s in the manifest list%s (psa-client list)\n",
                    arg, cli.n_lists > 1 ? "s" : "");
            return -1;
        }
        t->sid = t->svc->sid;
    }
    if (t->svc != NULL) {
        t->handle = (psa_handle_t)t->svc->stateless_handle;
        snprintf(t->label, sizeof(t->label), "%s (SID 0x%08x)", t->svc->name, (unsigned)t->sid);
    } else {
        snprintf(t->label, sizeof(t->label), "SID 0x%08x", (unsigned)t->sid);
    }
    return 0;
}

static void print_status(const char *what, psa_status_t st)
{
    char text[PARTIX_STATUS_TEXT_MAX];

    if (cli.quiet)
        return;
    partix_status_text(st, text, sizeof(text));
    fprintf(cli.format == FMT_RAW ? stderr : stdout, "%s: %s\n", what, text);
}

/* ---- the commands ---- */

static int cmd_status(const char *arg)
{
    char text[PARTIX_STATUS_TEXT_MAX];
    long long v;
    int s;

    if (parse_i64(arg, INT32_MIN, INT32_MAX, &v) == 0) {
        partix_status_text((psa_status_t)v, text, sizeof(text));
        puts(text);
        return partix_status_name((psa_status_t)v) != NULL ? 0 : 1;
    }
    for (s = 0; s >= -512; s--) {
        const char *name = partix_status_name((psa_status_t)s);

        if (name != NULL && strcmp(name, arg) == 0) {
            printf("%d\n", s);
            return 0;
        }
    }
    fprintf(stderr, "psa-client: no PSA status is named '%s'\n", arg);
    return 1;
}

/* Who may call @p s: non-secure clients and the partitions that depend on it. */
static void callers(const struct mf_system *sys, const struct mf_service *s, char *out, size_t size)
{
    size_t i, j, n = 0;

    out[0] = '\0';
    if (s->non_secure_clients)
        n += (size_t)snprintf(out + n, size - n, "non-secure");
    for (i = 0; i < sys->n_partitions && n < size; i++) {
        const struct mf_partition *p = &sys->partitions[i];

        for (j = 0; j < p->n_deps && n < size; j++)
            if (strcmp(p->deps[j].service, s->name) == 0)
                n += (size_t)snprintf(out + n, size - n, "%s%s", n ? ", " : "", p->name);
        for (j = 0; j < p->n_weak_deps && n < size; j++)
            if (strcmp(p->weak_deps[j].service, s->name) == 0)
                n += (size_t)snprintf(out + n, size - n, "%s%s (weak)", n ? ", " : "", p->name);
    }
    if (out[0] == '\0')
        snprintf(out, size, "-");
}

static int cmd_list(void)
{
    const struct mf_system *sys = system_of_lists(true);
    size_t i, j, wname = 7, wpart = 9;
    unsigned served = 0, total = 0;

    if (sys == NULL)
        return 2;
    for (i = 0; i < sys->n_partitions; i++) {
        const struct mf_partition *p = &sys->partitions[i];

        if (strlen(p->name) > wpart)
            wpart = strlen(p->name);
        for (j = 0; j < p->n_services; j++)
            if (strlen(p->services[j].name) > wname)
                wname = strlen(p->services[j].name);
    }
    printf("%-*s  %-10s  %-12s  %-10s  %-6s  %-*s  %s\n", (int)wname, "SERVICE", "SID", "VERSION",
           "STATELESS", "SERVED", (int)wpart, "PARTITION", "CALLERS");
    for (i = 0; i < sys->n_partitions; i++) {
        const struct mf_partition *p = &sys->partitions[i];

        for (j = 0; j < p->n_services; j++) {
            const struct mf_service *s = &p->services[j];
            char ver[32], handle[16], live[16], who[1024];
            uint32_t v = cli.no_daemon ? PSA_VERSION_NONE : psa_version(s->sid);

            snprintf(ver, sizeof(ver), "%u %s", (unsigned)s->version,
                     s->policy == MF_POLICY_STRICT ? "strict" : "relaxed");
            if (s->connection_based)
                snprintf(handle, sizeof(handle), "-");
            else
                snprintf(handle, sizeof(handle), "0x%08x", (unsigned)s->stateless_handle);
            if (v == PSA_VERSION_NONE)
                snprintf(live, sizeof(live), "-");
            else
                snprintf(live, sizeof(live), "%u", (unsigned)v);
            callers(sys, s, who, sizeof(who));
            printf("%-*s  0x%08x  %-12s  %-10s  %-6s  %-*s  %s\n", (int)wname, s->name,
                   (unsigned)s->sid, ver, handle, live, (int)wpart, p->name, who);
            total++;
            served += v != PSA_VERSION_NONE;
        }
    }
    if (!cli.no_daemon && total > 0 && served == 0)
        fputs("psa-client: psa-spm serves none of them to this user: is it running, on this "
              "socket?\n",
              stderr);
    return 0;
}

static int cmd_version(const struct target *t)
{
    uint32_t v = psa_version(t->sid);

    if (v == PSA_VERSION_NONE) {
        printf("%s: PSA_VERSION_NONE (no such service, or not for this caller)\n", t->label);
        return 1;
    }
    printf("%s: version %u\n", t->label, (unsigned)v);
    return 0;
}

/* The version to connect at: -V, else what psa_version() says, else the manifest's. */
static int connect_version(const struct target *t, uint32_t *version)
{
    unsigned long long v;

    if (cli.version_arg != NULL) {
        if (parse_u64(cli.version_arg, UINT32_MAX, &v) < 0) {
            fprintf(stderr, "psa-client: --service-version needs a number, not '%s'\n",
                    cli.version_arg);
            return -1;
        }
        *version = (uint32_t)v;
        return 0;
    }
    *version = psa_version(t->sid);
    if (*version == PSA_VERSION_NONE)
        *version = t->svc != NULL ? t->svc->version : 1;
    return 0;
}

static int cmd_connect(const struct target *t)
{
    uint32_t version;
    psa_handle_t h;

    if (connect_version(t, &version) < 0)
        return 2;
    h = psa_connect(t->sid, version);
    if (!PSA_HANDLE_IS_VALID(h)) {
        print_status("connect", PSA_HANDLE_TO_ERROR(h));
        return 1;
    }
    if (!cli.quiet)
        printf("connected: %s version %u, handle %d\n", t->label, (unsigned)version, (int)h);
    psa_close(h);
    return 0;
}

static void print_text(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] == '\\')
            fputs("\\\\", stdout);
        else if (p[i] == '\n')
            fputs("\\n", stdout);
        else if (p[i] == '\t')
            fputs("\\t", stdout);
        else if (p[i] >= 0x20 && p[i] < 0x7f)
            putchar(p[i]);
        else
            printf("\\x%02x", p[i]);
    }
}

static void print_outputs(void)
{
    size_t i, j;

    for (i = 0; i < cli.n_out; i++) {
        const uint8_t *p = cli.out[i].base;
        size_t n = cli.out[i].len;

        if (cli.format == FMT_RAW) {
            fwrite(p, 1, n, stdout);
            continue;
        }
        printf("out[%zu]: %zu of %zu bytes:", i, n, cli.out_cap[i]);
        if (n > 0)
            putchar(' ');
        if (cli.format == FMT_TEXT)
            print_text(p, n);
        else
            for (j = 0; j < n; j++)
                printf("%02x", p[j]);
        putchar('\n');
    }
}

static int cmd_call(const struct target *t)
{
    psa_handle_t h = t->handle;
    psa_status_t st;
    uint32_t version;
    bool connected = false;

    if (h == PSA_NULL_HANDLE) {
        if (connect_version(t, &version) < 0)
            return 2;
        h = psa_connect(t->sid, version);
        if (!PSA_HANDLE_IS_VALID(h)) {
            print_status("connect", PSA_HANDLE_TO_ERROR(h));
            return 1;
        }
        connected = true;
    }
    st = psa_call(h, cli.type, cli.in, cli.n_in, cli.out, cli.n_out);
    if (connected)
        psa_close(h);
    print_status("status", st);
    print_outputs();
    fflush(stdout);
    return st >= 0 ? 0 : 1;
}

enum { O_SOCKET = 256, O_HANDLE, O_BACKEND, O_NO_DAEMON, O_VERSION, O_SVC_VERSION };
static const struct option opts[] = {
    {"in", required_argument, NULL, 'i'},
    {"out", required_argument, NULL, 'o'},
    {"type", required_argument, NULL, 't'},
    {"format", required_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"service-version", required_argument, NULL, O_SVC_VERSION},
    {"manifest-list", required_argument, NULL, 'm'},
    {"handle", required_argument, NULL, O_HANDLE},
    {"socket", required_argument, NULL, O_SOCKET},
    {"backend", required_argument, NULL, O_BACKEND},
    {"no-daemon", no_argument, NULL, O_NO_DAEMON},
    {"version", no_argument, NULL, O_VERSION},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The options, with getopt_long(@p optstring): -1 to go on, else the
 * exit status. */
static int parse_options(int argc, char **argv, const char *optstring)
{
    long long v;
    int ch;

    while ((ch = getopt_long(argc, argv, optstring, opts, NULL)) != -1) {
        switch (ch) {
        case 'i':
            if (add_input(optarg) < 0)
                return 2;
            break;
        case 'o':
            if (add_output(optarg) < 0)
                return 2;
            break;
        case 't':
            if (parse_i64(optarg, INT32_MIN, INT32_MAX, &v) < 0) {
                fprintf(stderr, "psa-client: --type needs a number, not '%s'\n", optarg);
                return 2;
            }
            cli.type = (int32_t)v;
            break;
        case 'f':
            if (strcmp(optarg, "hex") == 0) {
                cli.format = FMT_HEX;
            } else if (strcmp(optarg, "text") == 0) {
                cli.format = FMT_TEXT;
            } else if (strcmp(optarg, "raw") == 0) {
                cli.format = FMT_RAW;
            } else {
                fprintf(stderr, "psa-client: --format is hex, text or raw, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'q':
            cli.quiet = true;
            break;
        case O_SVC_VERSION:
            cli.version_arg = optarg;
            break;
        case 'm':
            if (cli.n_lists == MAX_LISTS) {
                fprintf(stderr, "psa-client: more than %d manifest lists\n", MAX_LISTS);
                return 2;
            }
            cli.lists[cli.n_lists++] = optarg;
            break;
        case 'D': {
            char *eq = strchr(optarg, '=');

            if (cli.mopt.n_defines == MAX_DEFINES) {
                fprintf(stderr, "psa-client: more than %d -D options\n", MAX_DEFINES);
                return 2;
            }
            if (eq != NULL)
                *eq = '\0';
            cli.defines[cli.mopt.n_defines].name = optarg;
            cli.defines[cli.mopt.n_defines++].value = eq ? eq + 1 : "1";
            break;
        }
        case O_HANDLE:
            cli.handle_arg = optarg;
            break;
        case O_SOCKET:
            setenv("PSA_SPM_SOCKET", optarg, 1);
            break;
        case O_BACKEND:
            if (strcmp(optarg, "ipc") == 0) {
                cli.mopt.backend = MF_BACKEND_IPC;
            } else if (strcmp(optarg, "sfn") == 0) {
                cli.mopt.backend = MF_BACKEND_SFN;
            } else {
                fprintf(stderr, "psa-client: --backend is ipc or sfn, not '%s'\n", optarg);
                return 2;
            }
            break;
        case O_NO_DAEMON:
            cli.no_daemon = true;
            break;
        case O_VERSION:
            printf("psa-client (partix) %s\n", PARTIX_VERSION);
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    const char *cmd, *service = NULL;
    struct target t;
    unsigned long long hv;
    int rc = 2;
    size_t i;

    cli.mopt.defines = cli.defines;
    /* the options before the command; then the command's, anywhere after
     * it, except for "status", whose operand may be a negative number */
    if ((rc = parse_options(argc, argv, "+i:o:t:f:qm:D:h")) >= 0)
        return rc;
    rc = 2;
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    cmd = argv[optind];
    if (strcmp(cmd, "status") == 0) {
        i = (size_t)optind + 1;
        if (i < (size_t)argc && strcmp(argv[i], "--") == 0)
            i++;
        if (i + 1 != (size_t)argc) {
            usage(stderr);
            return 2;
        }
        return cmd_status(argv[i]);
    }
    argc -= optind;
    argv += optind;
    optind = 0; /* glibc: start again, permuting */
    if ((rc = parse_options(argc, argv, "i:o:t:f:qm:D:h")) >= 0)
        return rc;
    rc = 2;
    if (optind < argc)
        service = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "psa-client: too many operands, from '%s'\n", argv[optind]);
        return 2;
    }
    if (strcmp(cmd, "list") == 0 && service == NULL) {
        rc = cmd_list();
    } else if (strcmp(cmd, "call") == 0 && service == NULL && cli.handle_arg != NULL) {
        memset(&t, 0, sizeof(t));
        if (parse_u64(cli.handle_arg, UINT32_MAX, &hv) < 0 || hv == 0) {
            fprintf(stderr, "psa-client: --handle needs a handle (0x40000100), not '%s'\n",
                    cli.handle_arg);
            return 2;
        }
        t.handle = (psa_handle_t)(uint32_t)hv;
        rc = cmd_call(&t);
    } else if ((strcmp(cmd, "version") == 0 || strcmp(cmd, "connect") == 0 ||
                strcmp(cmd, "call") == 0) &&
               service != NULL && cli.handle_arg == NULL) {
        if (resolve(service, &t) < 0)
            rc = 2;
        else if (strcmp(cmd, "version") == 0)
            rc = cmd_version(&t);
        else if (strcmp(cmd, "connect") == 0)
            rc = cmd_connect(&t);
        else
            rc = cmd_call(&t);
    } else {
        usage(stderr);
    }
    mf_system_free(cli.sys);
    for (i = 0; i < cli.n_in; i++)
        free((void *)(uintptr_t)cli.in[i].base);
    for (i = 0; i < cli.n_out; i++)
        free(cli.out[i].base);
    return rc;
}

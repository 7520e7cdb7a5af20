/*
 * test_manifest_unit.c - unit tests of the manifest library's pieces that the
 * corpus does not reach directly: YAML 1.1 scalar resolution, C literals,
 * path and option handling, lookups, and regeneration.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "mf_internal.h"

static void resolve(const char *text, yaml_scalar_style_t style, struct mf_scalar *s)
{
    yaml_node_t n;

    memset(&n, 0, sizeof(n));
    n.type = YAML_SCALAR_NODE;
    n.data.scalar.value = (yaml_char_t *)(uintptr_t)text;
    n.data.scalar.length = strlen(text);
    n.data.scalar.style = style;
    mf_scalar_resolve(&n, s);
}

static void test_scalar_resolution(void **state)
{
    static const struct {
        const char *text;
        enum mf_kind kind;
        uint64_t u;
    } plain[] = {
        {"yes", MF_K_BOOL, 1},     {"No", MF_K_BOOL, 0},   {"ON", MF_K_BOOL, 1},
        {"off", MF_K_BOOL, 0},     {"True", MF_K_BOOL, 1}, {"y", MF_K_STR, 0},
        {"0x10", MF_K_INT, 16},    {"010", MF_K_INT, 8},   {"0b101", MF_K_INT, 5},
        {"1_000", MF_K_INT, 1000}, {"0", MF_K_INT, 0},     {"0x0001_0000", MF_K_INT, 65536},
        {"08", MF_K_STR, 0},       {"0x", MF_K_STR, 0},    {"1.1", MF_K_FLOAT, 0},
        {"1.", MF_K_FLOAT, 0},     {"1e5", MF_K_STR, 0},   {"1.0e+5", MF_K_FLOAT, 0},
        {"~", MF_K_NULL, 0},       {"null", MF_K_NULL, 0}, {"", MF_K_NULL, 0},
        {"IPC", MF_K_STR, 0},      {"0x1G", MF_K_STR, 0},  {"1:20", MF_K_STR, 0},
    };
    struct mf_scalar s;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
        resolve(plain[i].text, YAML_PLAIN_SCALAR_STYLE, &s);
        if (s.kind != plain[i].kind)
            fail_msg("'%s' resolved to %s", plain[i].text, mf_kind_name(s.kind));
        if (s.kind == MF_K_INT)
            assert_int_equal(s.u, plain[i].u);
        if (s.kind == MF_K_BOOL)
            assert_int_equal(s.b, plain[i].u);
    }
    resolve("-5", YAML_PLAIN_SCALAR_STYLE, &s);
    assert_int_equal(s.kind, MF_K_INT);
    assert_true(s.negative);
    assert_int_equal(s.u, 5);
    resolve("1.1", YAML_PLAIN_SCALAR_STYLE, &s);
    assert_true(s.f == 1.1);
    /* quoting makes everything a string */
    resolve("true", YAML_DOUBLE_QUOTED_SCALAR_STYLE, &s);
    assert_int_equal(s.kind, MF_K_STR);
    assert_true(s.quoted);
    resolve("0x10", YAML_SINGLE_QUOTED_SCALAR_STYLE, &s);
    assert_int_equal(s.kind, MF_K_STR);
}

static void test_c_literals(void **state)
{
    uint64_t v;

    (void)state;
    assert_true(mf_parse_c_int("0x00000105", &v) && v == 0x105);
    assert_true(mf_parse_c_int("0X1f", &v) && v == 31);
    assert_true(mf_parse_c_int("0100", &v) && v == 64);
    assert_true(mf_parse_c_int("0", &v) && v == 0);
    assert_true(mf_parse_c_int("4096", &v) && v == 4096);
    assert_true(mf_parse_c_int("18446744073709551615", &v) && v == UINT64_MAX);
    assert_false(mf_parse_c_int("18446744073709551616", &v));
    assert_false(mf_parse_c_int("0x", &v));
    assert_false(mf_parse_c_int("10U", &v));
    assert_false(mf_parse_c_int("-1", &v));
    assert_false(mf_parse_c_int("08", &v));
    assert_false(mf_parse_c_int(" 1", &v));
    assert_false(mf_parse_c_int("", &v));
    assert_true(mf_is_c_ident("TFM_SP_ECHO"));
    assert_true(mf_is_c_ident("_x1"));
    assert_false(mf_is_c_ident("1x"));
    assert_false(mf_is_c_ident("a-b"));
    assert_false(mf_is_c_ident(""));
}

/* A scratch folder with files written from (name, text) pairs. */
static char scratch[64];

static void put(const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", scratch, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int make_scratch(void **state)
{
    (void)state;
    snprintf(scratch, sizeof(scratch), "/tmp/partix-unit-XXXXXX");
    return mkdtemp(scratch) == NULL;
}

static int remove_scratch(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", scratch);
    return system(cmd);
}

static const char *const one_partition =
    "psa_framework_version: 1.1\nname: TFM_SP_ONE\ntype: APPLICATION-ROT\npriority: NORMAL\n"
    "model: IPC\nentry_point: one_main\nstack_size: ONE_STACK\n"
    "services:\n  - {name: ONE_SVC, sid: 0x1234, non_secure_clients: true, "
    "connection_based: true}\n";

static int load(const char *list, struct mf_define *defs, size_t n, struct mf_system **sys,
                struct mf_diags *d)
{
    struct mf_options opt = {defs, n, MF_BACKEND_IPC};

    return mf_load(list, &opt, sys, d);
}

static void test_paths_and_options(void **state)
{
    struct mf_define defs[] = {
        {"ONE_STACK", "0x200"}, {"ONE_ON", "0"}, {"ONE_STACK", "0x300"}, {"ONE_ON", "oN"}};
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();
    char list[256], text[512];

    (void)state;
    put("one.yaml", one_partition);
    /* $VAR in a manifest path comes from the environment */
    setenv("PARTIX_UNIT_DIR", scratch, 1);
    snprintf(text, sizeof(text),
             "manifest_list:\n  - {description: one, manifest: \"${PARTIX_UNIT_DIR}/one.yaml\", "
             "conditional: ONE_ON}\n");
    put("list.yaml", text);
    snprintf(list, sizeof(list), "%s/list.yaml", scratch);
    /* the last -D of a name wins, and on/off is case-insensitive */
    assert_int_equal(load(list, defs, 4, &sys, d), 0);
    assert_int_equal(sys->n_partitions, 1);
    assert_int_equal(sys->partitions[0].stack_size, 0x300);
    assert_int_equal(sys->partitions[0].pid, MF_PID_BASE);
    assert_true(sys->partitions[0].pid_auto);
    mf_system_free(sys);
    /* switched off: the partition is listed as skipped and not read */
    assert_int_equal(load(list, defs, 2, &sys, d), 0);
    assert_int_equal(sys->n_partitions, 0);
    assert_int_equal(sys->n_skipped, 1);
    assert_string_equal(sys->skipped[0].conditional, "ONE_ON");
    mf_system_free(sys);
    assert_int_equal(mf_diags_count(d), 0);
    mf_diags_free(d);
}

/* Several lists (TF-M's extra lists) and model: dual, from another folder. */
static void test_lists_and_backend(void **state)
{
    static const char *const lists[] = {"test/manifest/valid/two_lists/manifest_list.yaml",
                                        "test/manifest/valid/two_lists/extra/extra_list.yaml"};
    struct mf_options opt = {NULL, 0, MF_BACKEND_IPC};
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();

    (void)state;
    assert_int_equal(mf_load_lists(lists, 2, &opt, &sys, d), 0);
    assert_int_equal(sys->n_lists, 2);
    assert_string_equal(sys->list_path, lists[0]);
    assert_int_equal(sys->n_partitions, 2);
    /* the extra list's relative path is its own folder's; its pid follows 444 */
    assert_string_equal(sys->partitions[1].manifest_path,
                        "test/manifest/valid/two_lists/extra/dual.yaml");
    assert_int_equal(sys->partitions[1].pid, 445);
    assert_true(sys->partitions[1].dual);
    assert_int_equal(sys->partitions[1].model, MF_MODEL_IPC);
    assert_string_equal(sys->partitions[1].entry_point, "dual_entry");
    assert_null(sys->partitions[1].entry_init);
    assert_false(sys->partitions[0].dual);
    mf_system_free(sys);
    /* the SFN backend: dual is SFN; the main list's IPC partition is refused */
    opt.backend = MF_BACKEND_SFN;
    assert_int_equal(mf_load_lists(&lists[1], 1, &opt, &sys, d), 0);
    assert_int_equal(sys->partitions[0].model, MF_MODEL_SFN);
    assert_string_equal(sys->partitions[0].entry_init, "dual_init");
    assert_null(sys->partitions[0].entry_point);
    assert_string_equal(mf_backend_name(MF_BACKEND_SFN), "SFN");
    mf_system_free(sys);
    assert_int_equal(mf_diags_count(d), 0);
    assert_int_equal(mf_load_lists(lists, 2, &opt, &sys, d), -1);
    assert_int_equal(mf_diags_count(d), 1);
    assert_non_null(
        strstr(mf_diags_line(d, 0), "two_lists/main.yaml:5:8: error: model: the SFN backend"));
    assert_null(mf_diags_line(d, 1));
    mf_diags_free(d);
}

/* Warnings: kept apart from errors, which alone fail a load. */
static void test_warnings(void **state)
{
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();

    (void)state;
    assert_int_equal(
        mf_load("test/manifest/warnings/size_unquoted/manifest_list.yaml", NULL, &sys, d), 0);
    assert_non_null(sys);
    assert_int_equal(sys->partitions[0].stack_size, 0x800);
    assert_int_equal(sys->partitions[0].heap_size, 1024);
    assert_int_equal(mf_diags_count(d), 0);
    assert_null(mf_diags_line(d, 0));
    assert_int_equal(mf_diags_warning_count(d), 2);
    assert_non_null(strstr(mf_diags_warning(d, 0), "size_unquoted/part.yaml:8:13: warning: "
                                                   "stack_size: "));
    assert_non_null(strstr(mf_diags_warning(d, 0), " [tfm-string]"));
    assert_non_null(strstr(mf_diags_warning(d, 1), "part.yaml:9:12: warning: heap_size: "));
    assert_null(mf_diags_warning(d, 2));
    mf_system_free(sys);
    mf_diags_free(d);
}

static void test_lookups(void **state)
{
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();
    const struct mf_partition *owner = NULL;
    const struct mf_service *s;

    (void)state;
    assert_int_equal(mf_load("manifests/manifest_list.yaml", NULL, &sys, d), 0);
    s = mf_find_sid(sys, 0x105, &owner);
    assert_non_null(s);
    assert_string_equal(s->name, "TFM_ECHO_SERVICE");
    assert_string_equal(owner->name, "TFM_SP_ECHO_SERVICE");
    assert_int_equal(s->signal, 0x10);
    assert_null(mf_find_sid(sys, 0x106, NULL));
    s = mf_find_service(sys, "TFM_MY_CUSTOM_SERVICE", &owner);
    assert_non_null(s);
    assert_int_equal(s->sid, 0x108);
    assert_int_equal(owner->pid, 446);
    assert_null(mf_find_service(sys, "NOPE", NULL));
    assert_ptr_equal(mf_find_pid(sys, 444), &sys->partitions[0]);
    assert_non_null(mf_find_pid(sys, 445));
    assert_string_equal(mf_find_pid(sys, 445)->name, "TFM_SP_TINYMAIX_INFERENCE");
    assert_non_null(mf_find_pid(sys, 448));
    assert_string_equal(mf_find_pid(sys, 448)->name, "PARTIX_SP_HROT");
    assert_null(mf_find_pid(sys, 449));
    mf_system_free(sys);
    mf_diags_free(d);
}

static void test_regenerate_keeps_files(void **state)
{
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();
    char out[128], path[256];
    struct stat a, b;

    (void)state;
    assert_int_equal(mf_load("manifests/manifest_list.yaml", NULL, &sys, d), 0);
    snprintf(out, sizeof(out), "%s/gen/deeper", scratch);
    assert_int_equal(mf_generate(sys, out, d), 0);
    snprintf(path, sizeof(path), "%s/psa_manifest/sid.h", out);
    assert_int_equal(stat(path, &a), 0);
    /* unchanged content is not rewritten: the file keeps its inode */
    assert_int_equal(mf_generate(sys, out, d), 0);
    assert_int_equal(stat(path, &b), 0);
    assert_int_equal(a.st_ino, b.st_ino);
    /* a changed file is replaced */
    put("gen/deeper/psa_manifest/sid.h", "stale");
    assert_int_equal(mf_generate(sys, out, d), 0);
    assert_int_equal(stat(path, &b), 0);
    assert_true(b.st_size > 100);
    /* an unwritable destination is an error, not a crash */
    assert_int_equal(mf_generate(sys, "/proc/partix-cannot-exist", d), -1);
    assert_int_equal(mf_diags_count(d), 1);
    assert_non_null(strstr(mf_diags_line(d, 0), "/proc/partix-cannot-exist: error: output:"));
    mf_system_free(sys);
    mf_diags_free(d);
}

static void test_errors_sorted_by_file_then_position(void **state)
{
    struct mf_system *sys = (struct mf_system *)1;
    struct mf_diags *d = mf_diags_new();
    char list[256];

    (void)state;
    put("a.yaml", "psa_framework_version: 1.1\nname: A\ntype: APPLICATION-ROT\npriority: NORMAL\n"
                  "model: IPC\nentry_point: a\nstack_size: 0\nbogus: 1\n");
    put("sorted.yaml", "manifest_list:\n  - {description: a, manifest: a.yaml, pid: 0}\n");
    snprintf(list, sizeof(list), "%s/sorted.yaml", scratch);
    assert_int_equal(mf_load(list, NULL, &sys, d), -1);
    assert_null(sys);
    assert_int_equal(mf_diags_count(d), 3);
    /* the list's error first, then a.yaml's in line order, though found in another order */
    assert_non_null(strstr(mf_diags_line(d, 0), "sorted.yaml:2:45: error: manifest_list[0].pid"));
    assert_non_null(strstr(mf_diags_line(d, 1), "a.yaml:7:13: error: stack_size"));
    assert_non_null(strstr(mf_diags_line(d, 2), "a.yaml:8:1: error: bogus"));
    assert_null(mf_diags_line(d, mf_diags_count(d)));
    mf_diags_free(d);
}

/* The platform description: its own errors, then the binding of "irqs". */
static void test_platform(void **state)
{
    struct mf_platform *plat = (struct mf_platform *)1;
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();
    char path[256], list[256];

    (void)state;
    put("bad_platform.yaml", "platform: board\nirqs:\n  - {source: TIMER0_IRQ, number: 3}\n"
                             "  - {source: TIMER0_IRQ, number: 3}\n  - {source: 9X, number: 900}\n"
                             "  - {number: 4}\nspeed: fast\n");
    snprintf(path, sizeof(path), "%s/bad_platform.yaml", scratch);
    assert_int_equal(mf_platform_load(path, &plat, d), -1);
    assert_null(plat);
    assert_int_equal(mf_diags_count(d), 6);
    assert_non_null(strstr(mf_diags_line(d, 0), "bad_platform.yaml:4:14: error: irqs[1].source: "
                                                "source TIMER0_IRQ is already declared at"));
    assert_non_null(strstr(mf_diags_line(d, 1), "bad_platform.yaml:4:34: error: irqs[1].number: "
                                                "interrupt number 3 is already TIMER0_IRQ's"));
    assert_non_null(strstr(mf_diags_line(d, 2), "bad_platform.yaml:5:14: error: irqs[2].source"));
    assert_non_null(strstr(mf_diags_line(d, 3), "bad_platform.yaml:5:26: error: irqs[2].number"));
    assert_non_null(strstr(mf_diags_line(d, 4), "bad_platform.yaml:6:5: error: irqs[3]"));
    assert_non_null(strstr(mf_diags_line(d, 5), "bad_platform.yaml:7:1: error: speed"));
    mf_diags_free(d);

    /* the board's TPM: swtpm, none, or a device path (docs/hrot.md) */
    d = mf_diags_new();
    put("tpm_platform.yaml", "platform: board\ntpm: tpm0\n");
    snprintf(path, sizeof(path), "%s/tpm_platform.yaml", scratch);
    assert_int_equal(mf_platform_load(path, &plat, d), -1);
    assert_int_equal(mf_diags_count(d), 1);
    assert_non_null(strstr(mf_diags_line(d, 0), "tpm_platform.yaml:2:6: error: tpm: tpm is swtpm"));
    mf_diags_free(d);
    d = mf_diags_new();
    put("tpm_platform.yaml", "platform: board\ntpm: /dev/tpmrm0\n");
    assert_int_equal(mf_platform_load(path, &plat, d), 0);
    assert_string_equal(plat->tpm, "/dev/tpmrm0");
    mf_platform_free(plat);
    mf_diags_free(d);

    d = mf_diags_new();
    put("board.yaml", "platform: board\nirqs:\n  - {source: TIMER0_IRQ, number: 3}\n"
                      "  - {source: UART0_IRQ, number: 5}\n");
    snprintf(path, sizeof(path), "%s/board.yaml", scratch);
    assert_int_equal(mf_platform_load(path, &plat, d), 0);
    assert_int_equal(plat->n_irqs, 2);
    assert_int_equal(plat->irqs[1].number, 5);
    put("irq_a.yaml", "psa_framework_version: 1.1\nname: TFM_SP_A\ntype: PSA-ROT\n"
                      "priority: NORMAL\nmodel: IPC\nentry_point: a_main\nstack_size: 0x400\n"
                      "services:\n  - {name: A_SVC, sid: 0x4001, non_secure_clients: true, "
                      "connection_based: true}\nirqs:\n"
                      "  - {source: TIMER0_IRQ, name: TICK, handling: SLIH}\n"
                      "  - {source: 7, name: SEVEN, handling: FLIH}\n");
    put("irq_b.yaml", "psa_framework_version: 1.0\nname: TFM_SP_B\ntype: PSA-ROT\n"
                      "priority: NORMAL\nentry_point: b_main\nstack_size: 0x400\n"
                      "services:\n  - {name: B_SVC, sid: 0x4002, non_secure_clients: true}\n"
                      "irqs:\n  - {source: 3, signal: B_TIMER}\n"
                      "  - {source: UART0_IRQ, signal: B_UART}\n");
    put("irq_list.yaml", "manifest_list:\n  - {description: a, manifest: irq_a.yaml, pid: 300}\n"
                         "  - {description: b, manifest: irq_b.yaml, pid: 301}\n");
    snprintf(list, sizeof(list), "%s/irq_list.yaml", scratch);
    assert_int_equal(mf_load(list, NULL, &sys, d), 0);
    assert_int_equal(mf_platform_bind(plat, sys, d), -1);
    assert_int_equal(mf_diags_count(d), 2);
    /* SEVEN: no such number on the board; B_TIMER: line 3 by number is TIMER0_IRQ's */
    assert_non_null(strstr(mf_diags_line(d, 0), "irq_a.yaml:12:14: error: irqs[1].source: the "
                                                "platform board"));
    assert_non_null(strstr(mf_diags_line(d, 0), "has no interrupt source 7"));
    assert_non_null(strstr(mf_diags_line(d, 1), "irq_b.yaml:10:14: error: irqs[0].source: "
                                                "interrupt source 3 is interrupt 3 of board, "
                                                "already assigned at"));
    assert_int_equal(sys->partitions[1].irqs[1].line, 1); /* UART0_IRQ */
    mf_diags_free(d);

    /* no platform at all: an interrupt cannot be bound */
    d = mf_diags_new();
    assert_int_equal(mf_platform_bind(NULL, sys, d), -1);
    assert_non_null(strstr(mf_diags_line(d, 0), "irq_a.yaml:11:14: error: irqs[0].source: "
                                                "interrupt source TIMER0_IRQ needs a platform "
                                                "description"));
    mf_diags_free(d);
    mf_system_free(sys);
    mf_platform_free(plat);
}

/* The board's MMIO regions: the platform file's rules, then the binding of
 * the manifests' mmio_regions. */
static void test_platform_regions(void **state)
{
    static const char *const file_errors[] = {
        "bad_regions.yaml:6:22: error: mmio_regions[1].base: region R2 overlaps region R1",
        "bad_regions.yaml:7:22: error: mmio_regions[2].base: base 0x100 is below 0x10000",
        "bad_regions.yaml:8:51: error: mmio_regions[3].irq: a memory raises no interrupt",
        "bad_regions.yaml:9:65: error: mmio_regions[4].irq: no interrupt source NOPE in irqs",
        "bad_regions.yaml:10:52: error: mmio_regions[5].file: only an nvmem region is kept in a "
        "file",
        "bad_regions.yaml:11:67: error: mmio_regions[6].file: '../x' is not a plain file name",
        "bad_regions.yaml:12:12: error: mmio_regions[7].name: region R1 is already declared",
        "bad_regions.yaml:13:40: error: mmio_regions[8].size: an otp region holds the 416-byte "
        "OTP layout: size 0x10 is too small",
        "bad_regions.yaml:14:56: error: mmio_regions[9].device: the board has one OTP, already "
        "declared at",
        "bad_regions.yaml:15:23: error: mmio_regions[10].base: region R10 shares a 4096-byte "
        "page with region R4",
    };
    static const char *const bind_errors[] = {
        "mmio_a.yaml:11:5: error: mmio_regions[0]: the platform b has no MMIO region NOPE",
        "mmio_a.yaml:12:5: error: mmio_regions[1]: 0x40000080..0x4000008f overlaps the board's "
        "region UART",
        "mmio_a.yaml:14:5: error: mmio_regions[3]: 0x48000080..0x4800017f overlaps "
        "0x48000000..0x480000ff",
        "mmio_a.yaml:15:5: error: mmio_regions[4]: 0x48000000..0x480000ff overlaps "
        "0x48000080..0x4800017f",
        "mmio_a.yaml:16:5: error: mmio_regions[5]: base 0x1000 is below 0x10000",
        "mmio_a.yaml:17:5: error: mmio_regions[6]: OTP is the OTP: a partition may only read it",
        "mmio_a.yaml:18:5: error: mmio_regions[7]: 0x40011c00..0x40011c0f shares a page with the "
        "board's nvmem region NV",
    };
    struct mf_platform *plat = NULL;
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();
    char path[256], list[256];
    size_t i;

    (void)state;
    put("bad_regions.yaml",
        "platform: b\nirqs:\n  - {source: T, number: 3}\nmmio_regions:\n"
        "  - {name: R1, base: 0x40000000, size: 0x100}\n"
        "  - {name: R2, base: 0x40000080, size: 0x100}\n"
        "  - {name: R3, base: 0x100, size: 0x10}\n"
        "  - {name: R4, base: 0x50000000, size: 0x10, irq: T}\n"
        "  - {name: R5, base: 0x50001000, size: 0x10, device: uart, irq: NOPE}\n"
        "  - {name: R6, base: 0x50002000, size: 0x10, file: x.nvm}\n"
        "  - {name: R7, base: 0x50003000, size: 0x10, device: nvmem, file: ../x}\n"
        "  - {name: R1, base: 0x50004000, size: 0x10}\n"
        "  - {name: R8, base: 0x50005000, size: 0x10, device: otp}\n"
        "  - {name: R9, base: 0x50006000, size: 0x1000, device: otp}\n"
        "  - {name: R10, base: 0x50000800, size: 0x10, device: nvmem}\n"
        "  - {name: R11, base: 0x50000400, size: 0x10, device: uart}\n");
    snprintf(path, sizeof(path), "%s/bad_regions.yaml", scratch);
    assert_int_equal(mf_platform_load(path, &plat, d), -1);
    assert_int_equal(mf_diags_count(d), sizeof(file_errors) / sizeof(file_errors[0]));
    for (i = 0; i < mf_diags_count(d); i++)
        assert_non_null(strstr(mf_diags_line(d, i), file_errors[i]));
    /* R10, NVMEM, may not share R4's page; R11, a UART, may */
    assert_non_null(strstr(mf_diags_line(d, i - 1), "an nvmem region needs its own pages"));
    mf_diags_free(d);

    d = mf_diags_new();
    put("good_regions.yaml", "platform: b\nmmio_regions:\n"
                             "  - {name: UART, base: 0x40000000, size: 0x100, device: uart}\n"
                             "  - {name: NV, base: 0x40010000, size: 0x1800, device: nvmem}\n"
                             "  - {name: OTP, base: 0x40020000, size: 0x1000, device: otp}\n"
                             /* memory in the UART's page, as the AN521's test regions */
                             "  - {name: MEM, base: 0x40000800, size: 0x100}\n");
    snprintf(path, sizeof(path), "%s/good_regions.yaml", scratch);
    assert_int_equal(mf_platform_load(path, &plat, d), 0);
    assert_int_equal(plat->regions[0].device, MF_DEV_UART);
    assert_string_equal(plat->regions[1].file, "NV.nvm"); /* the default file name */
    put("mmio_a.yaml", "psa_framework_version: 1.1\nname: TFM_SP_A\ntype: PSA-ROT\n"
                       "priority: NORMAL\nmodel: IPC\nentry_point: a_main\nstack_size: 0x400\n"
                       "services:\n  - {name: A_SVC, sid: 0x4001, non_secure_clients: true, "
                       "connection_based: true}\nmmio_regions:\n"
                       "  - {name: NOPE, permission: READ-WRITE}\n"
                       "  - {base: 0x40000080, size: 0x10, permission: READ-ONLY}\n"
                       "  - {base: 0x48000000, size: 0x100, permission: READ-WRITE}\n"
                       "  - {base: 0x48000080, size: 0x100, permission: READ-WRITE}\n"
                       "  - {base: 0x48000000, size: 0x100, permission: READ-ONLY}\n"
                       "  - {base: 0x1000, size: 0x10, permission: READ-ONLY}\n"
                       "  - {name: OTP, permission: READ-WRITE}\n"
                       "  - {base: 0x40011c00, size: 0x10, permission: READ-ONLY}\n"
                       /* in a page with the UART and MEM, with another numbered range:
                        * byte-disjoint, accepted */
                       "  - {base: 0x40000c00, size: 0x10, permission: READ-WRITE}\n"
                       "  - {base: 0x48000800, size: 0x10, permission: READ-WRITE}\n");
    put("mmio_list.yaml",
        "manifest_list:\n  - {description: a, manifest: mmio_a.yaml, pid: 300}\n");
    snprintf(list, sizeof(list), "%s/mmio_list.yaml", scratch);
    assert_int_equal(mf_load(list, NULL, &sys, d), 0);
    assert_int_equal(mf_platform_bind(plat, sys, d), -1);
    assert_int_equal(mf_diags_count(d), sizeof(bind_errors) / sizeof(bind_errors[0]));
    for (i = 0; i < mf_diags_count(d); i++)
        assert_non_null(strstr(mf_diags_line(d, i), bind_errors[i]));
    /* the same range twice is one shared region, not an error */
    assert_int_equal(sys->partitions[0].mmio[2].region, -1);
    mf_diags_free(d);
    mf_system_free(sys);

    /* the OTP's secrets are for the PSA RoT only */
    d = mf_diags_new();
    put("mmio_b.yaml", "psa_framework_version: 1.1\nname: TFM_SP_B\ntype: APPLICATION-ROT\n"
                       "priority: NORMAL\nmodel: IPC\nentry_point: b_main\nstack_size: 0x400\n"
                       "services:\n  - {name: B_SVC, sid: 0x4002, non_secure_clients: true, "
                       "connection_based: true}\nmmio_regions:\n"
                       "  - {name: OTP, permission: READ-ONLY}\n");
    put("mmio_list_b.yaml",
        "manifest_list:\n  - {description: b, manifest: mmio_b.yaml, pid: 301}\n");
    snprintf(list, sizeof(list), "%s/mmio_list_b.yaml", scratch);
    assert_int_equal(mf_load(list, NULL, &sys, d), 0);
    assert_int_equal(mf_platform_bind(plat, sys, d), -1);
    assert_int_equal(mf_diags_count(d), 1);
    assert_non_null(strstr(mf_diags_line(d, 0), "mmio_b.yaml:11:5: error: mmio_regions[0]: OTP is "
                                                "the OTP, which holds the device's secrets: only "
                                                "a PSA-ROT partition may be granted it"));
    mf_diags_free(d);
    mf_system_free(sys);
    mf_platform_free(plat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_resolution),
        cmocka_unit_test(test_c_literals),
        cmocka_unit_test(test_paths_and_options),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_lists_and_backend),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_regenerate_keeps_files),
        cmocka_unit_test(test_errors_sorted_by_file_then_position),
        cmocka_unit_test(test_platform),
        cmocka_unit_test(test_platform_regions),
    };

    return cmocka_run_group_tests_name("manifest_unit", tests, make_scratch, remove_scratch);
}

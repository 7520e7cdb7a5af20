/*
 * fuzz_manifest.c - libFuzzer target: any bytes as a partition manifest
 * (and as a manifest list) must give a model or errors, never a crash, a
 * leak or undefined behaviour.  Seeds: the manifest corpus (make fuzz).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put(const char *name, const void *data, size_t size)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
}

static void load(const char *list)
{
    static const struct mf_define defs[] = {{"ON", "1"}, {"STACK", "0x400"}};
    struct mf_options opt = {defs, 2, MF_BACKEND_IPC};
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", dir, list);
    if (mf_load(path, &opt, &sys, d) == 0) {
        char out[96];

        snprintf(out, sizeof(out), "%s/gen", dir);
        mf_generate(sys, out, d);
    }
    for (size_t i = 0; i < mf_diags_count(d); i++)
        (void)mf_diags_line(d, i);
    mf_system_free(sys);
    mf_diags_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char list[] = "manifest_list:\n"
                               "  - {description: fuzzed, manifest: m.yaml, pid: 300}\n"
                               "  - {description: other, manifest: other.yaml, conditional: ON}\n";
    static const char other[] = "psa_framework_version: 1.1\nname: OTHER\ntype: PSA-ROT\n"
                                "priority: LOW\nmodel: SFN\nstack_size: STACK\n"
                                "services:\n  - {name: OTHER_SVC, sid: 0x200, "
                                "non_secure_clients: true, connection_based: false}\n";

    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/partix-fuzz-%d", (int)getpid());
        mkdtemp(strcpy(dir, "/tmp/partix-fuzz-XXXXXX"));
        put("list.yaml", list, sizeof(list) - 1);
        put("other.yaml", other, sizeof(other) - 1);
    }
    /* the bytes as a partition manifest, then as a manifest list */
    put("m.yaml", data, size);
    load("list.yaml");
    load("m.yaml");
    return 0;
}

/*
 * fuzz_idl.c - libFuzzer target: any bytes as an interface file must give a
 * model or errors, never a crash, a leak or undefined behaviour; a model
 * must render all five outputs.  Seeds: every .idl.yaml of the tree (make
 * fuzz).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void render(void (*fn)(FILE *, const struct idl_service *), const struct idl_service *svc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        abort();
    fn(f, svc);
    fclose(f);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct idl_service *svc = NULL;
    struct mf_diags *d;
    char path[128];
    FILE *f;
    size_t i;

    if (dir[0] == '\0' && mkdtemp(strcpy(dir, "/tmp/partix-fuzz-idl-XXXXXX")) == NULL)
        abort();
    snprintf(path, sizeof(path), "%s/i.idl.yaml", dir);
    f = fopen(path, "wb");
    if (f == NULL)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    d = mf_diags_new();
    if (idl_load(path, &svc, d) == 0) {
        render(idl_render_client_header, svc);
        render(idl_render_client_source, svc);
        render(idl_render_service_header, svc);
        render(idl_render_service_source, svc);
        render(idl_render_doc, svc);
    }
    for (i = 0; i < mf_diags_count(d); i++)
        (void)mf_diags_line(d, i);
    idl_free(svc);
    mf_diags_free(d);
    return 0;
}

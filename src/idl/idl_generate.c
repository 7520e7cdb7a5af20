/*
 * idl_generate.c - the four generated files of an interface, written only
 * when their content changes (make rebuilds no more than it must).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl_int.h"

static int emit(struct mf_ctx *c, const char *dir, const char *file,
                void (*render)(FILE *, const struct idl_service *), const struct idl_service *svc)
{
    char path[4096];
    char *data = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&data, &len);
    int rc;

    if (mem == NULL)
        abort();
    render(mem, svc);
    if (fclose(mem) != 0)
        abort();
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    rc = mf_write_if_changed(path, data, len);
    if (rc != 0) {
        struct mf_loc loc = {path, 0, 0};

        mf_error(c, loc, "output", "cannot write: %s", strerror(errno));
    }
    free(data);
    return rc;
}

int idl_generate(const struct idl_service *svc, const char *outdir, struct mf_diags *d)
{
    struct mf_ctx c = {NULL, d, NULL};
    char file[512];
    int rc = 0;

    if (mf_mkdirs(outdir) != 0) {
        struct mf_loc loc = {outdir, 0, 0};

        mf_error(&c, loc, "output", "cannot create: %s", strerror(errno));
        return -1;
    }
    rc |= emit(&c, outdir, svc->header, idl_render_client_header, svc);
    snprintf(file, sizeof(file), "%s_client.c", svc->prefix);
    rc |= emit(&c, outdir, file, idl_render_client_source, svc);
    snprintf(file, sizeof(file), "%s_service.h", svc->prefix);
    rc |= emit(&c, outdir, file, idl_render_service_header, svc);
    snprintf(file, sizeof(file), "%s_service.c", svc->prefix);
    rc |= emit(&c, outdir, file, idl_render_service_source, svc);
    return rc ? -1 : 0;
}

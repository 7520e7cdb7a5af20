/*
 * psa-idl - the interface compiler: check a service interface written in
 * YAML (docs/idl.md), generate its client stubs and partition dispatch, or
 * its reference in Markdown.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idl.h"
#include "version.h"

static void usage(FILE *f)
{
    fputs("usage: psa-idl check FILE.idl.yaml...\n"
          "       psa-idl generate FILE.idl.yaml -o DIR\n"
          "       psa-idl doc FILE.idl.yaml [-o FILE.md]\n"
          "\n"
          "  check     validate the interfaces; print one line per interface, or\n"
          "            every error found as FILE:LINE:COL: error: FIELD: RULE\n"
          "  generate  write DIR/<client header>, DIR/<prefix>_client.c,\n"
          "            DIR/<prefix>_service.h and DIR/<prefix>_service.c\n"
          "  doc       write the interface's reference table (Markdown) to FILE.md,\n"
          "            or to standard output\n",
          f);
}

static int doc(const struct idl_service *svc, const char *out)
{
    FILE *f = out ? fopen(out, "w") : stdout;

    if (f == NULL) {
        fprintf(stderr, "psa-idl: %s: %s\n", out, strerror(errno));
        return -1;
    }
    idl_render_doc(f, svc);
    if (out != NULL ? fclose(f) != 0 : fflush(f) != 0) {
        fprintf(stderr, "psa-idl: %s: %s\n", out ? out : "stdout", strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"output", required_argument, NULL, 'o'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *cmd;
    struct mf_diags *diags;
    int ch, i, rc = 0;

    while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            out = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("psa-idl (partix) %s\n", PARTIX_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (argc - optind < 2) {
        usage(stderr);
        return 2;
    }
    cmd = argv[optind++];
    if (strcmp(cmd, "check") != 0 && strcmp(cmd, "generate") != 0 && strcmp(cmd, "doc") != 0) {
        fprintf(stderr, "psa-idl: unknown command '%s'\n", cmd);
        usage(stderr);
        return 2;
    }
    if (strcmp(cmd, "check") != 0 && argc - optind != 1) {
        fprintf(stderr, "psa-idl: %s takes one interface\n", cmd);
        return 2;
    }
    if (strcmp(cmd, "generate") == 0 && out == NULL) {
        fputs("psa-idl: generate needs -o DIR\n", stderr);
        return 2;
    }
    diags = mf_diags_new();
    if (diags == NULL)
        return 1;
    for (i = optind; i < argc; i++) {
        struct idl_service *svc = NULL;

        if (idl_load(argv[i], &svc, diags) != 0) {
            rc = -1;
            continue;
        }
        if (strcmp(cmd, "check") == 0) {
            printf("%s: %s, %zu method%s, client header %s [%s]\n", svc->name, svc->prefix,
                   svc->n_methods, svc->n_methods == 1 ? "" : "s", svc->header, argv[i]);
        } else if (strcmp(cmd, "generate") == 0) {
            if (idl_generate(svc, out, diags) != 0)
                rc = -1;
        } else if (doc(svc, out) != 0) {
            rc = -1;
        }
        idl_free(svc);
    }
    if (mf_diags_count(diags) > 0) {
        mf_diags_print(diags, stderr);
        fprintf(stderr, "psa-idl: %zu error%s\n", mf_diags_count(diags),
                mf_diags_count(diags) == 1 ? "" : "s");
    }
    mf_diags_free(diags);
    return rc == 0 ? 0 : 1;
}

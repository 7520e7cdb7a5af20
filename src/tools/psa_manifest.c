/*
 * psa-manifest - check TF-M manifest lists and generate psa_manifest/
 * headers from them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "version.h"

#define MAX_DEFINES 256
#define MAX_LISTS 64

static void usage(FILE *f)
{
    fputs("usage: psa-manifest check [options] LIST.yaml...\n"
          "       psa-manifest generate [options] LIST.yaml... -o DIR\n"
          "\n"
          "  check     validate the manifest lists and every manifest they name;\n"
          "            print one line per partition, or every error found\n"
          "  generate  also write DIR/psa_manifest/{sid.h,pid.h,<manifest>.h} and\n"
          "            DIR/auto_generated/load_info_<manifest>.c (what the partition\n"
          "            runtime reads of its manifest: build it into the partition)\n"
          "            (a file whose content is unchanged is not rewritten)\n"
          "  --manifest-list FILE  one more manifest list (repeatable, as TF-M's\n"
          "            extra lists); these come first, then the LIST.yaml operands\n"
          "  --backend ipc|sfn  the SPM backend (TF-M's CONFIG_TFM_SPM_BACKEND):\n"
          "            the model of 'model: dual' partitions (default ipc)\n"
          "  --platform FILE  also check every interrupt source against the\n"
          "            platform description psa-spm will run with\n"
          "  -D NAME=VALUE  a build option, for 'conditional' entries and\n"
          "            sizes written as macro names (-D NAME alone means 1)\n"
          "  --version  print psa-manifest's version\n",
          f);
}

static void print_partition(const struct mf_partition *p)
{
    size_t i;

    printf("%s: pid %d, %s, %s, %s%s, FF-M 1.%d, stack 0x%llx", p->name, (int)p->pid,
           mf_type_name(p->type), mf_priority_name(p->priority), mf_model_name(p->model),
           p->dual ? " (dual)" : "", p->ffm_version == MF_FFM_1_1 ? 1 : 0,
           (unsigned long long)p->stack_size);
    printf("; services:");
    for (i = 0; i < p->n_services; i++) {
        const struct mf_service *s = &p->services[i];

        printf("%s %s (sid 0x%x, v%u %s, ", i ? "," : "", s->name, (unsigned)s->sid, s->version,
               mf_policy_name(s->policy));
        if (s->connection_based)
            printf("connection-based");
        else
            printf("stateless handle 0x%08x", (unsigned)s->stateless_handle);
        printf("%s%s)", s->non_secure_clients ? ", NS clients" : ", secure clients only",
               s->mm_iovec ? ", MM-IOVEC" : "");
    }
    if (p->n_services == 0)
        printf(" none");
    printf("; irqs:");
    for (i = 0; i < p->n_irqs; i++)
        printf("%s %s (source %s, %s)", i ? "," : "", p->irqs[i].signal_name, p->irqs[i].source,
               p->irqs[i].handling == MF_IRQ_FLIH ? "FLIH" : "SLIH");
    if (p->n_irqs == 0)
        printf(" none");
    printf(" [%s]\n", p->manifest_path);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"output", required_argument, NULL, 'o'},
        {"version", no_argument, NULL, 'V'},
        {"platform", required_argument, NULL, 'P'},
        {"manifest-list", required_argument, NULL, 'm'},
        {"backend", required_argument, NULL, 'B'},
        {NULL, 0, NULL, 0},
    };
    struct mf_define defines[MAX_DEFINES];
    struct mf_options opt = {defines, 0, MF_BACKEND_IPC};
    const char *lists[MAX_LISTS];
    size_t n_lists = 0;
    struct mf_system *sys = NULL;
    struct mf_diags *diags;
    const char *outdir = NULL, *cmd, *platform = NULL;
    struct mf_platform *plat = NULL;
    int ch, rc;
    size_t i;

    while ((ch = getopt_long(argc, argv, "D:o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'D': {
            char *eq = strchr(optarg, '=');

            if (opt.n_defines == MAX_DEFINES) {
                fprintf(stderr, "psa-manifest: more than %d -D options\n", MAX_DEFINES);
                return 2;
            }
            if (eq != NULL)
                *eq = '\0';
            defines[opt.n_defines].name = optarg;
            defines[opt.n_defines++].value = eq ? eq + 1 : "1";
            break;
        }
        case 'P':
            platform = optarg;
            break;
        case 'm':
            if (n_lists == MAX_LISTS) {
                fprintf(stderr, "psa-manifest: more than %d manifest lists\n", MAX_LISTS);
                return 2;
            }
            lists[n_lists++] = optarg;
            break;
        case 'B':
            if (strcmp(optarg, "ipc") == 0) {
                opt.backend = MF_BACKEND_IPC;
            } else if (strcmp(optarg, "sfn") == 0) {
                opt.backend = MF_BACKEND_SFN;
            } else {
                fprintf(stderr, "psa-manifest: --backend is ipc or sfn, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'o':
            outdir = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("psa-manifest (partix) %s\n", PARTIX_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (argc - optind < 1 || (argc - optind < 2 && n_lists == 0)) {
        usage(stderr);
        return 2;
    }
    cmd = argv[optind];
    for (i = (size_t)optind + 1; i < (size_t)argc; i++) {
        if (n_lists == MAX_LISTS) {
            fprintf(stderr, "psa-manifest: more than %d manifest lists\n", MAX_LISTS);
            return 2;
        }
        lists[n_lists++] = argv[i];
    }
    if (strcmp(cmd, "check") != 0 && strcmp(cmd, "generate") != 0) {
        fprintf(stderr, "psa-manifest: unknown command '%s'\n", cmd);
        usage(stderr);
        return 2;
    }
    if (strcmp(cmd, "generate") == 0 && outdir == NULL) {
        fputs("psa-manifest: generate needs -o DIR\n", stderr);
        return 2;
    }
    diags = mf_diags_new();
    if (diags == NULL)
        return 1;
    rc = platform != NULL ? mf_platform_load(platform, &plat, diags) : 0;
    if (rc == 0)
        rc = mf_load_lists(lists, n_lists, &opt, &sys, diags);
    if (rc == 0 && platform != NULL)
        rc = mf_platform_bind(plat, sys, diags);
    if (rc == 0 && strcmp(cmd, "generate") == 0)
        rc = mf_generate(sys, outdir, diags);
    if (rc != 0 || mf_diags_warning_count(diags) > 0)
        mf_diags_print(diags, stderr);
    if (rc != 0) {
        fprintf(stderr, "psa-manifest: %zu error%s\n", mf_diags_count(diags),
                mf_diags_count(diags) == 1 ? "" : "s");
    } else if (strcmp(cmd, "check") == 0) {
        for (i = 0; i < sys->n_partitions; i++)
            print_partition(&sys->partitions[i]);
        for (i = 0; i < sys->n_skipped; i++)
            printf("%s: OFF (%s is off)\n", sys->skipped[i].description,
                   sys->skipped[i].conditional);
    }
    mf_system_free(sys);
    mf_platform_free(plat);
    mf_diags_free(diags);
    return rc == 0 ? 0 : 1;
}

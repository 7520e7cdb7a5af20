/*
 * bench_tinymaix_service.c - make bench: the shipped model's inference time
 * in-process (the engine alone: tm_preprocess + tm_run) and through the
 * TinyMaix inference partition (SET_INPUT, RUN_INFERENCE, GET_OUTPUT: three
 * psa_calls; and CLASSIFY, 64 images a call), with the ratios.  psa-spm
 * runs on a throwaway device in the provisioning lifecycle state, so that
 * the bench seals the model for it first.  Figures only, never asserted.
 *
 * Usage: bench_tinymaix_service PSA_SPM MANIFEST_LIST PLATFORM MODEL
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psa/client.h"
#include "tfm_tinymaix_inference_api.h"
#include "tinymaix.h"

#define ROUNDS 21
#define PER_ROUND 200

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[n / 2];
}

static pid_t start_spm(char **argv, const char *sock, const char *state)
{
    char fdarg[16], buf[8];
    struct pollfd p;
    int fds[2];
    pid_t pid;

    if (pipe(fds) < 0)
        return -1;
    snprintf(fdarg, sizeof(fdarg), "%d", fds[1]);
    if ((pid = fork()) == 0) {
        close(fds[0]);
        execl(argv[1], argv[1], "--manifest-list", argv[2], "--platform", argv[3], "--socket", sock,
              "--state-dir", state, "--lifecycle", "psa-rot-provisioning", "--log-level", "error",
              "--ready-fd", fdarg, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    p.fd = fds[0];
    p.events = POLLIN;
    if (pid < 0 || poll(&p, 1, 15000) != 1 || read(fds[0], buf, sizeof(buf)) != 6) {
        if (pid > 0)
            kill(pid, SIGKILL);
        return -1;
    }
    close(fds[0]);
    return pid;
}

int main(int argc, char **argv)
{
    static uint8_t model[TFM_TINYMAIX_MODEL_MAX], sealed[TFM_TINYMAIX_SEALED_MAX];
    static uint8_t images[TFM_TINYMAIX_BATCH_MAX * TFM_TINYMAIX_INPUT_SIZE];
    static uint8_t arena[64 * 1024], raw_in[TFM_TINYMAIX_INPUT_SIZE];
    struct tfm_tinymaix_result res[TFM_TINYMAIX_BATCH_MAX];
    char dir[] = "/tmp/partix-bench-tmx-XXXXXX", sock[64], state[64];
    double t_in[ROUNDS], t_one[ROUNDS], t_batch[ROUNDS], t0, in, one, batch;
    size_t len, sealed_len = 0, i, n;
    tm_mat_t mi, raw, outs[1];
    float scores[TFM_TINYMAIX_MAX_CLASSES];
    tm_mdl_t mdl;
    psa_handle_t h;
    pid_t spm;
    FILE *f;
    int r, k;

    if (argc != 5) {
        fprintf(stderr, "usage: bench_tinymaix_service PSA_SPM MANIFEST_LIST PLATFORM MODEL\n");
        return 2;
    }
    if ((f = fopen(argv[4], "rb")) == NULL)
        return 1;
    len = fread(model, 1, sizeof(model), f);
    fclose(f);
    for (i = 0; i < sizeof(images); i++) /* made-up images: timing only */
        images[i] = (uint8_t)((i * 2654435761u) >> 24);

    /* in-process */
    if (tm_load(&mdl, model, arena, NULL, &mi) != TM_OK)
        return 1;
    for (r = 0; r < ROUNDS; r++) {
        t0 = now_us();
        for (k = 0; k < PER_ROUND; k++) {
            memcpy(raw_in, images + (k % TFM_TINYMAIX_BATCH_MAX) * TFM_TINYMAIX_INPUT_SIZE,
                   sizeof(raw_in));
            raw = mi;
            raw.data = (mtype_t *)raw_in;
            tm_preprocess(&mdl, TMPP_UINT2INT, &raw, &mi);
            tm_run(&mdl, &mi, outs);
        }
        t_in[r] = (now_us() - t0) / PER_ROUND;
    }
    tm_unload(&mdl);

    /* through the partition */
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(sock, sizeof(sock), "%s/spm.sock", dir);
    snprintf(state, sizeof(state), "%s/state", dir);
    setenv("PSA_SPM_SOCKET", sock, 1);
    if ((spm = start_spm(argv, sock, state)) < 0) {
        fprintf(stderr, "bench_tinymaix_service: psa-spm did not start\n");
        return 1;
    }
    if (tfm_tinymaix_open(&h) != PSA_SUCCESS ||
        tfm_tinymaix_seal_model(h, model, len, sealed, sizeof(sealed), &sealed_len) !=
            PSA_SUCCESS ||
        tfm_tinymaix_load_model(h, sealed, sealed_len) != PSA_SUCCESS)
        return 1;
    for (r = 0; r < ROUNDS; r++) {
        t0 = now_us();
        for (k = 0; k < PER_ROUND; k++) {
            if (tfm_tinymaix_set_input(
                    h, images + (k % TFM_TINYMAIX_BATCH_MAX) * TFM_TINYMAIX_INPUT_SIZE,
                    TFM_TINYMAIX_INPUT_SIZE) != PSA_SUCCESS ||
                tfm_tinymaix_run(h) != PSA_SUCCESS ||
                tfm_tinymaix_get_output(h, scores, TFM_TINYMAIX_MAX_CLASSES, &n) != PSA_SUCCESS)
                return 1;
        }
        t_one[r] = (now_us() - t0) / PER_ROUND;
        t0 = now_us();
        for (k = 0; k < PER_ROUND / 20; k++)
            if (tfm_tinymaix_classify(h, images, TFM_TINYMAIX_BATCH_MAX, res) != PSA_SUCCESS)
                return 1;
        t_batch[r] = (now_us() - t0) / (PER_ROUND / 20 * TFM_TINYMAIX_BATCH_MAX);
    }
    tfm_tinymaix_close(h);
    kill(spm, SIGTERM);
    waitpid(spm, NULL, 0);
    snprintf(sock, sizeof(sock), "rm -rf '%s'", dir);
    if (system(sock) != 0)
        fprintf(stderr, "bench_tinymaix_service: could not remove %s\n", dir);

    in = median(t_in, ROUNDS);
    one = median(t_one, ROUNDS);
    batch = median(t_batch, ROUNDS);
    printf("shipped model (%s, %zu bytes), median per image:\n", argv[4], len);
    printf("  in-process tm_preprocess + tm_run:            %8.1f us\n", in);
    printf("  partition, SET_INPUT + RUN_INFERENCE + GET_OUTPUT: %5.1f us (%.1fx in-process)\n",
           one, one / in);
    printf("  partition, CLASSIFY of %d images per call:    %8.1f us (%.2fx in-process)\n",
           TFM_TINYMAIX_BATCH_MAX, batch, batch / in);
    return 0;
}

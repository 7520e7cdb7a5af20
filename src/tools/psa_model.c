/*
 * psa_model.c - psa-model: seal a TinyMaix model for this device and use
 * it through the TinyMaix inference service (docs/model-encryption.md).
 *
 *   psa-model seal MODEL.tmdl -o SEALED     seal for the device psa-spm runs
 *   psa-model classify SEALED [-n N] [--first I]   label and score of N test images
 *   psa-model accuracy SEALED [-n N]        top-1 over the first N (all 10000)
 *   psa-model key                           the model key (DEV_MODE builds only)
 *
 * Images and labels are Fashion-MNIST's test set as Debian's
 * dataset-fashion-mnist installs it (--images/--labels name other IDX
 * files, gzipped or not).  Every command talks to the running psa-spm
 * ($PSA_SPM_SOCKET) through libpsa-client: the key and the decrypted model
 * never leave the partition.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "psa/client.h"
#include "version.h"
#include "tfm_tinymaix_inference_api.h"

#define DATA_DIR "/usr/share/datasets/fashion-mnist/"
#define IMAGES_DEFAULT DATA_DIR "t10k-images-idx3-ubyte.gz"
#define LABELS_DEFAULT DATA_DIR "t10k-labels-idx1-ubyte.gz"
#define FILE_MAX (64u << 20)

static const char *const class_names[10] = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                            "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                            "Bag",         "Ankle boot"};

static const char *status_name(psa_status_t st)
{
    switch (st) {
    case PSA_SUCCESS:
        return "success";
    case PSA_ERROR_NOT_PERMITTED:
        return "not permitted (sealing needs the psa-rot-provisioning lifecycle state or a "
               "DEV_MODE build)";
    case PSA_ERROR_NOT_SUPPORTED:
        return "not supported";
    case PSA_ERROR_INVALID_ARGUMENT:
        return "invalid argument";
    case PSA_ERROR_INVALID_SIGNATURE:
        return "invalid signature (altered, or sealed for another device)";
    case PSA_ERROR_BAD_STATE:
        return "bad state";
    case PSA_ERROR_CONNECTION_REFUSED:
        return "connection refused (is psa-spm running? PSA_SPM_SOCKET)";
    case PSA_ERROR_CONNECTION_BUSY:
        return "connection busy (every session in use)";
    case PSA_ERROR_INSUFFICIENT_MEMORY:
        return "insufficient memory";
    default:
        return "failed";
    }
}

static int fail(const char *what, psa_status_t st)
{
    fprintf(stderr, "psa-model: %s: %s (%d)\n", what, status_name(st), (int)st);
    return 1;
}

/* A whole file (gunzipped if it is gzip: zlib reads plain files as they
 * are), at most FILE_MAX bytes; NULL with a message. */
static uint8_t *slurp(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = NULL, *p;
    int r;

    if (f == NULL) {
        fprintf(stderr, "psa-model: %s: %s\n", path, strerror(errno ? errno : ENOENT));
        return NULL;
    }
    for (;;) {
        if ((p = realloc(buf, cap)) == NULL)
            break;
        buf = p;
        r = gzread(f, buf + n, (unsigned)(cap - n));
        if (r < 0)
            break;
        n += (size_t)r;
        if (r == 0) {
            gzclose(f);
            *len = n;
            return buf;
        }
        if (n == cap) {
            if (cap >= FILE_MAX)
                break;
            cap *= 2;
        }
    }
    fprintf(stderr, "psa-model: %s: cannot read it (or larger than %u bytes)\n", path, FILE_MAX);
    gzclose(f);
    free(buf);
    return NULL;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An IDX file of unsigned bytes with @p dims dimensions, the ones after the
 * first multiplying to @p item: its items and their count. */
static uint8_t *read_idx(const char *path, unsigned dims, size_t item, size_t *count,
                         uint8_t **file)
{
    size_t len = 0, n, i, sz = 1;
    uint8_t *f = slurp(path, &len);

    if (f == NULL)
        return NULL;
    if (len < 4 + 4 * dims || be32(f) != (0x0800u | dims))
        goto bad;
    n = be32(f + 4);
    for (i = 1; i < dims; i++)
        sz *= be32(f + 4 + 4 * i);
    if (sz != item || n > (len - 4 - 4 * dims) / item)
        goto bad;
    *count = n;
    *file = f;
    return f + 4 + 4 * dims;
bad:
    fprintf(stderr, "psa-model: %s: not an IDX file of %u-dimensional %zu-byte items\n", path, dims,
            item);
    free(f);
    return NULL;
}

struct dataset {
    uint8_t *images, *labels, *ifile, *lfile;
    size_t count;
};

static int dataset_open(struct dataset *d, const char *images, const char *labels)
{
    size_t ni = 0, nl = 0;

    memset(d, 0, sizeof(*d));
    d->images = read_idx(images, 3, TFM_TINYMAIX_INPUT_SIZE, &ni, &d->ifile);
    if (d->images == NULL)
        return -1;
    d->labels = read_idx(labels, 1, 1, &nl, &d->lfile);
    if (d->labels == NULL) {
        free(d->ifile);
        return -1;
    }
    d->count = ni < nl ? ni : nl;
    return 0;
}

static void dataset_close(struct dataset *d)
{
    free(d->ifile);
    free(d->lfile);
}

/* A session with the sealed model at @p path loaded. */
static int open_loaded(const char *path, psa_handle_t *h)
{
    size_t len = 0;
    uint8_t *sealed = slurp(path, &len);
    psa_status_t st;

    if (sealed == NULL)
        return 1;
    if ((st = tfm_tinymaix_open(h)) != PSA_SUCCESS) {
        free(sealed);
        return fail("connect", st);
    }
    st = tfm_tinymaix_load_model(*h, sealed, len);
    free(sealed);
    if (st != PSA_SUCCESS) {
        tfm_tinymaix_close(*h);
        return fail("load the model", st);
    }
    return 0;
}

static int cmd_seal(const char *in, const char *out)
{
    size_t len = 0, sealed_len = 0;
    uint8_t *model = slurp(in, &len), *sealed;
    psa_handle_t h;
    psa_status_t st;
    FILE *f;

    if (model == NULL)
        return 1;
    if (len > TFM_TINYMAIX_MODEL_MAX) {
        fprintf(stderr, "psa-model: %s: %zu bytes, more than the service takes (%u)\n", in, len,
                TFM_TINYMAIX_MODEL_MAX);
        free(model);
        return 1;
    }
    sealed = malloc(TFM_TINYMAIX_SEALED_SIZE(len));
    if (sealed == NULL || (st = tfm_tinymaix_open(&h)) != PSA_SUCCESS) {
        free(model);
        free(sealed);
        return sealed == NULL ? 1 : fail("connect", st);
    }
    st = tfm_tinymaix_seal_model(h, model, len, sealed, TFM_TINYMAIX_SEALED_SIZE(len), &sealed_len);
    tfm_tinymaix_close(h);
    free(model);
    if (st != PSA_SUCCESS) {
        free(sealed);
        return fail("seal", st);
    }
    if ((f = fopen(out, "wb")) == NULL || fwrite(sealed, 1, sealed_len, f) != sealed_len ||
        fclose(f) != 0) {
        fprintf(stderr, "psa-model: %s: %s\n", out, strerror(errno));
        free(sealed);
        return 1;
    }
    free(sealed);
    printf("sealed %s (%zu bytes) for this device: %s (%zu bytes)\n", in, len, out, sealed_len);
    return 0;
}

static int cmd_classify(const char *path, struct dataset *d, size_t first, size_t n, bool quiet)
{
    struct tfm_tinymaix_result r[TFM_TINYMAIX_BATCH_MAX];
    size_t done = 0, right = 0, k, i;
    psa_handle_t h;
    psa_status_t st;

    if (first > d->count)
        first = d->count;
    if (n > d->count - first)
        n = d->count - first;
    if (open_loaded(path, &h) != 0)
        return 1;
    while (done < n) {
        k = n - done < TFM_TINYMAIX_BATCH_MAX ? n - done : TFM_TINYMAIX_BATCH_MAX;
        st = tfm_tinymaix_classify(h, d->images + (first + done) * TFM_TINYMAIX_INPUT_SIZE, k, r);
        if (st != PSA_SUCCESS) {
            tfm_tinymaix_close(h);
            return fail("classify", st);
        }
        for (i = 0; i < k; i++) {
            uint8_t want = d->labels[first + done + i];

            right += r[i].label == want;
            if (!quiet)
                printf("image %5zu: %-11s score %.3f (labelled %s)%s\n", first + done + i,
                       r[i].label < 10 ? class_names[r[i].label] : "?", (double)r[i].score,
                       want < 10 ? class_names[want] : "?", r[i].label == want ? "" : "  WRONG");
        }
        done += k;
    }
    tfm_tinymaix_close(h);
    printf("top-1 accuracy: %zu/%zu = %.2f%%\n", right, n,
           n > 0 ? 100.0 * (double)right / (double)n : 0.0);
    return 0;
}

static int cmd_key(void)
{
    uint8_t key[TFM_TINYMAIX_KEY_SIZE];
    psa_handle_t h;
    psa_status_t st;
    size_t i;

    if ((st = tfm_tinymaix_open(&h)) != PSA_SUCCESS)
        return fail("connect", st);
    st = tfm_tinymaix_get_model_key(h, key);
    tfm_tinymaix_close(h);
    if (st != PSA_SUCCESS)
        return fail("get the model key (a DEV_MODE build only)", st);
    for (i = 0; i < sizeof(key); i++)
        printf("%02x", key[i]);
    printf("\n");
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: psa-model seal MODEL.tmdl -o SEALED\n"
               "       psa-model classify SEALED [-n COUNT] [--first INDEX]\n"
               "       psa-model accuracy SEALED [-n COUNT]\n"
               "       psa-model key\n"
               "options: --images IDX[.gz] --labels IDX[.gz] (default: Fashion-MNIST's test "
               "set,\n         " DATA_DIR ")\n"
               "psa-spm's socket: $PSA_SPM_SOCKET\n");
}

static int number(const char *s, size_t *out)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *s == '\0' || *end != '\0' || *s == '-')
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"count", required_argument, NULL, 'n'},
        {"first", required_argument, NULL, 'f'},  {"images", required_argument, NULL, 'i'},
        {"labels", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0}};
    const char *out = NULL, *images = IMAGES_DEFAULT, *labels = LABELS_DEFAULT, *cmd;
    size_t n = 0, first = 0;
    bool have_n = false;
    struct dataset d;
    int c, rc;

    /* GNU getopt: options may follow the operands */
    while ((c = getopt_long(argc, argv, "o:n:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'n':
            if (number(optarg, &n) != 0)
                goto bad;
            have_n = true;
            break;
        case 'f':
            if (number(optarg, &first) != 0)
                goto bad;
            break;
        case 'i':
            images = optarg;
            break;
        case 'l':
            labels = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("psa-model (partix) %s\n", PARTIX_VERSION);
            return 0;
        default:
            goto bad;
        }
    }
    if (optind >= argc)
        goto bad;
    cmd = argv[optind];
    if (strcmp(cmd, "key") == 0 && optind + 1 == argc)
        return cmd_key();
    if (optind + 2 != argc)
        goto bad;
    if (strcmp(cmd, "seal") == 0) {
        if (out == NULL)
            goto bad;
        return cmd_seal(argv[optind + 1], out);
    }
    if (strcmp(cmd, "classify") != 0 && strcmp(cmd, "accuracy") != 0)
        goto bad;
    if (dataset_open(&d, images, labels) != 0)
        return 1;
    if (!have_n)
        n = strcmp(cmd, "classify") == 0 ? 10 : d.count;
    rc = cmd_classify(argv[optind + 1], &d, first, n, strcmp(cmd, "accuracy") == 0);
    dataset_close(&d);
    return rc;
bad:
    usage(stderr);
    return 2;
}

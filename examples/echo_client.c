/*
 * echo_client.c - calls the echo service as a TF-M non-secure app would:
 * psa_connect, psa_call, psa_close, and prints what it sent and got.
 * Build: cc -I DIR echo_client.c $(pkg-config --cflags --libs psa-client), where DIR
 * holds the headers psa-manifest generated for the manifest list the SPM runs.
 */
#include <stdio.h>
#include <string.h>

#include "psa/client.h"
#include "psa_manifest/sid.h" /* psa-manifest generate manifests/manifest_list.yaml -o DIR */
#include "tfm_echo_api.h"

int main(int argc, char **argv)
{
    const char *text = argc > 1 ? argv[1] : "Hello, secure world!";
    uint8_t out[1024];
    size_t n = 0;
    psa_status_t st;

    printf("echo: framework version 0x%04x, service version %u\n", psa_framework_version(),
           psa_version(TFM_ECHO_SERVICE_SID));
    printf("echo: sent %zu bytes: \"%s\"\n", strlen(text), text);
    st = tfm_echo_service((const uint8_t *)text, strlen(text), out, sizeof(out), &n);
    if (st != PSA_SUCCESS) {
        fprintf(stderr, "echo: failed with status %d\n", (int)st);
        return 1;
    }
    printf("echo: got  %zu bytes: \"%.*s\"\n", n, (int)n, (const char *)out);
    return n == strlen(text) && memcmp(out, text, n) == 0 ? 0 : 1;
}

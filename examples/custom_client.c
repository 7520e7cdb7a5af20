/*
 * custom_client.c - the guide's section 6 test, against the custom example
 * service: FOO reverses a string, BAR doubles an integer.
 * Build: cc custom_client.c $(pkg-config --cflags --libs psa-client)
 */
#include <stdio.h>
#include <string.h>

#include "tfm_my_custom_service_api.h"

int main(void)
{
    const char *foo_input = "HelloSecurePartition";
    uint8_t foo_output[128];
    size_t foo_output_size = sizeof(foo_output);
    int32_t bar_param = 21, bar_result = 0;
    tfm_my_custom_service_status_t st;

    printf("custom: FOO sent \"%s\"\n", foo_input);
    st = tfm_my_custom_service_foo((const uint8_t *)foo_input, strlen(foo_input), foo_output,
                                   &foo_output_size);
    if (st != TFM_MY_CUSTOM_SERVICE_SUCCESS) {
        fprintf(stderr, "custom: FOO failed with status %d\n", (int)st);
        return 1;
    }
    printf("custom: FOO got  \"%.*s\" (%zu bytes)\n", (int)foo_output_size,
           (const char *)foo_output, foo_output_size);
    printf("custom: BAR sent %d\n", (int)bar_param);
    st = tfm_my_custom_service_bar(bar_param, &bar_result);
    if (st != TFM_MY_CUSTOM_SERVICE_SUCCESS) {
        fprintf(stderr, "custom: BAR failed with status %d\n", (int)st);
        return 1;
    }
    printf("custom: BAR got  %d\n", (int)bar_result);
    return bar_result == 2 * bar_param ? 0 : 1;
}

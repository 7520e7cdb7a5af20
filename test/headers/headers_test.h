/*
 * headers_test.h - the two halves of the header test: each translation unit
 * includes the partix headers and Mbed TLS's <psa/crypto.h> in its own order.
 */
#ifndef PARTIX_HEADERS_TEST_H
#define PARTIX_HEADERS_TEST_H

void test_crypto_first(void **state);
void test_psa_first(void **state);

#endif

/*
 * tfm_tinymaix_inference_api.h - client API of the TinyMaix inference
 * service (TFM_SP_TINYMAIX_INFERENCE, PID 445, SID 0x107, connection-based,
 * version 1 STRICT) of the pico2w secure-partitions guide, section 3.2
 * (docs/services.md, docs/tinymaix-integration.md, docs/model-encryption.md).
 *
 * A client connects (tfm_tinymaix_open), loads a model sealed for this
 * device (LOAD_MODEL), then classifies 28x28x1 uint8 images: SET_INPUT,
 * RUN_INFERENCE, GET_OUTPUT, or CLASSIFY for up to
 * TFM_TINYMAIX_BATCH_MAX images in one call.  Everything belongs to the
 * connection: another client's model, input and output are out of reach,
 * and closing the connection wipes and frees them.
 *
 * The operation is the psa_call() type, as FF-M intends.  Statuses common
 * to every call: PSA_ERROR_BAD_STATE before a model is loaded (and
 * GET_OUTPUT before a run), PSA_ERROR_INVALID_ARGUMENT for a vector of the
 * wrong size, PSA_ERROR_BUFFER_TOO_SMALL for a short output vector,
 * PSA_ERROR_NOT_SUPPORTED for an unknown operation.
 */
#ifndef TFM_TINYMAIX_INFERENCE_API_H
#define TFM_TINYMAIX_INFERENCE_API_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** psa_call() types. */
#define TFM_TINYMAIX_LOAD_MODEL (1)    /**< in[0]: a sealed model */
#define TFM_TINYMAIX_SET_INPUT (2)     /**< in[0]: one image, TFM_TINYMAIX_INPUT_SIZE bytes */
#define TFM_TINYMAIX_RUN_INFERENCE (3) /**< no vectors */
#define TFM_TINYMAIX_GET_OUTPUT (4)    /**< out[0]: the scores, one float per class */
#define TFM_TINYMAIX_GET_MODEL_KEY (5) /**< out[0]: the model key; DEV_MODE builds only */
#define TFM_TINYMAIX_CLASSIFY (6)      /**< in[0]: N images; out[0]: N results */
#define TFM_TINYMAIX_SEAL_MODEL (7)    /**< in[0]: a plain .tmdl; out[0]: it sealed */

/** An input: 28x28 pixels, 1 channel, uint8 (Fashion-MNIST's shape). */
#define TFM_TINYMAIX_INPUT_SIZE (28 * 28 * 1)
/** The most classes a model may have. */
#define TFM_TINYMAIX_MAX_CLASSES (16)
/** The largest plain .tmdl the service takes. */
#define TFM_TINYMAIX_MODEL_MAX (64 * 1024)
/** A sealed model: the IV, the AES-128-CBC ciphertext (PKCS#7 padding: 1 to
 *  16 bytes more than the plain model), the HMAC-SHA256 tag. */
#define TFM_TINYMAIX_IV_SIZE (16)
#define TFM_TINYMAIX_TAG_SIZE (32)
#define TFM_TINYMAIX_SEALED_SIZE(plain)                                                            \
    (TFM_TINYMAIX_IV_SIZE + ((size_t)(plain) / 16 + 1) * 16 + TFM_TINYMAIX_TAG_SIZE)
#define TFM_TINYMAIX_SEALED_MAX TFM_TINYMAIX_SEALED_SIZE(TFM_TINYMAIX_MODEL_MAX)
/** The most images one CLASSIFY call takes. */
#define TFM_TINYMAIX_BATCH_MAX (64)
/** The model key GET_MODEL_KEY returns (DEV_MODE): AES-128. */
#define TFM_TINYMAIX_KEY_SIZE (16)

/** One image's answer: the top class and its score (0..1). */
struct tfm_tinymaix_result {
    uint32_t label;
    float score;
};

/**
 * Connects to the service: *@p handle gets the connection.  Each
 * connection is a session of its own (its model, input and output).
 * @return PSA_SUCCESS, or the refusal (PSA_ERROR_CONNECTION_REFUSED without
 *         the service, PSA_ERROR_CONNECTION_BUSY when every session is in use).
 */
psa_status_t tfm_tinymaix_open(psa_handle_t *handle);

/** Closes the connection: the service wipes and frees the session. */
void tfm_tinymaix_close(psa_handle_t handle);

/**
 * Loads a model sealed for this device (docs/model-encryption.md): the
 * service checks its tag, decrypts it and loads it into TinyMaix, replacing
 * the session's model.  PSA_ERROR_INVALID_SIGNATURE if the tag does not
 * match (a model altered, or sealed for another device or service);
 * PSA_ERROR_INVALID_ARGUMENT for a blob of impossible size or a model
 * TinyMaix refuses (not int8, not 28x28x1 in, too many classes or layers
 * the engine rejects); PSA_ERROR_INSUFFICIENT_MEMORY for a model whose
 * work buffer is larger than the session's.
 */
psa_status_t tfm_tinymaix_load_model(psa_handle_t handle, const uint8_t *sealed, size_t len);

/** Sets the input: exactly TFM_TINYMAIX_INPUT_SIZE bytes. */
psa_status_t tfm_tinymaix_set_input(psa_handle_t handle, const uint8_t *image, size_t len);

/** Runs the model on the input set last. */
psa_status_t tfm_tinymaix_run(psa_handle_t handle);

/**
 * The last run's scores: *@p classes gets the number of classes, @p scores
 * (room for @p max floats) one score each.  PSA_ERROR_BUFFER_TOO_SMALL if
 * @p max is smaller than the model's classes.
 */
psa_status_t tfm_tinymaix_get_output(psa_handle_t handle, float *scores, size_t max,
                                     size_t *classes);

/**
 * Classifies @p count images (1 .. TFM_TINYMAIX_BATCH_MAX), laid end to end
 * in @p images (count * TFM_TINYMAIX_INPUT_SIZE bytes), in one call:
 * @p results[i] gets image i's top class and score.  The session's input
 * and output are left as the last image's.
 */
psa_status_t tfm_tinymaix_classify(psa_handle_t handle, const uint8_t *images, size_t count,
                                   struct tfm_tinymaix_result *results);

/**
 * Seals plain model @p model (a .tmdl, at most TFM_TINYMAIX_MODEL_MAX bytes)
 * for this device, into @p sealed (room for @p size bytes; it needs
 * TFM_TINYMAIX_SEALED_SIZE(len)); *@p sealed_len gets its length.  Allowed
 * only while the device is in the PSA RoT provisioning lifecycle state, or
 * in a DEV_MODE build of the service: else PSA_ERROR_NOT_PERMITTED.
 */
psa_status_t tfm_tinymaix_seal_model(psa_handle_t handle, const uint8_t *model, size_t len,
                                     uint8_t *sealed, size_t size, size_t *sealed_len);

/**
 * DEV_MODE builds only: the AES-128 model key, for debugging a sealing
 * tool.  A normal build has no such operation: PSA_ERROR_NOT_SUPPORTED.
 */
psa_status_t tfm_tinymaix_get_model_key(psa_handle_t handle, uint8_t key[TFM_TINYMAIX_KEY_SIZE]);

#ifdef __cplusplus
}
#endif

#endif /* TFM_TINYMAIX_INFERENCE_API_H */

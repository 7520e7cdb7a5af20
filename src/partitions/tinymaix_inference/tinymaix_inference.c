/*
 * tinymaix_inference.c - the TinyMaix inference service of the pico2w
 * guide (section 3.2), its bugs fixed: the operation is the psa_call type
 * (not rhandle); every session (connection) has its own model, input and
 * output (the guide's globals let one client read another's), wiped and
 * freed when it closes; the model key comes from the device's hardware
 * unique key through the Crypto service (not a random "HUK"), and a
 * sealed model carries a tag that is checked before it is decrypted
 * (tinymaix_seal.c).
 *
 *   LOAD_MODEL (1)     in[0]: a sealed model          -> the session's model
 *   SET_INPUT (2)      in[0]: 784 bytes (28x28x1)     -> the session's input
 *   RUN_INFERENCE (3)  runs the model on the input
 *   GET_OUTPUT (4)     out[0]: one float per class
 *   GET_MODEL_KEY (5)  out[0]: the AES-128 key        (DEV_MODE builds only)
 *   CLASSIFY (6)       in[0]: N images; out[0]: N {label, score}
 *   SEAL_MODEL (7)     in[0]: a plain .tmdl; out[0]: it sealed
 *                      (PSA RoT provisioning lifecycle, or DEV_MODE)
 *
 * A session's state is checked before its arguments: BAD_STATE before a
 * model is loaded (GET_OUTPUT: before a run), then INVALID_ARGUMENT for an
 * input vector of the wrong size, BUFFER_TOO_SMALL for a short output.
 */
#include <string.h>

#include "psa/lifecycle.h"
#include "psa/service.h"
#include "psa_manifest/tfm_tinymaix_inference.h"
#include "tfm_sp_log.h"
#include "tinymaix.h"
#include "tinymaix_inference.h"

/* A decrypted model has up to 16 bytes of padding before it is removed. */
#define TI_PLAIN_ROOM (TFM_TINYMAIX_MODEL_MAX + 16)
#define TI_MODEL_HEAD 64 /* sizeof(tm_mdlbin_t) in the .tmdl format */

struct ti_session {
    bool used, loaded, has_input, has_output;
    int32_t client;
    tm_mdl_t mdl;
    tm_mat_t in; /* the model's input, in the arena (tm_load) */
    size_t model_len;
    uint16_t classes;
    uint8_t input[TFM_TINYMAIX_INPUT_SIZE];
    float output[TFM_TINYMAIX_MAX_CLASSES];
    _Alignas(64) uint8_t model[TI_PLAIN_ROOM]; /* TinyMaix reads it in place */
    _Alignas(64) uint8_t arena[TI_ARENA_SIZE]; /* TinyMaix's main buffer */
};

static struct ti_session sessions[TI_SESSIONS];
/* One call at a time: the sealed bytes in, or out (SEAL_MODEL), and a
 * plain model being sealed. */
static _Alignas(8) uint8_t io_buf[TFM_TINYMAIX_SEALED_MAX];
static _Alignas(8) uint8_t plain_buf[TFM_TINYMAIX_MODEL_MAX];

static void session_unload(struct ti_session *s)
{
    if (s->loaded)
        tm_unload(&s->mdl);
    ti_wipe(&s->mdl, sizeof(s->mdl));
    ti_wipe(s->model, sizeof(s->model));
    ti_wipe(s->arena, sizeof(s->arena));
    ti_wipe(s->output, sizeof(s->output));
    s->loaded = s->has_output = false;
    s->model_len = 0;
    s->classes = 0;
}

static void session_free(struct ti_session *s)
{
    session_unload(s);
    ti_wipe(s, sizeof(*s));
}

static uint16_t u16_at(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* What this service needs of a model beyond what TinyMaix checks: int8, one
 * 28x28x1 input, one output of at most TFM_TINYMAIX_MAX_CLASSES floats, a
 * work buffer the session has. */
static psa_status_t check_model(const uint8_t *m, size_t len, uint16_t *classes)
{
    uint32_t n;

    if (len < TI_MODEL_HEAD || memcmp(m, "MAIX", 4) != 0 || m[4] != TM_MDL_INT8 || m[5] != 1 ||
        u16_at(m + 6) != 1 || u16_at(m + 8) != 1)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (u16_at(m + 20) != 3 || u16_at(m + 22) != 28 || u16_at(m + 24) != 28 || u16_at(m + 26) != 1)
        return PSA_ERROR_INVALID_ARGUMENT;
    n = (uint32_t)u16_at(m + 30) * u16_at(m + 32) * u16_at(m + 34);
    if (n == 0 || n > TFM_TINYMAIX_MAX_CLASSES)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (u32_at(m + 12) > TI_ARENA_SIZE || u32_at(m + 16) != 0)
        return PSA_ERROR_INSUFFICIENT_MEMORY; /* no sub-buffer: it would need a heap */
    *classes = (uint16_t)n;
    return PSA_SUCCESS;
}

static psa_status_t load_req(const psa_msg_t *msg, struct ti_session *s)
{
    size_t len = msg->in_size[0];
    uint16_t classes = 0;
    psa_status_t st;
    tm_err_t e;

    if (len < TFM_TINYMAIX_SEALED_SIZE(0) || len > sizeof(io_buf))
        return PSA_ERROR_INVALID_ARGUMENT;
    if (psa_read(msg->handle, 0, io_buf, len) != len)
        return PSA_ERROR_COMMUNICATION_FAILURE;
    session_unload(s);
    st = ti_unseal(io_buf, len, s->model, sizeof(s->model), &s->model_len);
    ti_wipe(io_buf, len);
    if (st != PSA_SUCCESS) {
        LOG_ERRFMT("[TinyMaix] client %d: sealed model refused (%d)\r\n", (int)msg->client_id,
                   (int)st);
        return st;
    }
    if ((st = check_model(s->model, s->model_len, &classes)) != PSA_SUCCESS) {
        session_unload(s);
        return st;
    }
#ifdef TM_HAVE_LOAD_LEN
    e = tm_load_len(&s->mdl, s->model, s->model_len, s->arena, NULL, &s->in);
#else
    e = tm_load(&s->mdl, s->model, s->arena, NULL, &s->in);
#endif
    if (e != TM_OK) {
        LOG_ERRFMT("[TinyMaix] client %d: TinyMaix refused the model (%d)\r\n", (int)msg->client_id,
                   (int)e);
        tm_unload(&s->mdl);
        session_unload(s);
        return e == TM_ERR_OOM ? PSA_ERROR_INSUFFICIENT_MEMORY : PSA_ERROR_INVALID_ARGUMENT;
    }
    s->loaded = true;
    s->classes = classes;
    LOG_INFFMT("[TinyMaix] client %d: model loaded (%u bytes, %u classes)\r\n", (int)msg->client_id,
               (unsigned)s->model_len, (unsigned)classes);
    return PSA_SUCCESS;
}

/* The session's input through the model into its output. */
static psa_status_t run(struct ti_session *s)
{
    tm_mat_t raw = s->in, outs[1];

    raw.data = (mtype_t *)s->input;
    if (tm_preprocess(&s->mdl, TMPP_UINT2INT, &raw, &s->in) != TM_OK ||
        tm_run(&s->mdl, &s->in, outs) != TM_OK)
        return PSA_ERROR_GENERIC_ERROR;
    memcpy(s->output, outs[0].dataf, s->classes * sizeof(float));
    s->has_output = true;
    return PSA_SUCCESS;
}

static psa_status_t set_input_req(const psa_msg_t *msg, struct ti_session *s)
{
    if (!s->loaded)
        return PSA_ERROR_BAD_STATE;
    if (msg->in_size[0] != TFM_TINYMAIX_INPUT_SIZE)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (psa_read(msg->handle, 0, s->input, sizeof(s->input)) != sizeof(s->input))
        return PSA_ERROR_COMMUNICATION_FAILURE;
    s->has_input = true;
    return PSA_SUCCESS;
}

static psa_status_t run_req(struct ti_session *s)
{
    if (!s->loaded || !s->has_input)
        return PSA_ERROR_BAD_STATE;
    return run(s);
}

static psa_status_t get_output_req(const psa_msg_t *msg, struct ti_session *s)
{
    if (!s->loaded || !s->has_output)
        return PSA_ERROR_BAD_STATE;
    if (msg->out_size[0] < s->classes * sizeof(float))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    psa_write(msg->handle, 0, s->output, s->classes * sizeof(float));
    return PSA_SUCCESS;
}

static struct tfm_tinymaix_result top(const struct ti_session *s)
{
    struct tfm_tinymaix_result r = {0, s->output[0]};
    uint32_t i;

    for (i = 1; i < s->classes; i++) {
        if (s->output[i] > r.score) {
            r.label = i;
            r.score = s->output[i];
        }
    }
    return r;
}

static psa_status_t classify_req(const psa_msg_t *msg, struct ti_session *s)
{
    size_t n = msg->in_size[0] / TFM_TINYMAIX_INPUT_SIZE, i;
    struct tfm_tinymaix_result r;
    psa_status_t st;

    if (!s->loaded)
        return PSA_ERROR_BAD_STATE;
    if (n == 0 || n > TFM_TINYMAIX_BATCH_MAX || msg->in_size[0] % TFM_TINYMAIX_INPUT_SIZE != 0)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] < n * sizeof(r))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    for (i = 0; i < n; i++) {
        if (psa_read(msg->handle, 0, s->input, sizeof(s->input)) != sizeof(s->input))
            return PSA_ERROR_COMMUNICATION_FAILURE;
        s->has_input = true;
        if ((st = run(s)) != PSA_SUCCESS)
            return st;
        r = top(s);
        psa_write(msg->handle, 0, &r, sizeof(r));
    }
    return PSA_SUCCESS;
}

/* Sealing a model for this device: a provisioning step. */
static bool may_seal(void)
{
#ifdef DEV_MODE
    return true;
#else
    return (psa_rot_lifecycle_state() & PSA_LIFECYCLE_PSA_STATE_MASK) ==
           PSA_LIFECYCLE_PSA_ROT_PROVISIONING;
#endif
}

static psa_status_t seal_req(const psa_msg_t *msg)
{
    size_t len = msg->in_size[0], out = 0;
    psa_status_t st;

    if (!may_seal()) {
        LOG_ERRFMT("[TinyMaix] client %d: sealing is for the provisioning lifecycle state\r\n",
                   (int)msg->client_id);
        return PSA_ERROR_NOT_PERMITTED;
    }
    if (len < TI_MODEL_HEAD || len > sizeof(plain_buf))
        return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] < TFM_TINYMAIX_SEALED_SIZE(len))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if (psa_read(msg->handle, 0, plain_buf, len) != len)
        return PSA_ERROR_COMMUNICATION_FAILURE;
    if (memcmp(plain_buf, "MAIX", 4) != 0) {
        st = PSA_ERROR_INVALID_ARGUMENT; /* not a .tmdl */
    } else if ((st = ti_seal(plain_buf, len, io_buf, sizeof(io_buf), &out)) == PSA_SUCCESS) {
        psa_write(msg->handle, 0, io_buf, out);
        LOG_INFFMT("[TinyMaix] client %d: sealed a %u-byte model for this device\r\n",
                   (int)msg->client_id, (unsigned)len);
    }
    ti_wipe(plain_buf, len);
    ti_wipe(io_buf, sizeof(io_buf));
    return st;
}

#ifdef DEV_MODE
static psa_status_t key_req(const psa_msg_t *msg)
{
    uint8_t key[TFM_TINYMAIX_KEY_SIZE];
    psa_status_t st;

    if (msg->out_size[0] < sizeof(key))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if ((st = ti_export_key(key)) == PSA_SUCCESS)
        psa_write(msg->handle, 0, key, sizeof(key));
    ti_wipe(key, sizeof(key));
    LOG_INFFMT("[TinyMaix] DEV_MODE: client %d read the model key\r\n", (int)msg->client_id);
    return st;
}
#endif

static psa_status_t connect_req(const psa_msg_t *msg)
{
    size_t i;

    for (i = 0; i < TI_SESSIONS; i++) {
        if (!sessions[i].used) {
            sessions[i].used = true;
            sessions[i].client = msg->client_id;
            psa_set_rhandle(msg->handle, &sessions[i]);
            return PSA_SUCCESS;
        }
    }
    LOG_ERRFMT("[TinyMaix] client %d refused: all %d sessions in use\r\n", (int)msg->client_id,
               TI_SESSIONS);
    return PSA_ERROR_CONNECTION_BUSY;
}

static psa_status_t call_req(const psa_msg_t *msg)
{
    struct ti_session *s = msg->rhandle;

    switch (msg->type) {
    case TFM_TINYMAIX_LOAD_MODEL:
        return load_req(msg, s);
    case TFM_TINYMAIX_SET_INPUT:
        return set_input_req(msg, s);
    case TFM_TINYMAIX_RUN_INFERENCE:
        return run_req(s);
    case TFM_TINYMAIX_GET_OUTPUT:
        return get_output_req(msg, s);
    case TFM_TINYMAIX_CLASSIFY:
        return classify_req(msg, s);
    case TFM_TINYMAIX_SEAL_MODEL:
        return seal_req(msg);
#ifdef DEV_MODE
    case TFM_TINYMAIX_GET_MODEL_KEY:
        return key_req(msg);
#endif
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void tfm_tinymaix_inference_main(void);
void tfm_tinymaix_inference_main(void)
{
    psa_msg_t msg;

#ifdef DEV_MODE
    LOG_INFFMT("[TinyMaix] DEV_MODE build: models are sealed in any lifecycle state and the "
               "model key can be read\r\n");
#endif
    for (;;) {
        (void)psa_wait(TFM_TINYMAIX_INFERENCE_SERVICE_SIGNAL, PSA_BLOCK);
        if (psa_get(TFM_TINYMAIX_INFERENCE_SERVICE_SIGNAL, &msg) != PSA_SUCCESS)
            continue;
        switch (msg.type) {
        case PSA_IPC_CONNECT:
            psa_reply(msg.handle, connect_req(&msg));
            break;
        case PSA_IPC_DISCONNECT:
            if (msg.rhandle != NULL)
                session_free(msg.rhandle);
            psa_reply(msg.handle, PSA_SUCCESS);
            break;
        default:
            psa_reply(msg.handle, call_req(&msg));
            break;
        }
    }
}

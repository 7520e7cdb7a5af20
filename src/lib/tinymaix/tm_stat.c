/*
 * tm_stat.c - tm_stat(): a model's header and layer table, as TinyMaix prints it.
 */
#include <string.h>

#include "tinymaix.h"

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

tm_err_t tm_stat(tm_mdlbin_t *b)
{
    static const char *const types[] = {"int8", "int16", "fp32", "fp16", "fp8 1.4.3", "fp8 1.5.2"};
    static const char *const names[TML_MAXCNT] = {"Conv2D",  "GAP",      "FC", "Softmax",
                                                  "Reshape", "DWConv2D", "Add"};
    static const unsigned heads[TML_MAXCNT] = {80, 48, 64, 48, 48, 80, 64};
    const uint8_t *body = b->layers_body;
    unsigned long params = 0, ops = 0;

    if (b->magic != TM_MDL_MAGIC)
        return TM_ERR_MAGIC;
    printf("================================ model stat ================================\n");
    printf("mdl_type=%d (%s)\n", b->mdl_type, b->mdl_type < 6 ? types[b->mdl_type] : "?");
    printf("out_deq=%d \n", b->out_deq);
    printf("input_cnt=%d, output_cnt=%d, layer_cnt=%d\n", b->input_cnt, b->output_cnt,
           b->layer_cnt);
    printf("input %ddims: (%d, %d, %d)\n", b->in_dims[0], b->in_dims[1], b->in_dims[2],
           b->in_dims[3]);
    printf("output %ddims: (%d, %d, %d)\n", b->out_dims[0], b->out_dims[1], b->out_dims[2],
           b->out_dims[3]);
    printf("main buf size %u; sub buf size %u\n", (unsigned)b->buf_size, (unsigned)b->sub_size);
    printf("Idx\tLayer\t         outshape\tinoft\toutoft\tPARAM\tMEMOUT OPS\n");
    for (unsigned i = 0; i < b->layer_cnt; i++) {
        uint16_t type = rd16(body), od[4], id3 = rd16(body + 22);
        uint32_t size = rd32(body + 4);
        for (int j = 0; j < 4; j++)
            od[j] = rd16(body + 24 + 2 * j);
        if (type >= TML_MAXCNT || size < heads[type])
            return TM_ERR_LAYERTYPE;
        unsigned long memout = (unsigned long)od[1] * od[2] * od[3], op = 0;
        if (type == TML_CONV2D)
            op = memout * body[48] * body[49] * id3;
        else if (type == TML_DWCONV2D)
            op = memout * body[48] * body[49];
        else if (type == TML_FC)
            op = (unsigned long)od[3] * id3;
        else if (type == TML_GAP)
            op = (unsigned long)rd16(body + 18) * rd16(body + 20) * id3;
        else if (type == TML_SOFTMAX)
            op = 6ul * od[3];
        params += size - heads[type];
        ops += op;
        printf("%03u\t%s      \t%3d,%3d,%3d\t%u\t%u\t%u\t%lu\t%lu\n", i, names[type], od[1], od[2],
               od[3], (unsigned)rd32(body + 8), (unsigned)rd32(body + 12),
               (unsigned)(size - heads[type]), memout * (b->mdl_type == TM_MDL_INT8 ? 1 : 4), op);
        body += size;
    }
    printf("\nTotal param ~%.1f KB, OPS ~%.2f MOPS, buffer %.1f KB\n\n", params / 1024.0,
           ops / 1000000.0, (b->buf_size + b->sub_size) / 1024.0);
    return TM_OK;
}

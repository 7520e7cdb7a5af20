/*
 * bls_vectors.c - the vector readers of bls_vectors.h, over libyaml.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bls_vectors.h"

const char *bv_dir(void)
{
    const char *d = getenv("PARTIX_BLS_VECTORS");

    return d != NULL && d[0] != '\0' ? d : "test/vectors/bls";
}

int bv_path(char *buf, size_t size, const char *rel)
{
    int n = snprintf(buf, size, "%s/%s", bv_dir(), rel);

    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int bv_doc_load(struct bv_doc *d, const char *path)
{
    yaml_parser_t parser;
    FILE *f;
    int st = -1;

    memset(d, 0, sizeof(*d));
    if (snprintf(d->path, sizeof(d->path), "%s", path) >= (int)sizeof(d->path)) {
        fprintf(stderr, "%s: path too long\n", path);
        return -1;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "%s: cannot start the YAML parser\n", path);
        fclose(f);
        return -1;
    }
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &d->doc)) {
        fprintf(stderr, "%s:%zu: %s\n", path, parser.problem_mark.line + 1,
                parser.problem != NULL ? parser.problem : "YAML error");
    } else if (yaml_document_get_root_node(&d->doc) == NULL) {
        fprintf(stderr, "%s: empty file\n", path);
        yaml_document_delete(&d->doc);
    } else {
        st = 0;
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return st;
}

void bv_doc_free(struct bv_doc *d)
{
    yaml_document_delete(&d->doc);
}

yaml_node_t *bv_doc_root(struct bv_doc *d)
{
    return yaml_document_get_root_node(&d->doc);
}

yaml_node_t *bv_map_get(struct bv_doc *d, const yaml_node_t *map, const char *key)
{
    const yaml_node_pair_t *p;

    if (map == NULL || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = bv_scalar(yaml_document_get_node(&d->doc, p->key));

        if (k != NULL && strcmp(k, key) == 0)
            return yaml_document_get_node(&d->doc, p->value);
    }
    return NULL;
}

size_t bv_seq_len(const yaml_node_t *seq)
{
    if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *bv_seq_at(struct bv_doc *d, const yaml_node_t *seq, size_t i)
{
    if (i >= bv_seq_len(seq))
        return NULL;
    return yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
}

const char *bv_scalar(const yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)n->data.scalar.value;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int bv_unhex(const char *hex, uint8_t *out, size_t max, size_t *len)
{
    size_t n = 0;

    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        hex += 2;
    for (; hex[0] != '\0'; hex += 2) {
        int hi = nibble(hex[0]), lo = hi < 0 ? -1 : nibble(hex[1]);

        if (lo < 0 || n >= max)
            return -1;
        out[n++] = (uint8_t)(hi << 4 | lo);
    }
    *len = n;
    return 0;
}

uint8_t *bv_unhex_alloc(const char *hex, size_t *len)
{
    size_t digits = strlen(hex);
    uint8_t *out = malloc(digits / 2 + 1);

    if (out != NULL && bv_unhex(hex, out, digits / 2, len) != 0) {
        free(out);
        out = NULL;
    }
    return out;
}

/*
 * bls_vectors.c - the vector readers of bls_vectors.h, over libyaml.
 */
#include <glob.h>
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

/* ---- consensus-spec-tests BLS cases ---- */

#define MAX_DEPTH 4 /* data.yaml nests input -> map -> list -> bytes */

static void value_free(struct bv_value *v)
{
    size_t i;

    if (v->type == BV_LIST || v->type == BV_MAP)
        for (i = 0; i < v->len; i++) {
            value_free(&v->items[i]);
            if (v->keys != NULL)
                free(v->keys[i]);
        }
    free(v->items);
    free(v->keys);
    free(v->bytes);
    memset(v, 0, sizeof(*v));
}

static int scalar_value(struct bv_value *v, const yaml_node_t *n, const char *path)
{
    const char *s = bv_scalar(n);
    bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

    if (plain && (strcmp(s, "null") == 0 || strcmp(s, "~") == 0 || s[0] == '\0')) {
        v->type = BV_NULL;
    } else if (plain && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
        v->type = BV_BOOL;
        v->b = s[0] == 't';
    } else if (s[0] == '0' && s[1] == 'x') {
        v->type = BV_BYTES;
        v->bytes = bv_unhex_alloc(s, &v->len);
        if (v->bytes == NULL) {
            fprintf(stderr, "%s:%zu: bad hex \"%.40s\"\n", path, n->start_mark.line + 1, s);
            return -1;
        }
    } else {
        fprintf(stderr, "%s:%zu: not null, a bool or 0x-hex: \"%.40s\"\n", path,
                n->start_mark.line + 1, s);
        return -1;
    }
    return 0;
}

static int node_value(struct bv_value *v, struct bv_doc *d, const yaml_node_t *n, int depth)
{
    size_t i, count;

    memset(v, 0, sizeof(*v));
    if (n == NULL || depth > MAX_DEPTH) {
        fprintf(stderr, "%s: %s\n", d->path, n == NULL ? "a node is missing" : "nested too deep");
        return -1;
    }
    if (n->type == YAML_SCALAR_NODE)
        return scalar_value(v, n, d->path);
    if (n->type == YAML_SEQUENCE_NODE) {
        v->type = BV_LIST;
        count = bv_seq_len(n);
    } else {
        v->type = BV_MAP;
        count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
        v->keys = calloc(count + 1, sizeof(*v->keys));
    }
    v->items = calloc(count + 1, sizeof(*v->items));
    if (v->items == NULL || (v->type == BV_MAP && v->keys == NULL))
        goto fail;
    for (i = 0; i < count; i++) {
        const yaml_node_t *item = v->type == BV_LIST ? bv_seq_at(d, n, i) : NULL;
        size_t j;

        v->len = i + 1; /* value_free frees what is filled in */
        if (v->type == BV_MAP) {
            const yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
            const char *k = bv_scalar(yaml_document_get_node(&d->doc, p->key));

            if (k == NULL || (v->keys[i] = strdup(k)) == NULL) {
                fprintf(stderr, "%s:%zu: a key is not a string\n", d->path, n->start_mark.line + 1);
                goto fail;
            }
            for (j = 0; j < i; j++)
                if (strcmp(v->keys[j], k) == 0) {
                    fprintf(stderr, "%s:%zu: key \"%s\" twice\n", d->path, n->start_mark.line + 1,
                            k);
                    goto fail;
                }
            item = yaml_document_get_node(&d->doc, p->value);
        }
        if (node_value(&v->items[i], d, item, depth + 1) != 0)
            goto fail;
    }
    v->len = count;
    return 0;
fail:
    value_free(v);
    return -1;
}

const struct bv_value *bv_get(const struct bv_value *map, const char *key)
{
    size_t i;

    if (map == NULL || map->type != BV_MAP)
        return NULL;
    for (i = 0; i < map->len && map->keys[i] != NULL; i++)
        if (strcmp(map->keys[i], key) == 0)
            return &map->items[i];
    return NULL;
}

int bls_case_load(struct bls_case *c, const char *path)
{
    struct bv_doc d;
    struct bv_value top;
    const struct bv_value *in, *out;
    const char *slash;
    int st = -1;

    memset(c, 0, sizeof(*c));
    if (bv_doc_load(&d, path) != 0)
        return -1;
    snprintf(c->path, sizeof(c->path), "%s", path);
    /* the name: the directory holding data.yaml */
    slash = strrchr(path, '/');
    if (slash != NULL) {
        const char *start = slash;

        while (start > path && start[-1] != '/')
            start--;
        snprintf(c->name, sizeof(c->name), "%.*s", (int)(slash - start), start);
    }
    if (node_value(&top, &d, bv_doc_root(&d), 0) != 0)
        goto out_doc;
    in = bv_get(&top, "input");
    out = bv_get(&top, "output");
    if (top.type != BV_MAP || top.len != 2 || in == NULL || out == NULL) {
        fprintf(stderr, "%s: not a mapping of exactly input and output\n", path);
        goto out_top;
    }
    /* move them out of top */
    c->input = *in;
    c->output = *out;
    memset(&top.items[0], 0, sizeof(top.items[0]));
    memset(&top.items[1], 0, sizeof(top.items[1]));
    st = 0;
out_top:
    value_free(&top);
out_doc:
    bv_doc_free(&d);
    return st;
}

void bls_case_free(struct bls_case *c)
{
    value_free(&c->input);
    value_free(&c->output);
}

int bls_cases_each(const char *fork, const char *handler,
                   void (*fn)(const struct bls_case *c, void *arg), void *arg)
{
    char pattern[512], rel[256];
    glob_t g;
    size_t i;
    int n = 0, rc;

    snprintf(rel, sizeof(rel), "consensus-spec-tests/%s/bls/%s/bls/*/data.yaml", fork, handler);
    if (bv_path(pattern, sizeof(pattern), rel) != 0)
        return -1;
    rc = glob(pattern, 0, NULL, &g);
    if (rc == GLOB_NOMATCH)
        return 0;
    if (rc != 0) {
        fprintf(stderr, "%s: cannot list\n", pattern);
        return -1;
    }
    for (i = 0; i < g.gl_pathc; i++) {
        struct bls_case c;

        if (bls_case_load(&c, g.gl_pathv[i]) != 0) {
            n = -1;
            break;
        }
        fn(&c, arg);
        bls_case_free(&c);
        n++;
    }
    globfree(&g);
    return n;
}

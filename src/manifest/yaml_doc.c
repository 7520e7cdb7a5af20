/*
 * yaml_doc.c - reading one YAML file into a libyaml document whose nodes
 * keep their line and column.
 *
 * Before parsing, the text is scanned for '//' comments: the pico2w guide
 * and many hand-written manifests use them, libyaml would report something
 * confusing far from the real mistake, and TF-M's own tool dies with a
 * Python trace.  Each one is reported where it stands and blanked into a
 * '#' comment so the rest of the file is still checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mf_internal.h"

#define MAX_FILE_SIZE (4u << 20)

static char *read_file(const char *path, size_t *len, int *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, r;

    if (f == NULL) {
        *err = errno;
        return NULL;
    }
    do {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            if (cap > MAX_FILE_SIZE + 8192) {
                *err = EFBIG;
                goto fail;
            }
            char *nb = realloc(buf, cap);
            if (nb == NULL) {
                *err = ENOMEM;
                goto fail;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
    } while (r > 0);
    if (ferror(f)) {
        *err = EIO;
        goto fail;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

static bool opens_token(unsigned char prev)
{
    return prev == '\0' || prev == ' ' || prev == '\t' || prev == '\n' || prev == '\r' ||
           prev == ',' || prev == '[' || prev == '{';
}

/* True if the line starting at @p line is a description (free text). */
static bool description_line(const char *line)
{
    while (*line == ' ' || *line == '\t' || *line == '-' || *line == '{' || *line == '"')
        line++;
    return strncmp(line, "description", 11) == 0;
}

/* Reports and blanks every '//' comment outside quotes and '#' comments.
 * A description is free text: "reads A // writes B" is left alone there. */
static void scan_slash_comments(struct mf_ctx *c, const char *path, char *text, size_t len)
{
    enum { PLAIN, SQUOTE, DQUOTE, COMMENT } st = PLAIN;
    unsigned line = 1, col = 1;
    size_t line_start = 0;
    unsigned char prev = '\0';
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];

        if (ch == '\n') {
            if (st == COMMENT)
                st = PLAIN;
            line++;
            col = 1;
            prev = '\0';
            line_start = i + 1;
            continue;
        }
        switch (st) {
        case PLAIN:
            if (ch == '#' && opens_token(prev)) {
                st = COMMENT;
            } else if (ch == '"' && (opens_token(prev) || prev == ':')) {
                st = DQUOTE;
            } else if (ch == '\'' && (opens_token(prev) || prev == ':')) {
                st = SQUOTE;
            } else if (ch == '/' && i + 1 < len && text[i + 1] == '/' && opens_token(prev) &&
                       !description_line(text + line_start)) {
                struct mf_loc loc = {path, line, col};

                mf_error(c, loc, "comment", "'//' comments are not YAML; write comments with '#'");
                text[i] = '#';
                text[i + 1] = '#';
                st = COMMENT;
            }
            break;
        case DQUOTE:
            if (ch == '\\' && i + 1 < len && text[i + 1] != '\n') {
                i++;
                col++;
            } else if (ch == '"') {
                st = PLAIN;
            }
            break;
        case SQUOTE:
            if (ch == '\'') {
                if (i + 1 < len && text[i + 1] == '\'') {
                    i++;
                    col++;
                } else {
                    st = PLAIN;
                }
            }
            break;
        case COMMENT:
            break;
        }
        prev = ch;
        if ((ch & 0xC0) != 0x80) /* libyaml counts characters, not bytes */
            col++;
    }
}

static struct mf_loc offset_loc(const char *path, const char *text, size_t len, size_t off)
{
    struct mf_loc loc = {path, 1, 1};
    size_t i;

    for (i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            loc.line++;
            loc.col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            loc.col++;
        }
    }
    return loc;
}

bool mf_doc_load(struct mf_ctx *c, const char *path, struct mf_loc ref, const char *ref_field,
                 struct mf_doc *d)
{
    yaml_parser_t parser;
    size_t len = 0;
    int err = 0;
    char *text;
    bool ok = false;

    memset(d, 0, sizeof(*d));
    d->path = mf_strdup(c->arena, path);
    text = read_file(path, &len, &err);
    if (text == NULL) {
        mf_error(c, ref, ref_field, "cannot read '%s': %s", path, strerror(err));
        return false;
    }
    mf_diags_add_file(c->diags, d->path);
    scan_slash_comments(c, d->path, text, len);

    if (!yaml_parser_initialize(&parser))
        abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &d->doc)) {
        struct mf_loc loc;

        if (parser.error == YAML_READER_ERROR) {
            loc = offset_loc(d->path, text, len, parser.problem_offset);
            mf_error(c, loc, "yaml", "%s", parser.problem ? parser.problem : "unreadable input");
        } else {
            loc.file = d->path;
            loc.line = (unsigned)parser.problem_mark.line + 1;
            loc.col = (unsigned)parser.problem_mark.column + 1;
            if (parser.context != NULL)
                mf_error(c, loc, "yaml", "%s %s (started at line %u, column %u)",
                         parser.problem ? parser.problem : "syntax error", parser.context,
                         (unsigned)parser.context_mark.line + 1,
                         (unsigned)parser.context_mark.column + 1);
            else
                mf_error(c, loc, "yaml", "%s", parser.problem ? parser.problem : "syntax error");
        }
        goto out;
    }
    d->loaded = true;
    if (yaml_document_get_root_node(&d->doc) == NULL) {
        mf_error(c, ref, ref_field, "'%s' is empty", path);
        goto out;
    }
    ok = true;
out:
    yaml_parser_delete(&parser);
    free(text);
    return ok;
}

void mf_doc_fini(struct mf_doc *d)
{
    if (d->loaded)
        yaml_document_delete(&d->doc);
    d->loaded = false;
}

yaml_node_t *mf_doc_root(struct mf_doc *d)
{
    return yaml_document_get_root_node(&d->doc);
}

yaml_node_t *mf_node(struct mf_doc *d, int index)
{
    return yaml_document_get_node(&d->doc, index);
}

struct mf_loc mf_loc_of(const struct mf_doc *d, const yaml_node_t *n)
{
    struct mf_loc loc = {d->path, (unsigned)n->start_mark.line + 1,
                         (unsigned)n->start_mark.column + 1};
    return loc;
}

/*
 * test_manifest_corpus.c - runs the manifest corpus under test/manifest/:
 *
 *   valid/<case>/manifest_list.yaml    must load; the generated files must
 *   valid/<case>/expected/{psa_manifest,auto_generated}/ equal these byte for byte
 *   invalid/<case>/manifest_list.yaml  must be rejected with exactly the lines
 *   invalid/<case>/expected.txt        of this file, in order (errors only)
 *   warnings/<case>/manifest_list.yaml must load, with exactly the warnings
 *   warnings/<case>/expected.txt       of this file, in order
 *   (a valid case loads without any warning)
 *   <case>/lists                       optional: the manifest lists to read
 *                                      together, one per line (else
 *                                      manifest_list.yaml)
 *   <case>/defines                     optional: one NAME=VALUE per line (-D)
 *   <case>/backend                     optional: "sfn" for --backend sfn
 *
 * Each case runs from its own folder, so paths in messages are short.  With
 * PARTIX_UPDATE_GOLDEN=1 the expected files are rewritten instead (review the
 * diff before committing).
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <limits.h>
#include <unistd.h>

#include <cmocka.h>

#include "manifest.h"

enum kind { K_VALID, K_INVALID, K_WARNINGS, K_COUNT };
static const char *const kind_dirs[K_COUNT] = {"valid", "invalid", "warnings"};

struct tcase {
    char dir[PATH_MAX + 600];
    enum kind kind;
};

static bool updating(void)
{
    const char *u = getenv("PARTIX_UPDATE_GOLDEN");

    return u != NULL && strcmp(u, "1") == 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Reads ./defines into opt; returns the buffer the strings live in. */
static char *read_defines(struct mf_options *opt, struct mf_define *defs, size_t max)
{
    char *text = slurp("defines", NULL), *line, *save = NULL;
    char *backend = slurp("backend", NULL);

    opt->defines = defs;
    opt->n_defines = 0;
    opt->backend =
        backend != NULL && strncmp(backend, "sfn", 3) == 0 ? MF_BACKEND_SFN : MF_BACKEND_IPC;
    free(backend);
    if (text == NULL)
        return NULL;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');

        assert_true(opt->n_defines < max);
        if (eq != NULL)
            *eq = '\0';
        defs[opt->n_defines].name = line;
        defs[opt->n_defines++].value = eq ? eq + 1 : "1";
    }
    return text;
}

/* Loads ./lists (one path a line) or else ./manifest_list.yaml. */
static int load(const struct mf_options *opt, struct mf_system **sys, struct mf_diags *d)
{
    char *text = slurp("lists", NULL), *line, *save = NULL;
    const char *lists[16] = {"manifest_list.yaml"};
    size_t n = 0;
    int rc;

    for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        assert_true(n < 16);
        lists[n++] = line;
    }
    rc = mf_load_lists(lists, n ? n : 1, opt, sys, d);
    free(text);
    return rc;
}

/* Checks (or with updating(), writes) ./expected.txt: the errors or the warnings of d. */
static void compare_lines(struct mf_diags *d, bool warnings)
{
    const char *(*get)(struct mf_diags *, size_t) = warnings ? mf_diags_warning : mf_diags_line;
    size_t n = warnings ? mf_diags_warning_count(d) : mf_diags_count(d);
    char *want, *line, *save = NULL;
    size_t i = 0;

    if (updating()) {
        FILE *f = fopen("expected.txt", "w");

        assert_non_null(f);
        for (i = 0; i < n; i++)
            fprintf(f, "%s\n", get(d, i));
        fclose(f);
        i = 0;
    }
    want = slurp("expected.txt", NULL);
    assert_non_null(want);
    for (line = strtok_r(want, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
        const char *got = get(d, i);

        assert_non_null(got);
        assert_string_equal(got, line);
    }
    if (i != n)
        mf_diags_print(d, stderr);
    assert_int_equal(i, n);
    free(want);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the regular files in dir (NULL-terminated, malloc'd). */
static char **list_files(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **v = NULL;

    *n = 0;
    if (d == NULL)
        return calloc(1, sizeof(char *));
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        v = realloc(v, (*n + 2) * sizeof(*v));
        assert_non_null(v);
        v[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    if (v == NULL)
        return calloc(1, sizeof(char *));
    v[*n] = NULL;
    qsort(v, *n, sizeof(*v), cmp_str);
    return v;
}

static void free_list(char **v)
{
    for (size_t i = 0; v[i] != NULL; i++)
        free(v[i]);
    free(v);
}

/* Compares (or with updating(), rewrites) expected/<sub> with <out>/<sub>. */
static void compare_dir(const char *out, const char *sub)
{
    char gen[600], want_dir[600], path[1300], exp[1300];
    char **got, **want;
    size_t n_got, n_want, i;

    snprintf(gen, sizeof(gen), "%s/%s", out, sub);
    snprintf(want_dir, sizeof(want_dir), "expected/%s", sub);
    got = list_files(gen, &n_got);
    if (updating()) {
        mkdir("expected", 0777);
        mkdir(want_dir, 0777);
        for (i = 0; i < n_got; i++) {
            size_t len;
            char *data;

            snprintf(path, sizeof(path), "%s/%s", gen, got[i]);
            data = slurp(path, &len);
            snprintf(exp, sizeof(exp), "%s/%s", want_dir, got[i]);
            spit(exp, data, len);
            free(data);
        }
    }
    want = list_files(want_dir, &n_want);
    assert_int_equal(n_got, n_want);
    for (i = 0; i < n_got; i++) {
        char *a, *b;

        assert_string_equal(got[i], want[i]);
        snprintf(path, sizeof(path), "%s/%s", gen, got[i]);
        snprintf(exp, sizeof(exp), "%s/%s", want_dir, want[i]);
        a = slurp(path, NULL);
        b = slurp(exp, NULL);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
        unlink(path);
    }
    rmdir(gen);
    free_list(got);
    free_list(want);
}

static void run_valid(bool warnings)
{
    struct mf_define defs[32];
    struct mf_options opt;
    struct mf_system *sys = NULL;
    struct mf_diags *d = mf_diags_new();
    char out[] = "/tmp/partix-golden-XXXXXX";
    char *def_text = read_defines(&opt, defs, 32);

    if (load(&opt, &sys, d) != 0)
        mf_diags_print(d, stderr);
    assert_int_equal(mf_diags_count(d), 0);
    assert_non_null(sys);
    if (warnings) {
        compare_lines(d, true);
    } else {
        if (mf_diags_warning_count(d) != 0)
            mf_diags_print(d, stderr);
        assert_int_equal(mf_diags_warning_count(d), 0);
        assert_non_null(mkdtemp(out));
        assert_int_equal(mf_generate(sys, out, d), 0);
        compare_dir(out, "psa_manifest");
        compare_dir(out, "auto_generated");
        assert_int_equal(rmdir(out), 0);
    }
    mf_system_free(sys);
    mf_diags_free(d);
    free(def_text);
}

static void run_invalid(void)
{
    struct mf_define defs[32];
    struct mf_options opt;
    struct mf_system *sys = (struct mf_system *)1;
    struct mf_diags *d = mf_diags_new();
    char *def_text = read_defines(&opt, defs, 32);

    assert_int_equal(load(&opt, &sys, d), -1);
    assert_null(sys);
    assert_true(mf_diags_count(d) > 0);
    compare_lines(d, false);
    mf_diags_free(d);
    free(def_text);
}

static void run_case(void **state)
{
    const struct tcase *tc = *state;
    int here = open(".", O_RDONLY | O_DIRECTORY);

    assert_true(here >= 0);
    assert_int_equal(chdir(tc->dir), 0);
    if (tc->kind == K_INVALID)
        run_invalid();
    else
        run_valid(tc->kind == K_WARNINGS);
    assert_int_equal(fchdir(here), 0);
    close(here);
}

static struct CMUnitTest *tests; /* global: reachable until exit, for LeakSanitizer */

int main(int argc, char **argv)
{
    char root[PATH_MAX]; /* absolute: a failed case must not strand the next one */

    if (realpath(argc > 1 ? argv[1] : "test/manifest", root) == NULL) {
        perror("test_manifest_corpus: realpath");
        return 1;
    }
    size_t n = 0, kind;

    for (kind = 0; kind < K_COUNT; kind++) {
        char dir[PATH_MAX + 16];
        char **cases;
        size_t n_cases, i;

        snprintf(dir, sizeof(dir), "%s/%s", root, kind_dirs[kind]);
        cases = list_files(dir, &n_cases);
        for (i = 0; i < n_cases; i++) {
            struct tcase *tc = calloc(1, sizeof(*tc));
            char *name = malloc(600);

            snprintf(tc->dir, sizeof(tc->dir), "%s/%s", dir, cases[i]);
            tc->kind = (enum kind)kind;
            snprintf(name, 600, "%s/%s", kind_dirs[kind], cases[i]);
            tests = realloc(tests, (n + 1) * sizeof(*tests));
            memset(&tests[n], 0, sizeof(tests[n]));
            tests[n].name = name;
            tests[n].test_func = run_case;
            tests[n].initial_state = tc;
            n++;
        }
        free_list(cases);
    }
    if (n == 0) {
        fprintf(stderr, "no manifest test cases under %s\n", root);
        return 1;
    }
    return _cmocka_run_group_tests("manifest_corpus", tests, n, NULL, NULL);
}

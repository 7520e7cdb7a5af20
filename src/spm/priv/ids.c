/*
 * ids.c - who partitions run as when psa-spm runs as root: the account
 * (--partition-user, partix by default) and, for partition i, uid FIRST + i
 * of the account's subordinate range in /etc/subuid, with the account's
 * group.  One uid each, so no partition can signal or trace another, and
 * none is nobody's, whom any other daemon's process may run as.
 *
 * A range is refused, and psa-spm does not start, when it is too short, or
 * when a uid of it belongs to an account of the passwd database or to
 * another user's subordinate range: a process of theirs could then signal
 * a partition.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spm.h"

#define NOBODY_UID 65534u

/* One line of /etc/subuid, NAME:FIRST:COUNT: 0, or -1 if it is not one. */
static int parse_line(char *line, char **name, uint32_t *first, uint32_t *count)
{
    char *a = strchr(line, ':'), *b, *end;
    unsigned long long f, c;

    if (a == NULL || (b = strchr(a + 1, ':')) == NULL)
        return -1;
    *a = *b = '\0';
    *name = line;
    errno = 0;
    f = strtoull(a + 1, &end, 10);
    if (a[1] < '0' || a[1] > '9' || *end != '\0' || errno != 0)
        return -1;
    c = strtoull(b + 1, &end, 10);
    if (b[1] < '0' || b[1] > '9' || (*end != '\0' && *end != '\n') || errno != 0 || c == 0 ||
        f + c > UINT32_MAX)
        return -1;
    *first = (uint32_t)f;
    *count = (uint32_t)c;
    return 0;
}

/* Whether a line's NAME names the user, by name or by uid. */
static bool names(const char *name, const char *user, uid_t uid)
{
    char num[24];

    snprintf(num, sizeof(num), "%u", (unsigned)uid);
    return strcmp(name, user) == 0 || strcmp(name, num) == 0;
}

int spm_subid_find(const char *path, const char *user, uid_t uid, uint32_t need, uint32_t *first,
                   char *why, size_t size)
{
    char line[512], *name;
    uint32_t f, c, largest = 0;
    bool found = false;
    unsigned lineno;
    FILE *in = fopen(path, "re");

    if (in == NULL) {
        snprintf(why, size, "%s: %s", path, strerror(errno));
        return -1;
    }
    for (lineno = 1; !found && fgets(line, sizeof(line), in) != NULL; lineno++) {
        if (line[0] == '#' || line[strspn(line, " \t\n")] == '\0')
            continue;
        if (parse_line(line, &name, &f, &c) < 0) {
            line[strcspn(line, ":\n")] = '\0';
            if (names(line, user, uid)) {
                snprintf(why, size, "%s:%u: the line of %s is not NAME:FIRST:COUNT", path, lineno,
                         user);
                fclose(in);
                return -1;
            }
            continue;
        }
        if (!names(name, user, uid))
            continue;
        if (c >= need) {
            *first = f;
            found = true;
        } else if (c > largest) {
            largest = c;
        }
    }
    if (!found) {
        if (largest > 0)
            snprintf(why, size, "%s gives %s %u subordinate uids, not the %u it needs", path, user,
                     (unsigned)largest, (unsigned)need);
        else
            snprintf(why, size, "%s gives %s no subordinate uids", path, user);
        fclose(in);
        return -1;
    }
    /* the ids taken, [*first, *first + need), are no one else's */
    rewind(in);
    for (lineno = 1; fgets(line, sizeof(line), in) != NULL; lineno++) {
        if (line[0] == '#' || parse_line(line, &name, &f, &c) < 0 || names(name, user, uid))
            continue;
        if ((uint64_t)f < (uint64_t)*first + need && (uint64_t)f + c > *first) {
            snprintf(why, size, "%s:%u: %s's range %u-%u overlaps %s's %u-%u", path, lineno, name,
                     (unsigned)f, (unsigned)(f + c - 1), user, (unsigned)*first,
                     (unsigned)(*first + need - 1));
            fclose(in);
            return -1;
        }
    }
    fclose(in);
    return 0;
}

int spm_ids_resolve_from(const char *subuid_path, const char *user, size_t n_parts,
                         struct spm_ids *ids, char *why, size_t size)
{
    const struct passwd *pw;
    uint32_t first;
    size_t i;

    memset(ids, 0, sizeof(*ids));
    if (n_parts > SPM_MAX_PARTITIONS) {
        snprintf(why, size, "%zu partitions: at most %u have their own uid", n_parts,
                 (unsigned)SPM_MAX_PARTITIONS);
        return -1;
    }
    errno = 0;
    pw = getpwnam(user);
    if (pw == NULL) {
        snprintf(why, size,
                 "no user '%s' to run partitions as: create it with 'sh mk/deps.sh' (as "
                 "root), or name another with --partition-user",
                 user);
        return -1;
    }
    if (pw->pw_uid == 0 || pw->pw_uid == NOBODY_UID) {
        snprintf(why, size, "user '%s' (uid %u) may not run partitions: %s", user,
                 (unsigned)pw->pw_uid,
                 pw->pw_uid == 0 ? "it is root" : "any daemon's process may be nobody");
        return -1;
    }
    ids->router_uid = pw->pw_uid;
    ids->router_gid = pw->pw_gid;
    ids->part_gid = pw->pw_gid;
    ids->n_parts = n_parts;
    if (n_parts == 0)
        return 0;
    if (spm_subid_find(subuid_path, user, pw->pw_uid, (uint32_t)n_parts, &first, why, size) < 0) {
        size_t n = strlen(why);

        snprintf(why + n, size - n,
                 "; partition i runs as the i-th of them: give '%s' a range of free uids "
                 "with 'sh mk/deps.sh' (as root) or usermod --add-subuids",
                 user);
        return -1;
    }
    for (i = 0; i < n_parts; i++) {
        uid_t u = (uid_t)(first + i);
        /* getpwuid() of each: the passwd database may be more than /etc/passwd */
        const struct passwd *o = getpwuid(u);

        if (o != NULL || u == 0 || u == NOBODY_UID || u == (uid_t)-1 || u == ids->router_uid) {
            snprintf(why, size,
                     "uid %u of %s's subordinate range (%s) is %s%s%s: give '%s' a range of "
                     "free uids",
                     (unsigned)u, user, subuid_path, o != NULL ? "user '" : "reserved",
                     o != NULL ? o->pw_name : "", o != NULL ? "'" : "", user);
            return -1;
        }
        ids->part_uid[i] = u;
    }
    return 0;
}

int spm_ids_resolve(const char *user, size_t n_parts, struct spm_ids *ids, char *why, size_t size)
{
    return spm_ids_resolve_from(SPM_SUBUID_PATH, user, n_parts, ids, why, size);
}

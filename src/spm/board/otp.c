/*
 * otp.c - the simulated OTP (src/common/otp_layout.h): <state-dir>/otp,
 * provisioned at first start with a new hardware unique key and
 * attestation key pair, checked at every start, and handed to partitions
 * as a sealed read-only memory object behind the board's "otp" region.
 * The file itself is otp_file.c's; partix-ctl otp reads and programs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otp_file.h"
#include "paths.h"
#include "spm.h"

int spm_otp_init(const char *state_dir)
{
    char path[PATH_MAX], tmp[PATH_MAX + 8];
    int r;

    if (state_dir == NULL) {
        spm_log(SPM_WARN, "no state directory: the OTP is new and lost at exit");
        return otp_generate(&spm.otp, PARTIX_OTP_LCS_SECURED, NULL);
    }
    if (otp_path(state_dir, path, sizeof(path)) < 0)
        return -1;
    if (otp_remove_stale_tmp(path, tmp, sizeof(tmp)))
        spm_log(SPM_INFO, "OTP: removed %s, a write of the OTP that never completed", tmp);
    r = otp_read(path, &spm.otp);
    if (r == 1) {
        if (otp_generate(&spm.otp, PARTIX_OTP_LCS_SECURED, NULL) < 0 ||
            otp_write(state_dir, path, &spm.otp) < 0)
            return -1;
        spm_log(SPM_INFO, "OTP %s provisioned: new hardware unique key and attestation key", path);
    }
    return r < 0 ? -1 : 0;
}

/* The boot record after the OTP image, if the region (@p size bytes from
 * offset @p at of the memory object) has room for one. */
static int write_boot_record(int fd, uint64_t at, uint64_t size)
{
    static uint8_t rec[sizeof(struct partix_boot_record) + PARTIX_BOOT_RECORD_MAX];
    struct partix_boot_record h;
    uint64_t room = size - PARTIX_BOOT_RECORD_OFFSET - sizeof(h);
    size_t n;

    if (size <= PARTIX_BOOT_RECORD_OFFSET + sizeof(h)) {
        spm_log(SPM_WARN, "OTP region: no room for a boot record: attestation tokens cannot "
                          "list the software");
        return 0;
    }
    if (spm_boot_record(rec + sizeof(h),
                        room < PARTIX_BOOT_RECORD_MAX ? room : PARTIX_BOOT_RECORD_MAX, &n,
                        &h.count) < 0)
        return 0; /* logged; the attestation service reports the claim unavailable */
    memcpy(h.magic, PARTIX_BOOT_RECORD_MAGIC, sizeof(h.magic));
    h.len = (uint32_t)n;
    memcpy(rec, &h, sizeof(h));
    if (pwrite(fd, rec, sizeof(h) + n, (off_t)(at + PARTIX_BOOT_RECORD_OFFSET)) !=
        (ssize_t)(sizeof(h) + n))
        return -1;
    spm_log(SPM_INFO, "boot record: psa-spm and %u partition executable(s) measured (SHA-256)",
            (unsigned)h.count - 1);
    return 0;
}

int spm_otp_memfd(uint64_t len, uint64_t at, uint64_t size)
{
    struct partix_otp live = spm.otp;
    int fd = memfd_create("partix-otp", MFD_CLOEXEC | MFD_ALLOW_SEALING);

    /* the boot seed: new at each start of the daemon, never in the file */
    if (getrandom(live.boot_seed, sizeof(live.boot_seed), 0) != (ssize_t)sizeof(live.boot_seed) ||
        fd < 0 || ftruncate(fd, (off_t)len) < 0 ||
        pwrite(fd, &live, sizeof(live), (off_t)at) != (ssize_t)sizeof(live) ||
        write_boot_record(fd, at, size) < 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
        spm_log(SPM_ERROR, "OTP region: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        explicit_bzero(&live, sizeof(live));
        return -1;
    }
    explicit_bzero(&live, sizeof(live));
    return fd;
}

void spm_otp_forget(void)
{
    explicit_bzero(spm.otp.huk, sizeof(spm.otp.huk));
    explicit_bzero(spm.otp.iak, sizeof(spm.otp.iak));
}

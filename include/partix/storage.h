/*
 * partix/storage.h - the storage profile of a partition (partix only).
 *
 * A partition whose manifest sets the non-FF-M attribute `partix_storage:
 * true` (registered in its manifest list entry's non_ffm_attributes) gets
 * its own directory, <state-dir>/<partition name>/, created by psa-spm with
 * mode 0700.  Its sandbox lets it create, read, write, rename and remove
 * regular files there, with openat(), renameat() and unlinkat() relative to
 * the descriptor below, and nothing else of the file system.
 */
#ifndef PARTIX_STORAGE_H
#define PARTIX_STORAGE_H

#ifdef __cplusplus
extern "C" {
#endif

/* The descriptor of the partition's storage directory (open for reading,
 * so it can be listed and fsync'ed), or -1 without the storage profile. */
int partix_storage_dir(void);

#ifdef __cplusplus
}
#endif

#endif /* PARTIX_STORAGE_H */

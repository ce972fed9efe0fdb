/*
 * atomicfile: durable creation of a file under a final name.
 *
 * Contract: atomicfile_write() creates a unique file in tmpdir with O_EXCL,
 * writes all bytes, fsyncs it, checks close, renames it to dstpath and
 * fsyncs the destination directory.  It returns 0 only when all of that
 * succeeded; on any failure the temporary file is unlinked, errno is set
 * and -1 is returned.  tmpdir and dstpath must be on one file system.
 */
#ifndef METODIST_ATOMICFILE_H
#define METODIST_ATOMICFILE_H

#include <stddef.h>

int	atomicfile_write(const char *tmpdir, const char *dstpath,
	    const void *data, size_t len);
/* The same without the final fsync of the destination directory, for a
 * caller that writes many files and syncs the directory once after. */
int	atomicfile_write_nodirsync(const char *tmpdir, const char *dstpath,
	    const void *data, size_t len);
/* Write all of len bytes to fd, retrying on EINTR; 0 or -1 with errno. */
int	atomicfile_write_all(int fd, const void *data, size_t len);
/* fsync the directory that holds path. */
int	atomicfile_sync_dir(const char *path);
/* Create dir and its parents with the given mode; 0 or -1 with errno. */
int	atomicfile_mkdirs(const char *dir, int mode);
/* Read a whole file, at most max bytes; NULL with errno (EFBIG if larger). */
char	*atomicfile_read(const char *path, size_t max, size_t *lenp);

#endif

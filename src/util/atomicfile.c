/*
 * atomicfile: see atomicfile.h.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "fault.h"
#include "rnd.h"
#include "xmalloc.h"

int
atomicfile_write_all(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		n = fault_fail(FAULT_WRITE) ? -1 : write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
atomicfile_sync_dir(const char *path)
{
	char	*copy, *dir;
	int	 fd, rc, saved;

	copy = xstrdup(path);
	dir = dirname(copy);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd == -1)
		return -1;
	rc = fault_fail(FAULT_FSYNC) ? -1 : fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
atomicfile_write(const char *tmpdir, const char *dstpath, const void *data,
    size_t len)
{
	if (atomicfile_write_nodirsync(tmpdir, dstpath, data, len) == -1)
		return -1;
	return atomicfile_sync_dir(dstpath);
}

int
atomicfile_write_nodirsync(const char *tmpdir, const char *dstpath,
    const void *data, size_t len)
{
	char	 tmppath[4096], tok[17];
	int	 fd, saved;

	rnd_hex(tok, 8);
	if (snprintf(tmppath, sizeof tmppath, "%s/%lld.%d.%s", tmpdir,
	    (long long)time(NULL), (int)getpid(), tok) >= (int)sizeof tmppath) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmppath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd == -1)
		return -1;
	if (atomicfile_write_all(fd, data, len) == -1 ||
	    fault_fail(FAULT_FSYNC) || fsync(fd) == -1) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) == -1) {
		saved = errno;
		goto fail;
	}
	if (fault_fail(FAULT_RENAME) || rename(tmppath, dstpath) == -1) {
		saved = errno;
		goto fail;
	}
	return 0;
fail:
	unlink(tmppath);
	errno = saved;
	return -1;
}

int
atomicfile_mkdirs(const char *dir, int mode)
{
	char	path[4096], *p;

	if (strlen(dir) >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, strlen(dir) + 1);
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, (mode_t)mode) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, (mode_t)mode) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

char *
atomicfile_read(const char *path, size_t max, size_t *lenp)
{
	FILE	*fp;
	char	*data;
	size_t	 cap = 8192, len = 0, n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	data = xmalloc(cap + 1);
	while ((n = fread(data + len, 1, cap - len, fp)) > 0) {
		len += n;
		if (len > max) {
			free(data);
			fclose(fp);
			errno = EFBIG;
			return NULL;
		}
		if (len == cap) {
			cap *= 2;
			data = xreallocarray(data, cap + 1, 1);
		}
	}
	if (ferror(fp)) {
		free(data);
		fclose(fp);
		errno = EIO;
		return NULL;
	}
	fclose(fp);
	data[len] = '\0';
	*lenp = len;
	return data;
}

/*
 * fault: see fault.h.  Compiled only with --enable-fault-injection.
 *
 * SQLite's own I/O is reached through a shim VFS registered as the default:
 * it wraps the real VFS's files and fails the chosen xWrite, xSync or
 * xTruncate with SQLITE_IOERR.  Statements are counted with a statement
 * trace; the chosen one is stopped by a progress handler.  SQLite's
 * allocator is wrapped the same way for dballoc.
 */
#include <config.h>

#ifdef METODIST_FAULTS

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fault.h"

static const char *const fault_names[FAULT_NKINDS] = {
	"write", "fsync", "rename", "alloc", "dbio", "dbstep", "dballoc"
};

static struct {
	int		 armed;		/* a fault was asked for */
	enum fault_kind	 kind;
	unsigned long	 nth;
	unsigned long	 count[FAULT_NKINDS];
	const char	*count_file;
	const char	*from;		/* count from this fault_start() on */
	int		 started;	/* counting (no from, or reached it) */
	int		 stop_stmt;	/* the chosen statement is running */
} fault;

int
fault_fail(enum fault_kind k)
{
	unsigned long	n;

	if (!fault.started)
		return 0;
	n = ++fault.count[k];
	if (!fault.armed || k != fault.kind || n != fault.nth)
		return 0;
	switch (k) {
	case FAULT_WRITE:
	case FAULT_FSYNC:
		errno = EIO;
		break;
	case FAULT_RENAME:
		errno = ENOSPC;
		break;
	case FAULT_ALLOC:
	case FAULT_DBALLOC:
		errno = ENOMEM;
		break;
	default:
		break;
	}
	return 1;
}

int
fault_point(const char *name)
{
	const char	*want = getenv("METODIST_FAULT");

	return want != NULL && strcmp(want, name) == 0;
}

void
fault_start(const char *point)
{
	if (fault.started || fault.from == NULL ||
	    strcmp(fault.from, point) != 0)
		return;
	memset(fault.count, 0, sizeof fault.count);
	fault.started = 1;
}

static void
fault_report(void)
{
	FILE	*f;
	int	 k;

	if (fault.count_file == NULL || (f = fopen(fault.count_file, "a")) ==
	    NULL)
		return;
	for (k = 0; k < FAULT_NKINDS; k++)
		fprintf(f, "%s %lu\n", fault_names[k], fault.count[k]);
	fclose(f);
}

/* --- SQLite's allocator ------------------------------------------------ */

static sqlite3_mem_methods fault_real_mem;

static void *
fault_sqlite_malloc(int n)
{
	return fault_fail(FAULT_DBALLOC) ? NULL : fault_real_mem.xMalloc(n);
}

static void *
fault_sqlite_realloc(void *p, int n)
{
	return fault_fail(FAULT_DBALLOC) ? NULL :
	    fault_real_mem.xRealloc(p, n);
}

static void
fault_wrap_sqlite_malloc(void)
{
	sqlite3_mem_methods	m;

	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &fault_real_mem) !=
	    SQLITE_OK)
		return;
	m = fault_real_mem;
	m.xMalloc = fault_sqlite_malloc;
	m.xRealloc = fault_sqlite_realloc;
	sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
}

/* --- SQLite's files ---------------------------------------------------- */

struct fault_file {
	sqlite3_file	 base;
	sqlite3_file	*real;		/* follows this struct in memory */
};

static sqlite3_vfs		*fault_real_vfs;
static sqlite3_vfs		 fault_vfs;
static sqlite3_io_methods	 fault_io;

#define REAL(f)	(((struct fault_file *)(f))->real)

static int
fault_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int
fault_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int
fault_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	if (fault_fail(FAULT_DBIO))
		return SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int
fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (fault_fail(FAULT_DBIO))
		return SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
fault_sync(sqlite3_file *f, int flags)
{
	if (fault_fail(FAULT_DBIO))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
fault_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
fault_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int
fault_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int
fault_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
fault_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
fault_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
fault_devchar(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
fault_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp);
}

static int
fault_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void
fault_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
fault_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int
fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *outflags)
{
	struct fault_file	*ff = (struct fault_file *)f;
	int			 rc;

	ff->real = (sqlite3_file *)(ff + 1);
	rc = fault_real_vfs->xOpen(fault_real_vfs, name, ff->real, flags,
	    outflags);
	/* SQLite calls xClose only on files whose pMethods is set. */
	f->pMethods = ff->real->pMethods != NULL ? &fault_io : NULL;
	return rc;
}

static void
fault_wrap_sqlite_vfs(void)
{
	if ((fault_real_vfs = sqlite3_vfs_find(NULL)) == NULL)
		return;
	fault_vfs = *fault_real_vfs;
	fault_vfs.zName = "metodist-fault";
	fault_vfs.szOsFile = (int)sizeof(struct fault_file) +
	    fault_real_vfs->szOsFile;
	fault_vfs.xOpen = fault_open;
	fault_io = (sqlite3_io_methods){
		.iVersion = 2,
		.xClose = fault_close, .xRead = fault_read,
		.xWrite = fault_write, .xTruncate = fault_truncate,
		.xSync = fault_sync, .xFileSize = fault_size,
		.xLock = fault_lock, .xUnlock = fault_unlock,
		.xCheckReservedLock = fault_check_lock,
		.xFileControl = fault_control, .xSectorSize = fault_sector,
		.xDeviceCharacteristics = fault_devchar,
		.xShmMap = fault_shm_map, .xShmLock = fault_shm_lock,
		.xShmBarrier = fault_shm_barrier, .xShmUnmap = fault_shm_unmap,
	};
	sqlite3_vfs_register(&fault_vfs, 1);
}

/* --- SQLite's statements ----------------------------------------------- */

static int
fault_trace(unsigned type, void *ctx, void *p, void *x)
{
	if (type == SQLITE_TRACE_STMT && fault_fail(FAULT_DBSTEP))
		fault.stop_stmt = 1;
	return 0;
}

static int
fault_progress(void *arg)
{
	if (!fault.stop_stmt)
		return 0;
	fault.stop_stmt = 0;
	return 1;
}

void
fault_db(sqlite3 *db)
{
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, fault_trace, NULL);
	if (fault.armed && fault.kind == FAULT_DBSTEP)
		sqlite3_progress_handler(db, 1, fault_progress, NULL);
}

/* --- set-up ------------------------------------------------------------ */

void
fault_init(void)
{
	const char	*spec, *colon;
	char		*end;
	int		 k;

	fault.count_file = getenv("METODIST_FAULT_COUNT");
	fault.from = getenv("METODIST_FAULT_FROM");
	if (fault.from != NULL && *fault.from == '\0')
		fault.from = NULL;
	fault.started = fault.from == NULL;
	if (fault.count_file != NULL)
		atexit(fault_report);
	if ((spec = getenv("METODIST_FAULT")) != NULL &&
	    (colon = strchr(spec, ':')) != NULL) {
		for (k = 0; k < FAULT_NKINDS; k++)
			if (strncmp(spec, fault_names[k], colon - spec) == 0 &&
			    fault_names[k][colon - spec] == '\0')
				break;
		fault.nth = strtoul(colon + 1, &end, 10);
		if (k < FAULT_NKINDS && *end == '\0' && fault.nth > 0) {
			fault.kind = k;
			fault.armed = 1;
		}
	}
	fault_wrap_sqlite_malloc();
	fault_wrap_sqlite_vfs();
}

#endif /* METODIST_FAULTS */

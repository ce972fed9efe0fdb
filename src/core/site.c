/*
 * site: see site.h.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/site.h"
#include "io/egress.h"
#include "io/spool.h"
#include "store/db.h"
#include "store/list.h"
#include "util/atomicfile.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

static int
site_dirs(struct site *s)
{
	const struct config	*cfg = s->cfg;
	char			*tmp;
	int			 rc;

	tmp = str_path_join(cfg->var_dir, "tmp");
	rc = atomicfile_mkdirs(cfg->var_dir, 0750) == -1 ||
	    spool_init(cfg->spool_dir) == -1 ||
	    atomicfile_mkdirs(cfg->archive_dir, 0750) == -1 ||
	    atomicfile_mkdirs(s->queue_dir, 0750) == -1 ||
	    atomicfile_mkdirs(s->held_dir, 0750) == -1 ||
	    atomicfile_mkdirs(tmp, 0750) == -1;
	if (rc)
		log_warn("site: cannot make directories under %s",
		    cfg->var_dir);
	free(tmp);
	return rc ? -1 : 0;
}

static int
site_sync_lists(struct site *s)
{
	size_t	i;

	for (i = 0; i < s->cfg->nlists; i++)
		if (list_id(s->db, s->cfg->lists[i].name) == -1)
			return -1;
	return 0;
}

int
site_open(struct config *cfg, struct site *s, int *transient)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	s->queue_dir = str_path_join(cfg->var_dir, "queue");
	s->held_dir = str_path_join(cfg->var_dir, "held");
	*transient = 1;
	if (site_dirs(s) == -1)
		goto fail;
	if (db_open(cfg->db_path, &s->db) == -1)
		goto fail;
	if (site_sync_lists(s) == -1) {
		*transient = db_transient(s->db);
		goto fail;
	}
	if ((s->egress = egress_open(cfg)) == NULL)
		goto fail;
	return 0;
fail:
	site_close(s);
	return -1;
}

void
site_close(struct site *s)
{
	egress_close(s->egress);
	db_close(s->db);
	free(s->queue_dir);
	free(s->held_dir);
	s->egress = NULL;
	s->db = NULL;
	s->queue_dir = s->held_dir = NULL;
}

int64_t
site_list_id(struct site *s, const struct list_config *lc)
{
	return list_id(s->db, lc->name);
}

char *
site_list_address(const struct config *cfg, const struct list_config *lc,
    const char *suffix)
{
	if (suffix[0] == '+')
		return xasprintf("%s%c%s@%s", lc->name, cfg->delimiter,
		    suffix + 1, cfg->domain);
	return xasprintf("%s%s@%s", lc->name, suffix, cfg->domain);
}

char *
site_store_file(struct site *s, const char *dir, const char *name,
    const char *data, size_t len)
{
	char	*tmp, *path;

	if (atomicfile_mkdirs(dir, 0750) == -1) {
		log_warn("site: mkdir %s", dir);
		return NULL;
	}
	tmp = str_path_join(s->cfg->var_dir, "tmp");
	path = str_path_join(dir, name);
	if (atomicfile_write(tmp, path, data, len) == -1) {
		log_warn("site: write %s", path);
		free(path);
		path = NULL;
	}
	free(tmp);
	return path;
}

/*
 * cli-archive: metodist archive render [L] | export L [--month YYYY-MM]
 * | import L FILE.mbox [--no-render] | reindex [L] — the list archive
 * from the server's shell (core/history.h, render/archive.h).  Export
 * writes mboxrd to standard output; import (which renders the pages
 * after, unless told not to) and render draw a progress bar on a
 * terminal.
 * Exit 0, 64 on a usage error or an unknown list, 66 when the mbox
 * cannot be read, 75 on a database or disk error.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "core/config.h"
#include "core/history.h"
#include "core/site.h"
#include "render/archive.h"
#include "store/db.h"
#include "util/progress.h"

static int
cli_archive_usage(void)
{
	fprintf(stderr, "usage: metodist archive render [LIST]\n"
	    "       metodist archive export LIST [--month YYYY-MM]\n"
	    "       metodist archive import LIST FILE.mbox [--no-render]\n"
	    "       metodist archive reindex [LIST]\n");
	return EX_USAGE;
}

static const struct list_config *
cli_archive_list(const struct config *cfg, const char *name)
{
	const struct list_config	*l = config_list(cfg, name);

	if (l == NULL)
		fprintf(stderr, "metodist archive: no list '%s'\n", name);
	return l;
}

static int
cli_archive_render_one(struct site *s, const struct list_config *l)
{
	struct archive	a;
	struct progress	pr;
	int		rc;

	if (archive_open(&a, s->cfg, l, s->db) == -1)
		return -1;
	rc = archive_render_all(&a, &pr);
	printf("%s: %s/\n", l->name, a.dir);
	archive_close(&a);
	return rc;
}

static int
cli_archive_reindex_one(struct site *s, const struct list_config *l)
{
	struct progress	pr;
	size_t		n;

	if (history_reindex(s, l, &pr, &n) == -1)
		return -1;
	printf("%s: %zu\n", l->name, n);
	return 0;
}

/* render or reindex one list (name given) or all of them */
static int
cli_archive_each(struct site *s, const char *name,
    int (*fn)(struct site *, const struct list_config *))
{
	const struct list_config	*l;
	size_t				 i;
	int				 rc = 0;

	if (name != NULL) {
		if ((l = cli_archive_list(s->cfg, name)) == NULL)
			return EX_USAGE;
		return fn(s, l) == 0 ? 0 : EX_TEMPFAIL;
	}
	for (i = 0; i < s->cfg->nlists; i++)
		if (fn(s, &s->cfg->lists[i]) == -1)
			rc = EX_TEMPFAIL;
	return rc;
}

static int
cli_archive_export(struct site *s, int argc, char **argv)
{
	const struct list_config	*l;
	const char			*month = NULL;
	size_t				 n;

	if (argc == 5 && strcmp(argv[3], "--month") == 0)
		month = argv[4];
	else if (argc != 3)
		return cli_archive_usage();
	if ((l = cli_archive_list(s->cfg, argv[2])) == NULL)
		return EX_USAGE;
	if (history_export(s, l, month, stdout, &n) == -1)
		return EX_TEMPFAIL;
	fprintf(stderr, "%s: %zu\n", l->name, n);
	return 0;
}

static int
cli_archive_import(struct site *s, const char *name, const char *file,
    int render)
{
	const struct list_config	*l;
	struct history_counts		 c;
	struct progress			 pr;
	FILE				*f;

	if ((l = cli_archive_list(s->cfg, name)) == NULL)
		return EX_USAGE;
	if ((f = fopen(file, "r")) == NULL) {
		perror(file);
		return EX_NOINPUT;
	}
	fclose(f);
	if (history_import(s, l, file, &pr, &c) == -1)
		return EX_TEMPFAIL;
	if (strcmp(s->cfg->language, "en") == 0)
		printf("messages %zu, added %zu, duplicates %zu, undated %zu\n",
		    c.read, c.added, c.duplicates, c.undated);
	else
		printf("писем: %zu, добавлено: %zu, повторов: %zu, "
		    "без даты: %zu\n", c.read, c.added, c.duplicates,
		    c.undated);
	if (!render)
		return 0;
	return cli_archive_render_one(s, l) == 0 ? 0 : EX_TEMPFAIL;
}

static int
cli_archive_dispatch(struct site *s, int argc, char **argv)
{
	const char	*verb = argv[1];

	if (strcmp(verb, "render") == 0 && argc <= 3)
		return cli_archive_each(s, argc == 3 ? argv[2] : NULL,
		    cli_archive_render_one);
	if (strcmp(verb, "reindex") == 0 && argc <= 3)
		return cli_archive_each(s, argc == 3 ? argv[2] : NULL,
		    cli_archive_reindex_one);
	if (strcmp(verb, "export") == 0)
		return cli_archive_export(s, argc, argv);
	if (strcmp(verb, "import") == 0 && argc == 4)
		return cli_archive_import(s, argv[2], argv[3], 1);
	if (strcmp(verb, "import") == 0 && argc == 5 &&
	    strcmp(argv[4], "--no-render") == 0)
		return cli_archive_import(s, argv[2], argv[3], 0);
	return cli_archive_usage();
}

static int
cli_archive_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct site	s;
	int		transient, rc;

	if (argc < 2)
		return cli_archive_usage();
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	db_reader(s.db);
	rc = cli_archive_dispatch(&s, argc, argv);
	site_close(&s);
	return rc;
}

const struct cli_command cli_archive = {
	"archive", "render|export|import|reindex",
	"the list archive: HTML, mbox", 1, cli_archive_run
};

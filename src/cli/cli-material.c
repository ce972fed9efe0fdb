/*
 * cli-material: metodist material level ID LEVEL — a coordinator records
 * where an approved development has been recognised beyond the list:
 * regional (passed the regional expertise), portal (published on the
 * regional portal), or municipal again.  ID is the number (М-2026-0042)
 * or the database id.
 */
#include <config.h>

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/site.h"
#include "store/db.h"
#include "store/submission.h"
#include "util/strutil.h"

static const char *
cli_material_level(const char *v)
{
	static const char *const names[][2] = {
		{ "municipal", "municipal" }, { "муниципальный", "municipal" },
		{ "regional", "regional" }, { "региональный", "regional" },
		{ "portal", "portal" }, { "портал", "portal" },
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], v) == 0)
			return names[i][1];
	return NULL;
}

static int
cli_material_find(struct site *s, const char *id, struct submission *sub)
{
	uint64_t	n;
	int64_t		seq;
	int		year;

	if (submission_code_find(id, &year, &seq))
		return submission_by_number(s->db, year, seq, sub);
	if (str_to_u64(id, INT64_MAX, &n) == 0)
		return submission_get(s->db, (int64_t)n, sub);
	return 1;
}

static int
cli_material_record(struct site *s, struct submission *sub,
    const char *level)
{
	struct passwd	*pw = getpwuid(getuid());

	if (db_begin(s->db) == -1)
		return -1;
	if (submission_level_record(s->db, sub->id, level, pw ? pw->pw_name :
	    "shell", time(NULL)) == -1 || db_commit(s->db) == -1) {
		db_rollback(s->db);
		return -1;
	}
	return 0;
}

static int
cli_material_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct submission	 sub;
	struct site		 s;
	const char		*level;
	int			 transient, rc;

	if (argc != 4 || strcmp(argv[1], "level") != 0 ||
	    (level = cli_material_level(argv[3])) == NULL) {
		fprintf(stderr, "usage: metodist material level ID "
		    "municipal|regional|portal\n");
		return EX_USAGE;
	}
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	if ((rc = cli_material_find(&s, argv[2], &sub)) != 0) {
		site_close(&s);
		if (rc == 1)
			fprintf(stderr, "metodist: no submission %s\n", argv[2]);
		return rc == 1 ? EX_DATAERR : EX_TEMPFAIL;
	}
	if (strcmp(sub.state, "approved") != 0) {
		fprintf(stderr, "metodist: %s is %s, not approved; only an "
		    "approved development has a level\n", sub.code, sub.state);
		rc = EX_DATAERR;
	} else if (cli_material_record(&s, &sub, level) == -1)
		rc = EX_TEMPFAIL;
	else
		printf("%s: level %s recorded\n", sub.code, level);
	submission_free(&sub);
	site_close(&s);
	return rc;
}

const struct cli_command cli_material = {
	"material", "level ID LEVEL",
	"record a development's level (municipal, regional, portal)", 1,
	cli_material_run
};

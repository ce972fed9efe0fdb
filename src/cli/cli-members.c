/*
 * cli-members: metodist members add|remove|list LIST [ADDRESS [NAME]].
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "core/config.h"
#include "core/site.h"
#include "mail/address.h"
#include "store/member.h"

static int
cli_members_print(void *arg, const struct member *m)
{
	printf("%s\t%s\t%s\n", m->address, m->mode, m->name);
	return 0;
}

static int
cli_members_change(struct site *s, int64_t lid, const char *op,
    const char *addr, const char *name)
{
	char	*norm;
	int	 rc;

	if ((norm = address_normalize(addr)) == NULL) {
		fprintf(stderr, "metodist: not an address: %s\n", addr);
		return EX_DATAERR;
	}
	if (strcmp(op, "add") == 0) {
		rc = member_add(s->db, lid, norm, name, "normal");
		if (rc >= 0)
			printf("%s %s\n", norm, rc == 0 ? "added" :
			    "is already a member");
	} else {
		rc = member_remove(s->db, lid, norm, s->cfg->local_part_ci);
		if (rc >= 0)
			printf("%s %s\n", norm, rc == 0 ? "removed" :
			    "was not a member");
	}
	free(norm);
	return rc == -1 ? EX_TEMPFAIL : 0;
}

static int
cli_members_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct list_config	*l;
	struct site			 s;
	int64_t				 lid;
	int				 transient, rc = EX_USAGE;

	if (argc < 3 || (strcmp(argv[1], "list") != 0 && argc < 4)) {
		fprintf(stderr, "usage: metodist members add|remove|list LIST "
		    "[ADDRESS [NAME]]\n");
		return EX_USAGE;
	}
	if ((l = config_list(ctx->cfg, argv[2])) == NULL) {
		fprintf(stderr, "metodist: no list %s\n", argv[2]);
		return EX_DATAERR;
	}
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	lid = site_list_id(&s, l);
	if (strcmp(argv[1], "list") == 0)
		rc = member_foreach(s.db, lid, NULL, cli_members_print, NULL) ==
		    -1 ? EX_TEMPFAIL : 0;
	else if (strcmp(argv[1], "add") == 0 || strcmp(argv[1], "remove") == 0)
		rc = cli_members_change(&s, lid, argv[1], argv[3],
		    argc > 4 ? argv[4] : NULL);
	else
		fprintf(stderr, "metodist: members: unknown operation %s\n",
		    argv[1]);
	site_close(&s);
	return rc;
}

const struct cli_command cli_members = {
	"members", "add|remove|list LIST [ADDR [NAME]]",
	"manage a list's members", 1, cli_members_run
};

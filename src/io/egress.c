/*
 * egress: see egress.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "io/egress.h"
#include "util/log.h"
#include "util/xmalloc.h"

static const struct egress_ops *const egress_transports[] = {
	&egress_maildir_ops,
	&egress_smtp_ops,
};

struct egress *
egress_open(const struct config *cfg)
{
	struct egress	*e;
	size_t		 i;

	for (i = 0; i < sizeof egress_transports / sizeof egress_transports[0];
	    i++) {
		if (strcmp(egress_transports[i]->name, cfg->egress) != 0)
			continue;
		e = xcalloc(1, sizeof *e);
		e->ops = egress_transports[i];
		e->cfg = cfg;
		if (e->ops->open(e) == -1) {
			free(e);
			return NULL;
		}
		return e;
	}
	log_warnx("egress: no transport called %s", cfg->egress);
	return NULL;
}

void
egress_close(struct egress *e)
{
	if (e == NULL)
		return;
	e->ops->close(e);
	free(e);
}

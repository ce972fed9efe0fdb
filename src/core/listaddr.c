/*
 * listaddr: see listaddr.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "core/listaddr.h"
#include "core/route.h"
#include "mail/address.h"
#include "mail/header.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define LISTADDR_VALUE_MAX	8192	/* of one header field we read */
#define LISTADDR_ADDR_MAX	320	/* of an address we return */

struct listaddr_found {
	const struct config		*cfg;
	const struct mailbox_config	*mb;
	char				**v;
	size_t				 n;
	int				 bare;	/* the mailbox's own address seen */
};

static const char *const listaddr_fields[MBSRC_COUNT] = {
	"Delivered-To", "X-Original-To", "X-Delivered-To", "Envelope-To", NULL
};

/* BOX+DETAIL@BOXDOMAIN as DETAIL@D; the bare BOX@BOXDOMAIN sets bare. */
static char *
listaddr_unplus(struct listaddr_found *f, const char *addr)
{
	char	*local, *domain, *blocal, *bdomain, *out = NULL;
	size_t	 blen;

	if (f->mb->address == NULL || address_split(addr, &local, &domain) ==
	    -1)
		return xstrdup(addr);
	if (address_split(f->mb->address, &blocal, &bdomain) == -1) {
		free(local);
		free(domain);
		return xstrdup(addr);
	}
	blen = strlen(blocal);
	if (strcasecmp(domain, bdomain) != 0)
		out = xstrdup(addr);
	else if (strcasecmp(local, blocal) == 0)
		f->bare = 1;
	else if (strncasecmp(local, blocal, blen) == 0 &&
	    local[blen] == f->cfg->delimiter && local[blen + 1] != '\0')
		out = xasprintf("%s@%s", local + blen + 1, f->cfg->domain);
	else
		out = xstrdup(addr);
	free(local); free(domain); free(blocal); free(bdomain);
	return out;
}

/* What goes into a spool envelope: no control bytes, bounded. */
static int
listaddr_safe(const char *a)
{
	const unsigned char	*p;

	if (strlen(a) >= LISTADDR_ADDR_MAX)
		return 0;
	for (p = (const unsigned char *)a; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static void
listaddr_consider(struct listaddr_found *f, const char *raw)
{
	struct route	 rt;
	char		*norm, *addr;
	size_t		 i;

	if (f->n >= LISTADDR_MAX || (norm = address_normalize(raw)) == NULL)
		return;
	addr = listaddr_unplus(f, norm);
	free(norm);
	if (addr == NULL)
		return;
	if (!listaddr_safe(addr) || route_address(f->cfg, addr, &rt) == -1) {
		free(addr);
		return;
	}
	for (i = 0; i < f->n; i++)
		if (strcasecmp(f->v[i], addr) == 0) {
			free(addr);
			return;
		}
	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n++] = addr;
}

static void
listaddr_group(struct listaddr_found *f, struct mailimf_group *g)
{
	clistiter	*it;

	if (g->grp_mb_list == NULL)
		return;
	for (it = clist_begin(g->grp_mb_list->mb_list); it != NULL;
	    it = clist_next(it))
		listaddr_consider(f, ((struct mailimf_mailbox *)
		    clist_content(it))->mb_addr_spec);
}

/* Every address of one To or Cc value. */
static void
listaddr_address_list(struct listaddr_found *f, const char *value)
{
	struct mailimf_address_list	*al = NULL;
	struct mailimf_address		*a;
	clistiter			*it;
	size_t				 idx = 0;

	if (mailimf_address_list_parse(value, strlen(value), &idx, &al) !=
	    MAILIMF_NO_ERROR)
		return;
	for (it = clist_begin(al->ad_list); it != NULL; it = clist_next(it)) {
		a = clist_content(it);
		if (a->ad_type == MAILIMF_ADDRESS_MAILBOX)
			listaddr_consider(f, a->ad_data.ad_mailbox->
			    mb_addr_spec);
		else
			listaddr_group(f, a->ad_data.ad_group);
	}
	mailimf_address_list_free(al);
}

static char *
listaddr_value(const struct header_list *h, long i)
{
	char	*v = header_value(h, (size_t)i);

	if (strlen(v) > LISTADDR_VALUE_MAX)
		v[LISTADDR_VALUE_MAX] = '\0';
	return v;
}

static void
listaddr_source(struct listaddr_found *f, const struct header_list *h,
    enum mbconfig_source src)
{
	static const char *const recipients[] = { "To", "Cc" };
	char	*v;
	long	 i;
	size_t	 k;

	if (src != MBSRC_TO) {
		if ((i = header_find(h, listaddr_fields[src], 0)) == -1)
			return;
		v = listaddr_value(h, i);
		listaddr_consider(f, v);
		free(v);
		return;
	}
	for (k = 0; k < 2; k++)
		for (i = 0; (i = header_find(h, recipients[k], (size_t)i)) !=
		    -1; i++) {
			v = listaddr_value(h, i);
			listaddr_address_list(f, v);
			free(v);
		}
}

size_t
listaddr_find(const struct config *cfg, const struct mailbox_config *mb,
    const char *msg, size_t len, char ***out)
{
	struct listaddr_found	 f;
	struct header_list	 h;
	size_t			 i;

	memset(&f, 0, sizeof f);
	f.cfg = cfg;
	f.mb = mb;
	header_split(msg, len, &h);
	for (i = 0; i < mb->nsources && f.n == 0; i++)
		listaddr_source(&f, &h, mb->sources[i]);
	header_list_free(&h);
	if (f.n == 0 && f.bare) {
		f.v = xreallocarray(NULL, 1, sizeof *f.v);
		f.v[f.n++] = xasprintf("%s@%s", cfg->site_address,
		    cfg->domain);
	}
	*out = f.v;
	return f.n;
}

char *
listaddr_sender(const char *msg, size_t len)
{
	struct header_list	 h;
	char			*v, *addr = NULL;
	long			 i;

	header_split(msg, len, &h);
	if ((i = header_find(&h, "Return-Path", 0)) != -1) {
		v = listaddr_value(&h, i);
		str_trim(v);
		addr = strcmp(v, "<>") == 0 ? xstrdup("") :
		    address_normalize(v);
		free(v);
	}
	if (addr == NULL && (i = header_find(&h, "From", 0)) != -1) {
		v = listaddr_value(&h, i);
		addr = address_normalize(v);
		free(v);
	}
	header_list_free(&h);
	if (addr != NULL && !listaddr_safe(addr)) {
		free(addr);
		addr = NULL;
	}
	return addr != NULL ? addr : xstrdup("");
}

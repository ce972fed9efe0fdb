/*
 * mbconfig: see mbconfig.h.
 */
#include <config.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/mbconfig.h"
#include "mail/address.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define MBCONFIG_PASSWORD_MAX	1024

static const char *const mbconfig_source_names[MBSRC_COUNT] = {
	"delivered-to", "x-original-to", "x-delivered-to", "envelope-to", "to"
};

const char *
mbconfig_source_name(enum mbconfig_source s)
{
	return s < MBSRC_COUNT ? mbconfig_source_names[s] : "?";
}

int
mbconfig_is_section(const char *section)
{
	return strcmp(section, "mailbox") == 0 ||
	    strncmp(section, "mailbox.", 8) == 0;
}

static int
mbconfig_name_ok(const char *name)
{
	const char	*p;

	if (*name == '\0' || strlen(name) > 32)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return 0;
	return 1;
}

static void
mbconfig_defaults(struct mailbox_config *mb)
{
	mb->tls = MBCONFIG_TLS_IMPLICIT;
	mb->folder = xstrdup("INBOX");
	mb->processed = xstrdup("Processed");
	mb->poll_interval = 60;
	mb->idle_timeout = 25 * 60;	/* RFC 2177: under 29 minutes */
	mb->retry_min = 10;
	mb->retry_max = 15 * 60;
	mb->timeout = 60;
	mb->sources[0] = MBSRC_DELIVERED_TO;
	mb->sources[1] = MBSRC_X_ORIGINAL_TO;
	mb->sources[2] = MBSRC_TO;
	mb->nsources = 3;
}

struct mailbox_config *
mbconfig_section(struct config *cfg, const char *section, const char *file,
    int line, const char **err)
{
	struct mailbox_config	*mb;
	const char		*name;
	size_t			 i;

	*err = NULL;
	if (!mbconfig_is_section(section))
		return NULL;
	name = section[7] == '.' ? section + 8 : "default";
	if (!mbconfig_name_ok(name)) {
		*err = "mailbox name must be lower-case ASCII letters, digits "
		    "and '-', as in [mailbox.yandex]";
		return NULL;
	}
	for (i = 0; i < cfg->nmailboxes; i++)
		if (strcmp(cfg->mailboxes[i]->name, name) == 0) {
			*err = "this mailbox is defined twice";
			return NULL;
		}
	mb = xcalloc(1, sizeof *mb);
	mb->name = xstrdup(name);
	mb->file = xstrdup(file);
	mb->line = line;
	mbconfig_defaults(mb);
	cfg->mailboxes = xreallocarray(cfg->mailboxes, cfg->nmailboxes + 1,
	    sizeof *cfg->mailboxes);
	cfg->mailboxes[cfg->nmailboxes++] = mb;
	return mb;
}

static const char *
mbconfig_string(char **dst, const char *v)
{
	free(*dst);
	*dst = *v == '\0' ? NULL : xstrdup(v);
	return NULL;
}

static const char *
mbconfig_int(const char *v, int lo, int hi, int *out, const char *what)
{
	uint64_t	n;

	if (str_to_u64(v, (uint64_t)hi, &n) == -1 || n < (uint64_t)lo)
		return what;
	*out = (int)n;
	return NULL;
}

static const char *
mbconfig_tls(struct mailbox_config *mb, const char *v)
{
	if (strcmp(v, "implicit") == 0)
		mb->tls = MBCONFIG_TLS_IMPLICIT;
	else if (strcmp(v, "starttls") == 0)
		mb->tls = MBCONFIG_TLS_STARTTLS;
	else if (strcmp(v, "none") == 0)
		mb->tls = MBCONFIG_TLS_NONE;
	else
		return "tls must be implicit, starttls or none";
	return NULL;
}

static const char *
mbconfig_sources(struct mailbox_config *mb, const char *v, char *msg,
    size_t msgsz)
{
	char		*copy, *p, *item;
	size_t		 i;
	const char	*err = NULL;

	mb->nsources = 0;
	copy = xstrdup(v);
	for (p = copy; err == NULL && (item = strsep(&p, ",")) != NULL; ) {
		str_trim(item);
		if (*item == '\0')
			continue;
		for (i = 0; i < MBSRC_COUNT; i++)
			if (strcasecmp(item, mbconfig_source_names[i]) == 0)
				break;
		if (i == MBSRC_COUNT) {
			snprintf(msg, msgsz, "unknown address source '%s' "
			    "(delivered-to, x-original-to, x-delivered-to, "
			    "envelope-to, to)", item);
			err = msg;
		} else if (mb->nsources < MBCONFIG_MAX_SOURCES)
			mb->sources[mb->nsources++] = (enum mbconfig_source)i;
	}
	free(copy);
	if (err == NULL && mb->nsources == 0)
		err = "address_from needs at least one source";
	return err;
}

static const char *
mbconfig_address(struct mailbox_config *mb, const char *v)
{
	char	*norm;

	if (*v == '\0')
		return mbconfig_string(&mb->address, v);
	if ((norm = address_normalize(v)) == NULL)
		return "address must be the mailbox's own address";
	free(mb->address);
	mb->address = norm;
	return NULL;
}

static const char *
mbconfig_processed(struct mailbox_config *mb, const char *v)
{
	if (*v == '\0')
		return "processed must name a folder, or be 'delete'";
	if (strpbrk(v, "\"\\\r\n") != NULL)
		return "processed folder name must not contain quotes";
	return mbconfig_string(&mb->processed,
	    strcmp(v, "delete") == 0 ? "" : v);
}

static const char *
mbconfig_set_more(struct config *cfg, struct mailbox_config *mb,
    const char *key, const char *v, char *msg, size_t msgsz)
{
	if (strcmp(key, "poll_interval") == 0)
		return mbconfig_int(v, 1, 86400, &mb->poll_interval,
		    "poll_interval must be 1 to 86400 seconds");
	if (strcmp(key, "idle_timeout") == 0)
		return mbconfig_int(v, 5, 29 * 60, &mb->idle_timeout,
		    "idle_timeout must be 5 to 1740 seconds");
	if (strcmp(key, "retry_min") == 0)
		return mbconfig_int(v, 1, 3600, &mb->retry_min,
		    "retry_min must be 1 to 3600 seconds");
	if (strcmp(key, "retry_max") == 0)
		return mbconfig_int(v, 1, 86400, &mb->retry_max,
		    "retry_max must be 1 to 86400 seconds");
	if (strcmp(key, "timeout") == 0)
		return mbconfig_int(v, 1, 600, &mb->timeout,
		    "timeout must be 1 to 600 seconds");
	if (strcmp(key, "address_from") == 0)
		return mbconfig_sources(mb, v, msg, msgsz);
	if (strcmp(key, "address") == 0)
		return mbconfig_address(mb, v);
	snprintf(msg, msgsz, "unknown key '%s' in [mailbox]", key);
	return msg;
}

const char *
mbconfig_set(struct config *cfg, struct mailbox_config *mb, const char *key,
    const char *v, char *msg, size_t msgsz)
{
	if (strcmp(key, "protocol") == 0) {
		if (strcmp(v, "imap") != 0 && strcmp(v, "pop3") != 0)
			return "protocol must be imap or pop3";
		mb->pop3 = strcmp(v, "pop3") == 0;
		return NULL;
	}
	if (strcmp(key, "host") == 0) {
		if (*v == '\0' || strpbrk(v, " /:@") != NULL)
			return "host must be a host name or address";
		return mbconfig_string(&mb->host, v);
	}
	if (strcmp(key, "port") == 0)
		return mbconfig_int(v, 1, 65535, &mb->port,
		    "port must be 1 to 65535");
	if (strcmp(key, "tls") == 0)
		return mbconfig_tls(mb, v);
	if (strcmp(key, "cafile") == 0) {
		free(mb->cafile);
		mb->cafile = *v == '\0' ? NULL : config_resolve_path(cfg, v);
		return NULL;
	}
	if (strcmp(key, "user") == 0)
		return mbconfig_string(&mb->user, v);
	if (strcmp(key, "password") == 0)
		return mbconfig_string(&mb->password, v);
	if (strcmp(key, "password_file") == 0) {
		free(mb->password_file);
		mb->password_file = *v == '\0' ? NULL :
		    config_resolve_path(cfg, v);
		return NULL;
	}
	if (strcmp(key, "folder") == 0) {
		if (*v == '\0' || strpbrk(v, "\"\\\r\n") != NULL)
			return "folder must be a folder name without quotes";
		return mbconfig_string(&mb->folder, v);
	}
	if (strcmp(key, "processed") == 0)
		return mbconfig_processed(mb, v);
	return mbconfig_set_more(cfg, mb, key, v, msg, msgsz);
}

/* One code point of UTF-8 at *p, advancing it; -1 when malformed. */
static long
mbconfig_utf8(const unsigned char **p)
{
	const unsigned char	*s = *p;
	long			 cp;
	int			 n, i;

	if (s[0] < 0x80)
		n = 0, cp = s[0];
	else if ((s[0] & 0xe0) == 0xc0)
		n = 1, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 2, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 3, cp = s[0] & 0x07;
	else
		return -1;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return cp > 0x10ffff ? -1 : cp;
}

/* A run of UTF-16 units as "&BASE64-" with ',' for '/', unpadded. */
static void
mbconfig_b64_run(struct buf *out, const unsigned char *u, size_t n)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+,";
	uint32_t		 acc = 0;
	size_t			 i;
	int			 bits = 0;

	buf_addc(out, '&');
	for (i = 0; i < n; i++) {
		acc = (acc << 8) | u[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			buf_addc(out, b64[(acc >> bits) & 0x3f]);
		}
	}
	if (bits > 0)
		buf_addc(out, b64[(acc << (6 - bits)) & 0x3f]);
	buf_addc(out, '-');
}

char *
mbconfig_mutf7(const char *utf8)
{
	const unsigned char	*p = (const unsigned char *)utf8;
	unsigned char		 run[512];
	size_t			 n = 0;
	struct buf		 out;
	long			 cp;

	buf_init(&out);
	while (*p != '\0') {
		if ((cp = mbconfig_utf8(&p)) < 0 || n + 4 > sizeof run) {
			buf_free(&out);
			return NULL;
		}
		if (cp >= 0x20 && cp <= 0x7e) {
			if (n > 0)
				mbconfig_b64_run(&out, run, n);
			n = 0;
			buf_adds(&out, cp == '&' ? "&-" : (char[]){ (char)cp, 0 });
			continue;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			run[n++] = (unsigned char)(0xd8 | (cp >> 18));
			run[n++] = (unsigned char)(cp >> 10);
			cp = 0xdc00 | (cp & 0x3ff);
		}
		run[n++] = (unsigned char)(cp >> 8);
		run[n++] = (unsigned char)cp;
	}
	if (n > 0)
		mbconfig_b64_run(&out, run, n);
	return buf_detach(&out);
}

/* The first line of the password file, without its line end. */
static const char *
mbconfig_read_password(struct mailbox_config *mb, char *msg, size_t msgsz)
{
	char	*data;
	size_t	 len;

	if ((data = atomicfile_read(mb->password_file, MBCONFIG_PASSWORD_MAX,
	    &len)) == NULL) {
		snprintf(msg, msgsz, "password_file %s: %s", mb->password_file,
		    strerror(errno));
		return msg;
	}
	data[strcspn(data, "\r\n")] = '\0';
	free(mb->password);
	mb->password = data;
	return NULL;
}

static int
mbconfig_default_port(const struct mailbox_config *mb)
{
	if (mb->pop3)
		return mb->tls == MBCONFIG_TLS_IMPLICIT ? 995 : 110;
	return mb->tls == MBCONFIG_TLS_IMPLICIT ? 993 : 143;
}

const char *
mbconfig_finish(struct config *cfg, struct mailbox_config *mb, char *msg,
    size_t msgsz)
{
	if (mb->port == 0)
		mb->port = mbconfig_default_port(mb);
	if (mb->host == NULL)
		return "[mailbox] needs a host";
	if (mb->user == NULL)
		return "[mailbox] needs a user";
	if (mb->password != NULL && mb->password_file != NULL)
		return "[mailbox] has both password and password_file";
	if (mb->password_file != NULL &&
	    mbconfig_read_password(mb, msg, msgsz) != NULL)
		return msg;
	if (mb->password == NULL)
		return "[mailbox] needs a password or a password_file";
	if (mb->retry_max < mb->retry_min)
		return "[mailbox] retry_max is below retry_min";
	free(mb->folder_imap);
	free(mb->processed_imap);
	mb->folder_imap = mbconfig_mutf7(mb->folder);
	mb->processed_imap = mb->processed ? mbconfig_mutf7(mb->processed) :
	    NULL;
	if (mb->folder_imap == NULL ||
	    (mb->processed != NULL && mb->processed_imap == NULL))
		return "[mailbox] folder names must be UTF-8, under 128 "
		    "characters";
	return NULL;
}

static char *
mbconfig_dup(const char *s)
{
	return s == NULL ? NULL : xstrdup(s);
}

struct mailbox_config *
mbconfig_copy(const struct mailbox_config *mb)
{
	struct mailbox_config	*c = xcalloc(1, sizeof *c);

	*c = *mb;
	c->name = mbconfig_dup(mb->name);
	c->host = mbconfig_dup(mb->host);
	c->cafile = mbconfig_dup(mb->cafile);
	c->user = mbconfig_dup(mb->user);
	c->password = mbconfig_dup(mb->password);
	c->password_file = mbconfig_dup(mb->password_file);
	c->folder = mbconfig_dup(mb->folder);
	c->processed = mbconfig_dup(mb->processed);
	c->address = mbconfig_dup(mb->address);
	c->folder_imap = mbconfig_dup(mb->folder_imap);
	c->processed_imap = mbconfig_dup(mb->processed_imap);
	c->file = mbconfig_dup(mb->file);
	return c;
}

void
mbconfig_free(struct mailbox_config *mb)
{
	if (mb == NULL)
		return;
	free(mb->name); free(mb->host); free(mb->cafile); free(mb->user);
	if (mb->password != NULL)
		explicit_bzero(mb->password, strlen(mb->password));
	free(mb->password); free(mb->password_file); free(mb->folder);
	free(mb->processed); free(mb->address); free(mb->file);
	free(mb->folder_imap); free(mb->processed_imap);
	free(mb);
}

void
mbconfig_free_all(struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->nmailboxes; i++)
		mbconfig_free(cfg->mailboxes[i]);
	free(cfg->mailboxes);
	cfg->mailboxes = NULL;
	cfg->nmailboxes = 0;
}

/*
 * fuzz_listaddr: listaddr_find() and listaddr_sender() on arbitrary
 * messages, as a hosted mailbox would hand them over.
 *
 * Contract checked (src/core/listaddr.h): at most LISTADDR_MAX
 * addresses, each one that route_address() accepts, none twice, none
 * with a control byte or 320 bytes long; the sender is an address or "",
 * with no control byte and under 320 bytes.  The configuration has two
 * lists and the mailbox's own address for plus-addressing, with every
 * source in use.
 */
#include "config.h"

#include <strings.h>

#include "fuzz.h"
#include "core/config.h"
#include "core/listaddr.h"
#include "core/mbconfig.h"
#include "core/route.h"

static struct config		fuzz_cfg;
static struct list_config	fuzz_lists[2];
static struct mailbox_config	fuzz_mb;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t	i;

	fuzz_log_init("fuzz_listaddr");
	fuzz_cfg.domain = "lists.example.org";
	fuzz_cfg.site_address = "metodist";
	fuzz_cfg.delimiter = '+';
	fuzz_lists[0].name = "math";
	fuzz_lists[1].name = "physics";
	fuzz_cfg.lists = fuzz_lists;
	fuzz_cfg.nlists = 2;
	fuzz_mb.name = "fuzz";
	fuzz_mb.address = "box@hosted.example";
	for (i = 0; i < MBSRC_COUNT; i++)
		fuzz_mb.sources[i] = (enum mbconfig_source)(MBSRC_COUNT - 1 - i);
	fuzz_mb.nsources = MBSRC_COUNT;
	return 0;
}

static int
fuzz_envelope_ok(const char *s)
{
	const unsigned char	*p;

	if (strlen(s) >= 320)
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct route	 rt;
	char		**v, *snd;
	size_t		 n, i, j;

	n = listaddr_find(&fuzz_cfg, &fuzz_mb, (const char *)data, len, &v);
	FUZZ_CHECK(n <= LISTADDR_MAX, "too many addresses");
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(fuzz_envelope_ok(v[i]), "unsafe address");
		FUZZ_CHECK(route_address(&fuzz_cfg, v[i], &rt) == 0,
		    "an address the gateway does not route");
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcasecmp(v[i], v[j]) != 0,
			    "an address twice");
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	snd = listaddr_sender((const char *)data, len);
	FUZZ_CHECK(snd != NULL && fuzz_envelope_ok(snd), "unsafe sender");
	free(snd);
	return 0;
}

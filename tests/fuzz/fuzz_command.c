/*
 * fuzz_command: command extraction over a parsed message, and the one
 * grammar line by line.
 *
 * Contract checked (src/core/command.h): for any bytes, message_parse()
 * then command_extract(m, 5, ...) as tests/unit/check_command.c does;
 * extraction never fails, keeps at most COMMAND_MAX commands, stops after
 * 5 unknown lines (too_many_unknown set only then), and every string it
 * keeps is valid UTF-8 (lines are cut at character boundaries); mode is
 * NULL or one of normal, digest, nomail.  Then each of the first input
 * lines goes through command_parse() (result 0, 1 or 2; 2 sets a mode)
 * and command_subject_strip() (valid UTF-8 in, valid UTF-8 out).
 */
#include "config.h"

#include "core/command.h"
#include "fuzz.h"
#include "mail/message.h"

#define FUZZ_COMMAND_MAX_UNKNOWN	5
#define FUZZ_COMMAND_LINES		8

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_command");
	return 0;
}

static void
fuzz_command_check(const struct command *c)
{
	FUZZ_CHECK(fuzz_utf8_valid(c->line), "line not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(c->token), "token not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(c->list), "list not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(c->list_domain), "list_domain not UTF-8");
	FUZZ_CHECK(c->mode == NULL || strcmp(c->mode, "normal") == 0 ||
	    strcmp(c->mode, "digest") == 0 || strcmp(c->mode, "nomail") == 0,
	    "mode is not normal, digest or nomail");
}

static void
fuzz_command_extract(const uint8_t *data, size_t len)
{
	struct command_list	 cl;
	struct message		*m;
	char			*raw;
	size_t			 i;

	if ((raw = malloc(len ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(raw, data, len);
	m = message_parse(raw, len);
	command_extract(m, FUZZ_COMMAND_MAX_UNKNOWN, &cl);
	FUZZ_CHECK(cl.n <= COMMAND_MAX, "more than COMMAND_MAX commands");
	FUZZ_CHECK(!cl.too_many_unknown ||
	    cl.unknown >= FUZZ_COMMAND_MAX_UNKNOWN, "too_many_unknown early");
	for (i = 0; i < cl.n; i++)
		fuzz_command_check(&cl.v[i]);
	command_list_free(&cl);
	message_free(m);
	free(raw);
}

static void
fuzz_command_line(const char *line)
{
	struct command	 c;
	char		*s;
	int		 rc;

	memset(&c, 0, sizeof c);
	rc = command_parse(line, &c);
	FUZZ_CHECK(rc >= 0 && rc <= 2, "command_parse result out of range");
	if (rc == 1)
		FUZZ_CHECK(c.entry != NULL, "a command without an entry");
	if (rc == 2)
		FUZZ_CHECK(c.mode != NULL, "a mode word without a mode");
	if (rc != 0)
		fuzz_command_check(&c);
	command_free(&c);
	s = command_subject_strip(line);
	FUZZ_CHECK(s != NULL, "command_subject_strip returned NULL");
	if (fuzz_utf8_valid(line))
		FUZZ_CHECK(fuzz_utf8_valid(s), "stripped Subject not UTF-8");
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	*all, *p, *nl;
	int	 n;

	fuzz_command_extract(data, len);
	all = fuzz_cstr(data, len);
	for (p = all, n = 0; p != NULL && n < FUZZ_COMMAND_LINES; n++) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		fuzz_command_line(p);
		p = nl;
	}
	free(all);
	return 0;
}

/*
 * store/token: single-use, expiring tokens that a plain Reply carries back
 * (L+confirm-TOKEN@D, L+mod-TOKEN@D, invitations).
 *
 * Contract: a token is 128 random bits from the system's CSPRNG written as
 * 32 lower-case hex digits; it is bound to one kind, list and address.
 * token_use() succeeds once, within its lifetime, for the kind asked; it
 * marks the token used in the same statement, so two replies racing for
 * one token cannot both win.  Lookups compare the token exactly.
 */
#ifndef METODIST_STORE_TOKEN_H
#define METODIST_STORE_TOKEN_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#define TOKEN_LEN	32
#define TOKEN_LIFETIME	(3 * 24 * 3600)

struct token {
	char	 token[TOKEN_LEN + 1];
	char	*kind;
	int64_t	 list_id;
	char	*address;
	char	*mode;		/* "" when none */
	int64_t	 held_id;	/* 0 when none */
	int64_t	 created;
	int64_t	 expires;
	int64_t	 used;		/* 0 while unused */
	char	*used_by;	/* "" while unused */
};

/* A new token in out (TOKEN_LEN + 1 bytes); 0 or -1. */
int	token_new(sqlite3 *, const char *kind, int64_t list_id,
	    const char *address, const char *mode, int64_t held_id,
	    time_t lifetime, char out[TOKEN_LEN + 1]);
/* 0 found (fill t), 1 no such token, -1 error. */
int	token_get(sqlite3 *, const char *token, struct token *);
void	token_free(struct token *);
/*
 * Use a token of the given kind: 0 used now (t filled), 1 unknown or of
 * another kind, 2 expired, 3 already used (t filled: used_by says by
 * whom), -1 error.
 */
int	token_use(sqlite3 *, const char *token, const char *kind,
	    const char *by, time_t now, struct token *);
/* Remove tokens that expired before now - keep seconds ago. */
int	token_purge(sqlite3 *, time_t now, time_t keep);

#endif

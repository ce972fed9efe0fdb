/*
 * store/submission: methodological developments, their files by version,
 * the reviewers' assignments and the levels recorded for them.
 *
 * Contract: a submission's number is its year and the next sequence
 * number of that year across the site, allocated in the caller's
 * transaction; its code reads "М-YYYY-NNNN" (Cyrillic М).  Files are
 * recorded per version; their bytes live at `path`.  An assignment is
 * one reviewer's turn on one version, reached by its token; it is decided
 * once (open -> decided) or handed on (open -> reassigned).  A level is
 * recorded with who recorded it and when, and the submission keeps the
 * latest.  Nothing here sends mail or decides policy.
 */
#ifndef METODIST_STORE_SUBMISSION_H
#define METODIST_STORE_SUBMISSION_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SUBMISSION_CODE_MAX	32

struct submission {
	int64_t	 id;
	int64_t	 list_id;
	char	*list;		/* list name */
	char	*code;
	char	*title;
	char	*description;
	char	*author;
	char	*author_name;	/* "" when unknown */
	int64_t	 version;
	char	*state;		/* review, revise, approved, rejected */
	char	*level;		/* municipal, regional, portal */
	int64_t	 created;
	int64_t	 decided;	/* 0 while undecided */
	int64_t	 post_id;	/* 0 until announced */
};

struct submission_file {
	int64_t	 version;
	char	*name;		/* safe to show */
	char	*path;
	char	*type;
	int64_t	 size;
	char	*sha256;
};

struct review_assignment {
	int64_t	 id;
	int64_t	 submission_id;
	int64_t	 version;
	char	*reviewer;
	char	*token;
	char	*state;		/* open, decided, reassigned */
	char	*decision;	/* approve, revise, reject, or "" */
	char	*comment;	/* "" when none */
	int64_t	 assigned;
	int64_t	 reminded;	/* 0 when not yet */
	int64_t	 decided;
};

struct submission_new {
	int64_t		 list_id;
	const char	*title;
	const char	*description;
	const char	*author;
	const char	*author_name;
	const char	*message_id;
	time_t		 now;
};

/* "М-2026-0042" into out; 0, or -1 when it does not fit. */
int	submission_code_format(int year, int64_t seq, char *out, size_t sz);
/* Year and sequence of a code found in text ("М-2026-42", Latin M too,
 * any case); 1 found, 0 none. */
int	submission_code_find(const char *text, int *year, int64_t *seq);

/* The new submission's id (code in out), or -1. */
int64_t	submission_create(sqlite3 *, const struct submission_new *,
	    char out[SUBMISSION_CODE_MAX]);
int	submission_file_add(sqlite3 *, int64_t id, int64_t version,
	    const struct submission_file *);
/* 0 found, 1 none, -1 error. */
int	submission_get(sqlite3 *, int64_t id, struct submission *);
int	submission_by_number(sqlite3 *, int year, int64_t seq,
	    struct submission *);
/* The submission an author's message already made (by Message-ID), as
 * submission_get. */
int	submission_by_message(sqlite3 *, const char *author,
	    const char *message_id, struct submission *);
void	submission_free(struct submission *);
int	submission_set_state(sqlite3 *, int64_t id, const char *state,
	    time_t now);
int	submission_set_version(sqlite3 *, int64_t id, int64_t version,
	    time_t now);
int	submission_set_post(sqlite3 *, int64_t id, int64_t post_id);
int	submission_level_record(sqlite3 *, int64_t id, const char *level,
	    const char *who, time_t now);

/* The files of one version, in the order they came. */
int	submission_files(sqlite3 *, int64_t id, int64_t version,
	    struct submission_file **, size_t *n);
void	submission_files_free(struct submission_file *, size_t n);

/* Submissions filtered by list (0: all), state, author (NULL: any),
 * newest first; cb returns non-zero to stop.  0, or -1. */
int	submission_foreach(sqlite3 *, int64_t list_id, const char *state,
	    const char *author, int (*cb)(void *, const struct submission *),
	    void *arg);
/* Approved submissions not yet announced: ids into *ids (free it). */
int	submission_unpublished(sqlite3 *, int64_t **ids, size_t *n);
/* Approved submissions counted by list and level: cb(list, level, n). */
int	submission_count_levels(sqlite3 *,
	    int (*cb)(void *, const char *list, const char *level, int64_t n),
	    void *arg);

int64_t	review_assign(sqlite3 *, int64_t submission_id, int64_t version,
	    const char *reviewer, const char *token, time_t now);
/* 0 found, 1 none, -1 error. */
int	review_by_token(sqlite3 *, const char *token,
	    struct review_assignment *);
void	review_assignment_free(struct review_assignment *);
/* 0 decided now, 1 was not open, -1 error. */
int	review_decide(sqlite3 *, int64_t id, const char *decision,
	    const char *comment, time_t now);
int	review_mark_reminded(sqlite3 *, int64_t id, time_t now);
/* 0 handed on now, 1 was not open, -1 error. */
int	review_mark_reassigned(sqlite3 *, int64_t id);
/* Approvals recorded for a version. */
int64_t	review_approvals(sqlite3 *, int64_t submission_id, int64_t version);
/* Assignments of a submission, oldest first (all versions). */
int	review_list(sqlite3 *, int64_t submission_id,
	    struct review_assignment **, size_t *n);
void	review_list_free(struct review_assignment *, size_t n);
/* Open assignments made before `before` (and, with unreminded set, not
 * yet reminded); ids into *ids (free it). */
int	review_open_before(sqlite3 *, time_t before, int unreminded,
	    int64_t **ids, size_t *n);
int	review_get(sqlite3 *, int64_t id, struct review_assignment *);
/* The reviewer last assigned on the list, "" when none (free it). */
char	*review_last_reviewer(sqlite3 *, int64_t list_id);

#endif

/*
 * report: the region's indicators, computed from the registry and the
 * lists, one month at a time.
 *
 * Contract: report_compute() fills a report for a month ("YYYY-MM", in
 * the site's timezone) and a scope (NULL or "" the whole site, else one
 * list) from the database as it stands: the teacher registry, the
 * members who joined before the month's end, the posts received in the
 * month (and the five before, for long-term links), the submissions made
 * before its end, and the coordinators of the configuration.  Every
 * figure is a whole count; shares are made from counts when shown, so a
 * kept report reads back exactly.
 *
 * A registry row is one address; rows with the same full name, school and
 * municipality (compared case-blind, ё as е, blanks collapsed) are one
 * teacher with several addresses.  A teacher is included when any of
 * their addresses is a member of a list: addresses compare as
 * address_normalize() stores them (domain case-blind, IDN in ASCII), and
 * the local part case-blind too when the site's local_part_case is
 * ignore.
 *
 * report_keep() computes and stores the figures of a finished month for
 * the site and for every list, once (store/report.h); report_load()
 * gives the kept figures of a month, with the kept months before it (at
 * most REPORT_TREND_MONTHS, only those kept no later than it, so the
 * same report comes out whenever it is regenerated).  report_get() is
 * what the command line wants: the kept report when there is one, else
 * a finished month is kept now, and the current month is computed
 * without being kept (provisional).
 */
#ifndef METODIST_REPORT_H
#define METODIST_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct site;

#define REPORT_THRESHOLD_PERMILLE	250	/* 25% of teachers included */
#define REPORT_TREND_MONTHS		12
#define REPORT_ACTIVE_DAYS		30	/* a list is active: a post within */
#define REPORT_LONGTERM_MONTHS		6
#define REPORT_LONGTERM_MIN		3

/* Submission states and levels, in the order the report shows them. */
enum report_state { RS_REVIEW, RS_REVISE, RS_APPROVED, RS_REJECTED,
	RS_WITHDRAWN, RS_NSTATES };
enum report_level { RL_MUNICIPAL, RL_REGIONAL, RL_PORTAL, RL_NLEVELS };

/* The figures of the whole scope (row kind "total"). */
enum report_total {
	RT_TEACHERS,		/* teachers in the registry */
	RT_INCLUDED,		/* of them on at least one list */
	RT_ADDRESSES,		/* registry addresses */
	RT_MEMBERS,		/* distinct member addresses */
	RT_MEMBERS_MATCHED,	/* of them found in the registry */
	RT_LISTS,
	RT_LISTS_ACTIVE,
	RT_POSTS,
	RT_REPLIES,
	RT_POSTS_NC,		/* posts by non-coordinators */
	RT_REPLIES_NC,		/* replies by non-coordinators */
	RT_REPLIES_MM,		/* replies between two non-coordinators */
	RT_POSTERS,		/* distinct authors */
	RT_TOP_POSTERS,		/* the top 10% of authors: how many */
	RT_TOP_POSTS,		/* and their posts */
	RT_LONGTERM,		/* authors in 3 of the last 6 months */
	RT_SUB_NEW,		/* submissions made in the month */
	RT_SUB_STATE,		/* RS_NSTATES counts */
	RT_SUB_LEVEL = RT_SUB_STATE + RS_NSTATES,	/* approved, by level */
	RT_APPROVED_TEACHERS = RT_SUB_LEVEL + RL_NLEVELS,
	RT_NVALUES
};

/* A municipality (kind "muni"; name "" for rows that give none). */
enum report_muni {
	RM_TEACHERS, RM_INCLUDED, RM_SUBMISSIONS, RM_APPROVED,
	RM_LEVEL, RM_APPROVED_TEACHERS = RM_LEVEL + RL_NLEVELS, RM_NVALUES
};

/* A school (kind "school"; parent its municipality). */
enum report_school { RSC_TEACHERS, RSC_INCLUDED, RSC_NVALUES };

/* A list (kind "list"; parent its title). */
enum report_list {
	RLI_MEMBERS, RLI_TEACHERS, RLI_COORDINATORS, RLI_POSTS, RLI_ACTIVE,
	RLI_STATE, RLI_LEVEL = RLI_STATE + RS_NSTATES,
	RLI_NVALUES = RLI_LEVEL + RL_NLEVELS
};

#define REPORT_MAX_VALUES	32

struct report_row {
	char	*name;
	char	*parent;
	int64_t	 v[REPORT_MAX_VALUES];
};

struct report_rows {
	struct report_row	*row;
	size_t			 n;
};

struct report {
	char			 month[8];	/* "YYYY-MM" */
	char			*scope;		/* "" the site, else a list */
	char			*lang;		/* "ru" or "en" */
	int64_t			 computed;
	int			 kept;		/* 0: provisional, not kept */
	int			 local_ci;	/* how addresses matched */
	int64_t			 total[REPORT_MAX_VALUES];
	struct report_rows	 munis;		/* by name */
	struct report_rows	 schools;	/* by municipality, name */
	struct report_rows	 lists;		/* by name */
	/* Kept months before this one, oldest first (trends). */
	struct report		*history;
	size_t			 nhistory;
};

/* The month's bounds [start, end) in local time; -1 on a bad month. */
int	report_month_bounds(const char *month, time_t *start, time_t *end);
/* The month that holds t, and the one before a given month. */
void	report_month_of(time_t t, char out[8]);
void	report_month_before(const char *month, char out[8]);
int	report_month_valid(const char *month);

int	report_compute(struct site *, const char *month, const char *scope,
	    time_t now, struct report *);
/* The kept text of a report's own figures (not its history). */
char	*report_serialize(const struct report *);
int	report_parse(const char *text, struct report *);
/* Keep the finished month for the site and every list: 0 kept now,
 * 1 already kept, -1 error. */
int	report_keep(struct site *, const char *month, time_t now);
/* 0 loaded, 1 not kept, -1 error. */
int	report_load(struct site *, const char *month, const char *scope,
	    struct report *);
int	report_get(struct site *, const char *month, const char *scope,
	    time_t now, struct report *);
void	report_free(struct report *);

/* Helpers for the renderers. */
const struct report *report_previous(const struct report *);
const struct report_row *report_find(const struct report_rows *,
	    const char *name);
/* A share in tenths of a percent (permille) of num over den, rounded. */
int64_t	report_permille(int64_t num, int64_t den);
/* 1 when a municipality is below the 25% line. */
int	report_muni_flagged(const struct report_row *);
extern const char *const report_state_names[RS_NSTATES];
extern const char *const report_level_names[RL_NLEVELS];

#endif

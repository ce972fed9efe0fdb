/*
 * probe: in-process timings for bench/archive/run — search latency over a
 * file of queries, and the incremental render of the latest posts.
 *
 *   probe CONF LIST QUERIES.txt RENDER_N
 *
 * Prints "search N median_ms p99_ms queries_with_hits" and
 * "render N median_ms p99_ms" on standard output, each also as the
 * process's CPU time ("search-cpu", "render-cpu"), which a busy machine
 * disturbs less than the wall clock; and "matches N", how many posts
 * hold the words of all queries together (untimed), for recall.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/site.h"
#include "render/archive.h"
#include "store/db.h"
#include "store/search.h"
#include "store/stemtok.h"
#include "util/log.h"

static double
probe_clock(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#define probe_now()	probe_clock(CLOCK_MONOTONIC)
#define probe_cpu()	probe_clock(CLOCK_PROCESS_CPUTIME_ID)

static int
probe_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
probe_hit(void *arg, const struct search_hit *h)
{
	size_t	*bytes = arg;

	*bytes += strlen(h->snippet) + strlen(h->subject);
	return 0;
}

static void
probe_report(const char *what, double *v, size_t n, size_t extra)
{
	qsort(v, n, sizeof *v, probe_cmp);
	printf("%s %zu %.3f %.3f %zu\n", what, n, n ? v[n / 2] : 0,
	    n ? v[n - 1 - n / 100] : 0, extra);
}

/* How many posts hold the words at all (untimed: for recall). */
static size_t
probe_matches(sqlite3 *db, const char *words)
{
	char	*q = stemtok_query(words);
	int64_t	 n;

	if (q == NULL)
		return 0;
	n = db_int(db, 0, "SELECT count(*) FROM posts_fts WHERE posts_fts "
	    "MATCH ?1", "t", q);
	free(q);
	return n > 0 ? (size_t)n : 0;
}

int
main(int argc, char **argv)
{
	const struct list_config	*l;
	struct config			*cfg;
	struct site			 s;
	struct archive			 a;
	char				 line[512];
	double				 t[2000], c[2000];
	size_t				 n = 0, any = 0, bytes = 0, k;
	size_t				 matches = 0;
	int64_t				 lid, last;
	FILE				*q;
	int				 transient, hits;

	if (argc != 5)
		return 64;
	log_init("probe", 0, 0);
	if ((cfg = config_load(argv[1], NULL, NULL)) == NULL ||
	    (l = config_list(cfg, argv[2])) == NULL ||
	    site_open(cfg, &s, &transient) == -1 ||
	    (q = fopen(argv[3], "r")) == NULL)
		return 1;
	lid = site_list_id(&s, l);
	while (n < 2000 && fgets(line, sizeof line, q) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		t[n] = probe_now();
		c[n] = probe_cpu();
		hits = search_posts(s.db, lid, line, 20, probe_hit, &bytes);
		t[n] = probe_now() - t[n];
		c[n] = probe_cpu() - c[n];
		any += hits > 0;
		matches += probe_matches(s.db, line);
		n++;
	}
	fclose(q);
	probe_report("search", t, n, any);
	probe_report("search-cpu", c, n, any);
	printf("matches %zu\n", matches);
	last = db_int(s.db, 0, "SELECT max(number) FROM posts WHERE "
	    "list_id = ?1", "i", lid);
	if (archive_open(&a, cfg, l, s.db) == -1)
		return 1;
	for (k = 0; k < (size_t)atoi(argv[4]) && (int64_t)k < last; k++) {
		t[k] = probe_now();
		c[k] = probe_cpu();
		(void)archive_render_post(&a, last - (int64_t)k);
		t[k] = probe_now() - t[k];
		c[k] = probe_cpu() - c[k];
	}
	probe_report("render", t, k, 0);
	probe_report("render-cpu", c, k, 0);
	archive_close(&a);
	site_close(&s);
	config_free(cfg);
	return 0;
}

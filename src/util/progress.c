/*
 * progress: see progress.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"

#define PROGRESS_WIDTH	30

/* Write all of s to standard error; a failing terminal is ignored. */
static void
progress_write(const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(STDERR_FILENO, s, len)) <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static int
progress_percent(const struct progress *p)
{
	if (p->total == 0 || p->done >= p->total)
		return 100;
	return (int)((double)p->done * 100.0 / (double)p->total);
}

static void
progress_draw(struct progress *p, int pct)
{
	char	bar[PROGRESS_WIDTH + 1], line[256];
	int	fill = pct * PROGRESS_WIDTH / 100, n;

	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(PROGRESS_WIDTH - fill));
	bar[PROGRESS_WIDTH] = '\0';
	n = snprintf(line, sizeof line, "\r%s [%s] %3d%%", p->label, bar,
	    pct);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = (int)sizeof line - 1;
	progress_write(line, (size_t)n);
	p->shown = pct;
}

void
progress_start(struct progress *p, const char *label, size_t total)
{
	p->enabled = isatty(STDERR_FILENO);
	p->label = label != NULL ? label : "";
	p->total = total;
	p->done = 0;
	p->shown = -1;
	if (p->enabled)
		progress_draw(p, 0);
}

void
progress_step(struct progress *p, size_t done)
{
	int	pct;

	if (!p->enabled)
		return;
	p->done = done;
	if ((pct = progress_percent(p)) != p->shown)
		progress_draw(p, pct);
}

void
progress_clear(struct progress *p)
{
	static const char	wipe[] = "\r\033[K";

	if (!p->enabled || p->shown < 0)
		return;
	progress_write(wipe, sizeof wipe - 1);
	p->shown = -1;
}

void
progress_end(struct progress *p)
{
	if (!p->enabled)
		return;
	progress_draw(p, 100);
	progress_write("\n", 1);
	p->enabled = 0;
}

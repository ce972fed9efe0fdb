/*
 * progress: a one-line progress bar on standard error.
 *
 * Contract: the bar is drawn only when standard error is a terminal
 * (isatty at progress_start); otherwise every call does nothing, so logs
 * and pipes never see it.  It is redrawn in place (carriage return) only
 * when the shown percentage changes, so a long run writes little.
 * progress_clear() wipes the line before the caller prints something
 * else on standard error; the next step draws it again.  progress_end()
 * draws 100% and ends the line.  Nothing here allocates.
 */
#ifndef METODIST_PROGRESS_H
#define METODIST_PROGRESS_H

#include <stddef.h>

struct progress {
	int		 enabled;	/* standard error is a terminal */
	const char	*label;		/* shown before the bar, kept by caller */
	size_t		 total;
	size_t		 done;
	int		 shown;		/* percentage on screen, -1 none */
};

void	progress_start(struct progress *, const char *label, size_t total);
void	progress_step(struct progress *, size_t done);
void	progress_clear(struct progress *);
void	progress_end(struct progress *);

#endif

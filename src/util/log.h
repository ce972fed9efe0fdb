/*
 * log: one place where the programs report what happens.
 *
 * Contract: log_init() picks stderr or syslog once; every later call
 * writes one line.  log_warn() appends strerror(errno) and must only be
 * used right after a failed system call; log_warnx() never does.  fatal()
 * and fatalx() are for broken invariants and exhausted memory: they log
 * and exit with EX_TEMPFAIL (75), because an MTA keeps a message whose
 * delivery command exited so and bounces it for most other codes.
 */
#ifndef METODIST_LOG_H
#define METODIST_LOG_H

#include <stdarg.h>
#include <sysexits.h>

#define LOG_FATAL_EXIT	EX_TEMPFAIL

void	log_init(const char *progname, int to_syslog, int verbose);
void	log_set_verbose(int);
/* While set, every line starts with "ID: " (the message's queue id, so a
 * message can be followed through the log); NULL clears it. */
void	log_set_id(const char *id);
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif

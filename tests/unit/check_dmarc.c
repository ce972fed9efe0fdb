/*
 * check_dmarc: the DMARC record parser, table-driven, and lookups against
 * a real DNS server (dnsmasq) on loopback with records made for the test.
 *
 * The lookup cases need /usr/sbin/dnsmasq (Debian package dnsmasq-base;
 * $DNSMASQ overrides the path).  Without it they fail, saying so.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail/dmarc.h"

#include "testlib.h"

#define A	DMARC_POLICY_ABSENT
#define N	DMARC_POLICY_NONE
#define Q	DMARC_POLICY_QUARANTINE
#define R	DMARC_POLICY_REJECT
#define T	DMARC_POLICY_TEMPFAIL

/* Record parsing. */

struct record_case {
	const char		*txt;
	int			 rc;
	enum dmarc_policy	 p, sp;
};

static const struct record_case record_cases[] = {
	{ "v=DMARC1; p=reject", 0, R, R },
	{ "v=DMARC1;p=quarantine", 0, Q, Q },
	{ "v=DMARC1; p=none;", 0, N, N },
	{ "v=DMARC1; p=none; sp=reject", 0, N, R },
	{ "v=DMARC1; p=reject; sp=none", 0, R, N },
	{ "v=DMARC1; sp=quarantine; p=none", 0, N, Q },
	{ "V=DMARC1; P=Reject; SP=QUARANTINE", 0, R, Q },
	{ "v = DMARC1 ;\tp = reject ; ", 0, R, R },
	{ "v=DMARC1 ; p=quarantine ; pct=50 ; rua=mailto:d@example.org", 0,
	    Q, Q },
	{ "v=DMARC1; rua=mailto:a@example.org,mailto:b@example.org; "
	    "p=reject; adkim=s; aspf=r; fo=1", 0, R, R },
	{ "v=DMARC1; p=reject; junk; =x; x=; ;;", 0, R, R },
	{ "v=DMARC1; p=reject; sp=bogus", 0, R, R },
	{ "v=DMARC1; p=none; p=reject", 0, N, N },
	{ "v=DMARC1", -1, A, A },
	{ "v=DMARC1;", -1, A, A },
	{ "v=DMARC1; sp=reject", -1, A, A },
	{ "v=DMARC1; rua=mailto:d@example.org", -1, A, A },
	{ "v=DMARC1; p=", -1, A, A },
	{ "v=DMARC1; p=rejected", -1, A, A },
	{ "v=DMARC1; p=re ject", -1, A, A },
	{ "v=DMARC1; p", -1, A, A },
	{ "v=DMARC2; p=reject", -1, A, A },
	{ "v=DMARC10; p=reject", -1, A, A },
	{ "v=dmarc1; p=reject", -1, A, A },
	{ "v=DMARC1 p=reject", -1, A, A },
	{ "p=reject; v=DMARC1", -1, A, A },
	{ " v=DMARC1; p=reject", -1, A, A },
	{ "v=spf1 -all", -1, A, A },
	{ "x=DMARC1; p=reject", -1, A, A },
	{ "v=", -1, A, A },
	{ "v", -1, A, A },
	{ "", -1, A, A },
};

START_TEST(test_parse_record)
{
	const struct record_case	*c = &record_cases[_i];
	enum dmarc_policy		 p = T, sp = T;
	int				 rc;

	rc = dmarc_parse_record(c->txt, strlen(c->txt), &p, &sp);
	ck_assert_msg(rc == c->rc, "\"%s\": rc %d, want %d", c->txt, rc,
	    c->rc);
	if (rc == 0) {
		ck_assert_msg(p == c->p && sp == c->sp,
		    "\"%s\": p=%s sp=%s, want p=%s sp=%s", c->txt,
		    dmarc_policy_name(p), dmarc_policy_name(sp),
		    dmarc_policy_name(c->p), dmarc_policy_name(c->sp));
	} else
		ck_assert_msg(p == T && sp == T, "\"%s\": outputs touched",
		    c->txt);
}
END_TEST

START_TEST(test_parse_bounded)
{
	/* Only len bytes count: what follows must not be read as tags. */
	const char		 buf[] = "v=DMARC1; p=none; sp=reject";
	char			*heap;
	enum dmarc_policy	 p, sp;
	size_t			 len = strlen("v=DMARC1; p=none");

	heap = malloc(len);
	ck_assert_ptr_nonnull(heap);
	memcpy(heap, buf, len);		/* not NUL-terminated */
	ck_assert_int_eq(dmarc_parse_record(heap, len, &p, &sp), 0);
	ck_assert_int_eq(p, N);
	ck_assert_int_eq(sp, N);
	ck_assert_int_eq(dmarc_parse_record(heap, 8, &p, &sp), -1);
	ck_assert_int_eq(dmarc_parse_record(heap, 0, &p, &sp), -1);
	free(heap);
	ck_assert_int_eq(dmarc_parse_record(NULL, 0, &p, &sp), -1);
	/* A NUL is just a byte: it spoils the tag it is in, no more. */
	ck_assert_int_eq(dmarc_parse_record("v=DMARC1; p=reject; x=\0; sp=none",
	    32, &p, &sp), 0);
	ck_assert_int_eq(sp, N);
	ck_assert_int_eq(dmarc_parse_record("v=DMARC1; p=reject\0; sp=none",
	    28, &p, &sp), -1);
}
END_TEST

START_TEST(test_policy_name)
{
	ck_assert_str_eq(dmarc_policy_name(A), "absent");
	ck_assert_str_eq(dmarc_policy_name(N), "none");
	ck_assert_str_eq(dmarc_policy_name(Q), "quarantine");
	ck_assert_str_eq(dmarc_policy_name(R), "reject");
	ck_assert_str_eq(dmarc_policy_name(T), "tempfail");
}
END_TEST

/* A DNS server for the lookups. */

static const char *const dns_records[] = {
	"_dmarc.reject.test,v=DMARC1; p=reject",
	"_dmarc.quarantine.test,v=DMARC1; p=quarantine; "
	    "rua=mailto:dmarc@quarantine.test",
	"_dmarc.none.test,v=DMARC1; p=none",
	/* Subdomains without their own record get sp=. */
	"_dmarc.org.test,v=DMARC1; p=none; sp=quarantine",
	"_dmarc.own.org.test,v=DMARC1; p=reject",
	"_dmarc.example.org,v=DMARC1; p=reject",
	/* Two DMARC records: none applies. */
	"_dmarc.two.test,v=DMARC1; p=reject",
	"_dmarc.two.test,v=DMARC1; p=none",
	/* Other TXT records beside the DMARC one are ignored. */
	"_dmarc.mixed.test,v=spf1 -all",
	"_dmarc.mixed.test,v=DMARC1; p=quarantine",
	"_dmarc.mixed.test,some verification token",
	/* One record in two character-strings. */
	"_dmarc.split.test,v=DMARC1; ,p=reject",
	/* A record that is DMARC but not valid: no fallback to the org. */
	"_dmarc.broken.org.test,v=DMARC1; rua=mailto:x@org.test",
	/* Only non-DMARC TXT here: fall back to the organisational domain. */
	"_dmarc.spf.org.test,v=spf1 -all",
};

static pid_t	 dns_pid = -1;
static int	 dns_port;
static int	 dns_have_ipv6;
static char	 dns_error[256] = "DNS server not started";
static char	 dns_server[64];
static char	 dns_server6[64];

static int
dns_free_port(int *have_ipv6)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	socklen_t		 slen = sizeof sin;
	int			 fd, fd6, port;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &slen) == -1)
		return -1;
	port = ntohs(sin.sin_port);
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	sin6.sin6_port = htons((uint16_t)port);
	fd6 = socket(AF_INET6, SOCK_DGRAM, 0);
	*have_ipv6 = fd6 != -1 &&
	    bind(fd6, (struct sockaddr *)&sin6, sizeof sin6) == 0;
	if (fd6 != -1)
		close(fd6);
	close(fd);
	return port;
}

static void
dns_exec(const char *path, int port, int ipv6)
{
	char		*argv[64];
	static char	 portarg[32], txt[NELEM(dns_records)][160];
	size_t		 n = 0, i;
	int		 fd;

	argv[n++] = (char *)path;
	argv[n++] = "--keep-in-foreground";
	argv[n++] = "--pid-file=";
	argv[n++] = "--conf-file=/dev/null";
	argv[n++] = "--no-resolv";
	argv[n++] = "--no-hosts";
	argv[n++] = "--bind-interfaces";
	argv[n++] = "--listen-address=127.0.0.1";
	if (ipv6)
		argv[n++] = "--listen-address=::1";
	argv[n++] = "--local=/test/";
	argv[n++] = "--local=/example.org/";
	snprintf(portarg, sizeof portarg, "--port=%d", port);
	argv[n++] = portarg;
	/* A name with an MX record but no TXT: NODATA, not NXDOMAIN. */
	argv[n++] = "--mx-host=_dmarc.nodata.test,mx.nodata.test,10";
	for (i = 0; i < NELEM(dns_records); i++) {
		snprintf(txt[i], sizeof txt[i], "--txt-record=%s",
		    dns_records[i]);
		argv[n++] = txt[i];
	}
	argv[n] = NULL;
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	execv(path, argv);
	fprintf(stderr, "check_dmarc: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Wait until the server answers, or give up after about five seconds. */
static int
dns_wait_ready(void)
{
	int	i, status;

	for (i = 0; i < 100; i++) {
		if (waitpid(dns_pid, &status, WNOHANG) == dns_pid) {
			dns_pid = -1;
			snprintf(dns_error, sizeof dns_error,
			    "dnsmasq exited at start (status %d)", status);
			return -1;
		}
		if (dmarc_lookup("reject.test", dns_server, 1) ==
		    DMARC_POLICY_REJECT)
			return 0;
		usleep(50000);
	}
	snprintf(dns_error, sizeof dns_error, "dnsmasq did not answer");
	return -1;
}

static void
dns_start(void)
{
	const char	*path = getenv("DNSMASQ");

	if (path == NULL)
		path = "/usr/sbin/dnsmasq";
	if (access(path, X_OK) == -1) {
		snprintf(dns_error, sizeof dns_error, "%s not found: install "
		    "the Debian package dnsmasq-base to run the DMARC lookup "
		    "tests", path);
		return;
	}
	if ((dns_port = dns_free_port(&dns_have_ipv6)) == -1) {
		snprintf(dns_error, sizeof dns_error, "no free port: %s",
		    strerror(errno));
		return;
	}
	snprintf(dns_server, sizeof dns_server, "127.0.0.1:%d", dns_port);
	snprintf(dns_server6, sizeof dns_server6, "[::1]:%d", dns_port);
	if ((dns_pid = fork()) == -1) {
		snprintf(dns_error, sizeof dns_error, "fork: %s",
		    strerror(errno));
		return;
	}
	if (dns_pid == 0)
		dns_exec(path, dns_port, dns_have_ipv6);
	if (dns_wait_ready() == 0)
		dns_error[0] = '\0';
}

static void
dns_stop(void)
{
	if (dns_pid > 0) {
		kill(dns_pid, SIGTERM);
		waitpid(dns_pid, NULL, 0);
		dns_pid = -1;
	}
}

#define DNS_REQUIRE() \
	ck_assert_msg(dns_error[0] == '\0', "%s", dns_error)

/* Lookups. */

struct lookup_case {
	const char		*domain;
	enum dmarc_policy	 want;
};

static const struct lookup_case lookup_cases[] = {
	{ "reject.test", R },
	{ "quarantine.test", Q },
	{ "none.test", N },
	{ "REJECT.Test", R },
	{ "reject.test.", R },
	{ "org.test", N },
	{ "lists.org.test", Q },
	{ "deep.lists.org.test", Q },
	{ "own.org.test", R },
	{ "sub.own.org.test", Q },	/* org.test's sp, not own's p */
	{ "spf.org.test", Q },
	{ "broken.org.test", A },
	{ "example.org", R },
	{ "mail.example.org", R },	/* no sp=: p= applies */
	{ "two.test", A },
	{ "sub.two.test", A },
	{ "mixed.test", Q },
	{ "split.test", R },
	{ "missing.test", A },		/* NXDOMAIN */
	{ "sub.missing.test", A },	/* NXDOMAIN twice */
	{ "nodata.test", A },
	{ "", A },
	{ ".", A },
	{ "bad..test", A },
	{ "has space.test", A },
	{ "\xd1\x88\xd0\xba\xd0\xbe\xd0\xbb\xd0\xb0.test", A },
};

START_TEST(test_lookup)
{
	const struct lookup_case	*c = &lookup_cases[_i];
	enum dmarc_policy		 got;

	DNS_REQUIRE();
	got = dmarc_lookup(c->domain, dns_server, 2);
	ck_assert_msg(got == c->want, "%s: %s, want %s", c->domain,
	    dmarc_policy_name(got), dmarc_policy_name(c->want));
}
END_TEST

START_TEST(test_lookup_long_names)
{
	char	name[300];

	DNS_REQUIRE();
	/* A 64-byte label and a name too long for "_dmarc." in front. */
	memset(name, 'a', 64);
	memcpy(name + 64, ".test", sizeof ".test");
	ck_assert_int_eq(dmarc_lookup(name, dns_server, 2), A);
	memset(name, 'a', sizeof name);
	for (size_t i = 63; i < 250; i += 64)
		name[i] = '.';
	memcpy(name + 245, ".test", sizeof ".test");
	ck_assert_int_eq(dmarc_lookup(name, dns_server, 2), A);
}
END_TEST

START_TEST(test_lookup_ipv6)
{
	DNS_REQUIRE();
	if (!dns_have_ipv6) {
		fprintf(stderr, "check_dmarc: no ::1, IPv6 lookup not run\n");
		return;
	}
	ck_assert_int_eq(dmarc_lookup("reject.test", dns_server6, 2), R);
	ck_assert_int_eq(dmarc_lookup("lists.org.test", dns_server6, 2), Q);
}
END_TEST

START_TEST(test_lookup_refused)
{
	/* Outside the server's local zones, with no upstream: REFUSED. */
	DNS_REQUIRE();
	ck_assert_int_eq(dmarc_lookup("elsewhere.example", dns_server, 2),
	    T);
}
END_TEST

START_TEST(test_lookup_bad_args)
{
	ck_assert_int_eq(dmarc_lookup("reject.test", "not-an-ip", 2), T);
	ck_assert_int_eq(dmarc_lookup("reject.test", "127.0.0.1:0", 2), T);
	ck_assert_int_eq(dmarc_lookup("reject.test", "127.0.0.1:65536", 2),
	    T);
	ck_assert_int_eq(dmarc_lookup("reject.test", "127.0.0.1:x", 2), T);
	ck_assert_int_eq(dmarc_lookup("reject.test", "[::1", 2), T);
	ck_assert_int_eq(dmarc_lookup("reject.test", "[::1]x", 2), T);
	ck_assert_int_eq(dmarc_lookup("reject.test", "", 2), T);
	ck_assert_int_eq(dmarc_lookup("reject.test", "127.0.0.1", 0), T);
}
END_TEST

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A UDP socket on loopback that receives queries and never answers. */
static int
silent_server(char *spec, size_t size)
{
	struct sockaddr_in	sin;
	socklen_t		slen = sizeof sin;
	int			fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
	snprintf(spec, size, "127.0.0.1:%d", ntohs(sin.sin_port));
	return fd;
}

struct silent_case {
	const char	*domain;
	int		 timeout_s;
};

static const struct silent_case silent_cases[] = {
	{ "reject.test", 2 },
	{ "lists.org.test", 2 },	/* two queries would be needed */
	{ "lists.org.test", 3 },
	{ "reject.test", 1 },
};

START_TEST(test_lookup_timeout)
{
	const struct silent_case	*c = &silent_cases[_i];
	char				 spec[64];
	double				 start, took;
	int				 fd;

	fd = silent_server(spec, sizeof spec);
	start = now_s();
	ck_assert_int_eq(dmarc_lookup(c->domain, spec, c->timeout_s), T);
	took = now_s() - start;
	close(fd);
	ck_assert_msg(took <= c->timeout_s + 1.0,
	    "%s: took %.2f s with timeout %d s", c->domain, took, c->timeout_s);
	ck_assert_msg(took >= 0.5,
	    "%s: gave up after %.2f s, before any timeout", c->domain, took);
}
END_TEST

START_TEST(test_lookup_nobody_listens)
{
	char	spec[64];
	double	start;
	int	fd;

	/* Take a port, then free it: nothing listens there. */
	fd = silent_server(spec, sizeof spec);
	close(fd);
	start = now_s();
	ck_assert_int_eq(dmarc_lookup("reject.test", spec, 2), T);
	ck_assert_double_le(now_s() - start, 3.0);
}
END_TEST

static Suite *
dmarc_suite(void)
{
	Suite	*s = suite_create("dmarc");
	TCase	*tc;

	tc = testlib_tcase(s, "record");
	tcase_add_loop_test(tc, test_parse_record, 0, NELEM(record_cases));
	tcase_add_test(tc, test_parse_bounded);
	tcase_add_test(tc, test_policy_name);

	tc = testlib_tcase(s, "lookup");
	tcase_add_unchecked_fixture(tc, dns_start, dns_stop);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_lookup, 0, NELEM(lookup_cases));
	tcase_add_test(tc, test_lookup_long_names);
	tcase_add_test(tc, test_lookup_ipv6);
	tcase_add_test(tc, test_lookup_refused);
	tcase_add_test(tc, test_lookup_bad_args);

	tc = testlib_tcase(s, "tempfail");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_lookup_timeout, 0, NELEM(silent_cases));
	tcase_add_test(tc, test_lookup_nobody_listens);
	return s;
}

int
main(void)
{
	return testlib_run(dmarc_suite());
}

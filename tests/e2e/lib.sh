# shellcheck shell=bash
# Shared helpers for the end-to-end tests.  Source it; do not run it.
#
# On sourcing, this file makes a private directory (E2E_TMP) holding a copy of
# conf/ and templates/ from the source tree, with var/ beside them, owned by
# the unprivileged test user, and installs a trap that stops the private
# Postfix and removes E2E_TMP on exit (E2E_KEEP=1 keeps it).
#
# Environment:
#   METODIST   the metodist binary under test (required)
#   E2E_USER   user that runs metodist (default metodist-test)
#   E2E_KEEP   1 keeps the temporary directory for inspection
#   E2E_CONF_SRC  the configuration to copy (default: conf/ of the tree)
#
# Postfix: e2e_postfix_start starts a private instance (own config, queue
# and data directories under E2E_TMP; smtpd on 127.0.0.1:E2E_PORT only) whose
# transport_maps send the gateway domain to a pipe(8) transport running
# "metodist -c CONF deliver -f SENDER RECIPIENT" as E2E_USER, one recipient
# per delivery.  Everything else is discarded, so nothing ever leaves.
#
# TAP: ok, not_ok, is, like, unlike, check print "ok N - ..." or
# "not ok N - ..." with "# " diagnostics; e2e_done prints the plan and exits
# non-zero when anything failed.

set -u

E2E_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_SRCDIR=$(cd "$E2E_LIB_DIR/../.." && pwd)
E2E_USER=${E2E_USER:-metodist-test}
E2E_N=0
E2E_FAILED=0
E2E_PF_STARTED=0

e2e_bail() {
	printf 'Bail out! %s\n' "$*"
	exit 2
}

if [ -z "${METODIST:-}" ]; then
	e2e_bail "METODIST must name the metodist binary"
fi
case $METODIST in
/*) ;;
*) METODIST=$(cd "$(dirname "$METODIST")" && pwd)/$(basename "$METODIST") ;;
esac
[ -x "$METODIST" ] || e2e_bail "METODIST=$METODIST is not executable"
getent passwd "$E2E_USER" >/dev/null ||
	e2e_bail "user $E2E_USER missing; run tests/e2e/setup.sh"

# --- TAP -------------------------------------------------------------------

e2e_diag() {
	local line
	while IFS= read -r line; do
		printf '#   %s\n' "$line"
	done <<<"$*"
}

ok() {
	E2E_N=$((E2E_N + 1))
	printf 'ok %d - %s\n' "$E2E_N" "$1"
}

# not_ok DESC [DIAGNOSTIC...]
not_ok() {
	E2E_N=$((E2E_N + 1))
	E2E_FAILED=$((E2E_FAILED + 1))
	printf 'not ok %d - %s\n' "$E2E_N" "$1"
	shift
	local d
	for d in "$@"; do
		e2e_diag "$d"
	done
	return 0
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3" "got:      '$1'" "expected: '$2'"
	fi
}

# like GOT EXTENDED-REGEX DESC
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok "$3"
	else
		not_ok "$3" "got:      '$1'" "expected to match: /$2/"
	fi
}

# unlike GOT EXTENDED-REGEX DESC
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		not_ok "$3" "got:      '$1'" "expected not to match: /$2/"
	else
		ok "$3"
	fi
}

# check DESC COMMAND [ARGS...]: passes when the command succeeds
check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc" "command: $*" "exit $rc" "$out"
	fi
}

e2e_done() {
	printf '1..%d\n' "$E2E_N"
	[ "$E2E_FAILED" -eq 0 ] || exit 1
	exit 0
}

# --- the private tree ------------------------------------------------------

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/metodist-e2e.XXXXXX") ||
	e2e_bail "mktemp failed"
chmod 755 "$E2E_TMP"

# The pipe transport runs metodist as $E2E_USER, who may not reach the
# build tree (a checkout under /root, say): it runs a copy from here.
mkdir -p "$E2E_TMP/bin" && cp "$METODIST" "$E2E_TMP/bin/metodist" &&
	chmod 755 "$E2E_TMP/bin" "$E2E_TMP/bin/metodist" ||
	e2e_bail "cannot copy $METODIST"
METODIST=$E2E_TMP/bin/metodist
runuser -u "$E2E_USER" -- test -x "$METODIST" ||
	e2e_bail "$E2E_USER cannot execute $METODIST (check directory modes)"

e2e_cleanup() {
	local rc=$?
	[ "$E2E_PF_STARTED" -eq 1 ] && e2e_postfix_stop
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		printf '# kept %s\n' "$E2E_TMP"
	else
		rm -rf -- "$E2E_TMP"
	fi
	return "$rc"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

# e2e_ini FILE SECTION KEY: the value of KEY in [SECTION], trimmed
e2e_ini() {
	awk -v want_s="$2" -v want_k="$3" '
		{ sub(/\r$/, "") }
		/^[ \t]*[#;]/ { next }
		/^[ \t]*\[/ {
			s = $0
			gsub(/^[ \t]*\[[ \t]*|[ \t]*\][ \t]*$/, "", s)
			next
		}
		s == want_s {
			i = index($0, "=")
			if (i == 0) next
			k = substr($0, 1, i - 1)
			gsub(/^[ \t]+|[ \t]+$/, "", k)
			if (k != want_k) next
			v = substr($0, i + 1)
			gsub(/^[ \t]+|[ \t]+$/, "", v)
			print v
			exit
		}' "$1"
}

# e2e_resolve DIR PATH: PATH made absolute relative to DIR
e2e_resolve() {
	case $2 in
	/*) printf '%s\n' "$2" ;;
	*) printf '%s/%s\n' "$1" "$2" ;;
	esac
}

E2E_CONF_DIR=$E2E_TMP/conf
E2E_CONF=$E2E_CONF_DIR/metodist.conf
E2E_CONF_SRC=${E2E_CONF_SRC:-$E2E_SRCDIR/conf}
[ -f "$E2E_CONF_SRC/metodist.conf" ] ||
	e2e_bail "$E2E_CONF_SRC/metodist.conf missing"
cp -R "$E2E_CONF_SRC" "$E2E_CONF_DIR" || e2e_bail "cannot copy conf"
if [ -d "$E2E_SRCDIR/templates" ]; then
	cp -R "$E2E_SRCDIR/templates" "$E2E_TMP/templates" ||
		e2e_bail "cannot copy templates"
fi

# var: whatever the config says, as long as it lands inside E2E_TMP; an
# absolute path elsewhere is rewritten to E2E_TMP/var.
e2e_fix_path() { # SECTION KEY DEFAULT
	local v abs
	v=$(e2e_ini "$E2E_CONF" "$1" "$2")
	[ -n "$v" ] || v=$3
	abs=$(realpath -m "$(e2e_resolve "$E2E_CONF_DIR" "$v")")
	case $abs in
	"$E2E_TMP"/*) ;;
	*)
		abs=$E2E_TMP/${3#../}
		sed -i "s|^\([ \t]*$2[ \t]*=\).*|\1 $abs|" "$E2E_CONF"
		;;
	esac
	printf '%s\n' "$abs"
}
E2E_VAR=$(e2e_fix_path paths var ../var)
E2E_OUTBOX=$(e2e_fix_path egress outbox ../var/outbox)
E2E_LISTS_DIR=$(e2e_resolve "$E2E_CONF_DIR" \
	"$(e2e_ini "$E2E_CONF" paths lists)")
[ "$E2E_LISTS_DIR" = "$E2E_CONF_DIR/" ] && E2E_LISTS_DIR=$E2E_CONF_DIR/lists.d
E2E_DOMAIN=$(e2e_ini "$E2E_CONF" site domain)
[ -n "$E2E_DOMAIN" ] || E2E_DOMAIN=localhost
E2E_ARCHIVE=$E2E_VAR/archive
# shellcheck disable=SC2034 # used by the tests
E2E_SPOOL=$E2E_VAR/spool

mkdir -p "$E2E_VAR" "$E2E_OUTBOX" || e2e_bail "cannot create var"
chown -R "$E2E_USER:" "$E2E_VAR" "$E2E_OUTBOX" ||
	e2e_bail "cannot chown var"
chmod -R a+rX "$E2E_CONF_DIR"

# --- metodist --------------------------------------------------------------

# e2e_metodist ARGS...: run the CLI as the test user with the private config
e2e_metodist() {
	runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" "$@" </dev/null
}

e2e_init() {
	local out
	if ! out=$(e2e_metodist init 2>&1); then
		printf '# metodist init failed:\n'
		e2e_diag "$out"
		return 1
	fi
	return 0
}

# e2e_list_conf LIST: path of the list's lists.d file
e2e_list_conf() {
	printf '%s/%s.conf\n' "$E2E_LISTS_DIR" "$1"
}

# e2e_list_key LIST KEY: a key of the list's [list] section
e2e_list_key() {
	e2e_ini "$(e2e_list_conf "$1")" list "$2"
}

# e2e_lists_with POLICY: names of the lists whose policy is POLICY
e2e_lists_with() {
	local f name
	for f in "$E2E_LISTS_DIR"/*.conf; do
		[ -f "$f" ] || continue
		name=$(basename "$f" .conf)
		[ "$(e2e_ini "$f" list policy)" = "$1" ] && printf '%s\n' "$name"
	done
	return 0
}

# e2e_list_coordinator LIST: the first coordinator address of the list
e2e_list_coordinator() {
	e2e_list_key "$1" coordinators | tr ',' ' ' | tr -s ' \t' '\n' |
		sed -n 's/.*<\([^>]*\)>.*/\1/p; /^[^<>]*@[^<>]*$/p' | sed -n 1p
}

# --- Postfix ---------------------------------------------------------------

E2E_PF=$E2E_TMP/postfix
E2E_PF_ETC=$E2E_PF/etc
E2E_PF_QUEUE=$E2E_PF/queue
E2E_PF_DATA=$E2E_PF/data
E2E_PF_LOG=$E2E_PF/maillog
E2E_PORT=

e2e_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

e2e_postfix_write_config() {
	local pf_user=postfix
	mkdir -p "$E2E_PF_ETC" "$E2E_PF_QUEUE" "$E2E_PF_DATA" || return 1
	chown "$pf_user:" "$E2E_PF_DATA"
	chmod 700 "$E2E_PF_DATA"
	chmod 755 "$E2E_PF_QUEUE"
	# maildrop and public belong to the setgid group; postsuper creates
	# the other queue directories at start.
	mkdir -p "$E2E_PF_QUEUE/maildrop" "$E2E_PF_QUEUE/public"
	chown "$pf_user:postdrop" "$E2E_PF_QUEUE/maildrop" "$E2E_PF_QUEUE/public"
	chmod 1730 "$E2E_PF_QUEUE/maildrop"
	chmod 2710 "$E2E_PF_QUEUE/public"

	cat >"$E2E_PF_ETC/main.cf" <<EOF
# private Postfix for metodist end-to-end tests; generated by lib.sh
compatibility_level = 3.6
queue_directory = $E2E_PF_QUEUE
data_directory = $E2E_PF_DATA
mail_owner = $pf_user
setgid_group = postdrop
syslog_name = postfix-e2e
maillog_file = $E2E_PF_LOG
maillog_file_prefixes = $E2E_TMP
myhostname = e2e.localhost
mydomain = localhost
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = $E2E_DOMAIN
relay_recipient_maps =
transport_maps = inline:{ $E2E_DOMAIN=${E2E_TRANSPORT:-metodist:} }
metodist_destination_recipient_limit = 1
default_transport = discard:outside the e2e test domain
local_recipient_maps =
alias_maps =
alias_database =
smtputf8_enable = no
biff = no
smtpd_banner = \$myhostname ESMTP metodist-e2e
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 0
smtp_dns_support_level = disabled
EOF
	# No chroot anywhere: the instance lives in a temp dir.
	cat >"$E2E_PF_ETC/master.cf" <<EOF
# service type private unpriv chroot wakeup maxproc command
127.0.0.1:$E2E_PORT inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n - 0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
smtp       unix  - - n - - smtp
relay      unix  - - n - - smtp
lmtp       unix  - - n - - lmtp
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
metodist   unix  - n n - - pipe
  flags=Rq user=$E2E_USER argv=$METODIST -c $E2E_CONF deliver -f \${sender} \${recipient}
EOF
}

# e2e_postfix_pids: pids of every process of this instance (its master and
# all its children carry MAIL_CONFIG=E2E_PF_ETC in their environment)
e2e_postfix_pids() {
	grep -lzxF "MAIL_CONFIG=$E2E_PF_ETC" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$"
	return 0
}

# e2e_pid_alive PID: PID runs (a zombie left for a non-reaping init is gone)
e2e_pid_alive() {
	local state
	state=$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ]
}

e2e_postfix_master_pid() {
	local f=$E2E_PF_QUEUE/pid/master.pid pid
	[ -f "$f" ] || return 1
	pid=$(tr -d ' \n' <"$f")
	[ -n "$pid" ] && e2e_pid_alive "$pid" && printf '%s\n' "$pid"
}

e2e_postfix_start() {
	local out i
	E2E_PORT=$(e2e_free_port) || { printf '# no free port\n'; return 1; }
	e2e_postfix_write_config || return 1
	: >"$E2E_PF_LOG"
	if ! out=$(postfix -c "$E2E_PF_ETC" start 2>&1); then
		printf '# postfix start failed:\n'
		e2e_diag "$out"
		e2e_diag "$(cat "$E2E_PF_LOG" 2>/dev/null)"
		return 1
	fi
	E2E_PF_STARTED=1
	for i in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$E2E_PORT") 2>/dev/null; then
			return 0
		fi
		[ "$i" -eq 100 ] || sleep 0.1
	done
	printf '# postfix smtpd did not listen on 127.0.0.1:%s\n' "$E2E_PORT"
	e2e_diag "$(cat "$E2E_PF_LOG" 2>/dev/null)"
	return 1
}

e2e_postfix_stop() {
	local master i pid left
	[ "$E2E_PF_STARTED" -eq 1 ] || return 0
	E2E_PF_STARTED=0
	master=$(e2e_postfix_master_pid)
	postfix -c "$E2E_PF_ETC" stop >/dev/null 2>&1
	if [ -n "$master" ]; then
		for i in $(seq 1 50); do
			e2e_pid_alive "$master" || break
			sleep 0.1
		done
	fi
	left=$(e2e_postfix_pids)
	[ -n "$left" ] || return 0
	for pid in $left; do
		kill -TERM "$pid" 2>/dev/null
	done
	sleep 0.5
	for pid in $(e2e_postfix_pids); do
		kill -KILL "$pid" 2>/dev/null
	done
	return 0
}

e2e_postqueue() {
	postqueue -c "$E2E_PF_ETC" -p 2>&1
}

# e2e_wait_queue_empty [SECONDS]: wait until the private queue is empty
e2e_wait_queue_empty() {
	local limit=${1:-20} i q
	for i in $(seq 1 $((limit * 5))); do
		q=$(e2e_postqueue)
		case $q in
		*"Mail queue is empty"*) return 0 ;;
		esac
		[ "$i" -eq $((limit * 5)) ] || sleep 0.2
	done
	printf '# queue not empty after %ss:\n' "$limit"
	e2e_diag "$q"
	printf '# last deliveries to metodist:\n'
	e2e_diag "$(e2e_maillog | grep 'relay=metodist' | tail -n 5)"
	return 1
}

# e2e_maillog: the private Postfix log
e2e_maillog() {
	cat "$E2E_PF_LOG" 2>/dev/null
}

# e2e_send FROM TO SUBJECT BODY [SWAKS ARGS...]: one message through smtpd.
# FROM "<>" sends with the null envelope sender.
e2e_send() {
	local from=$1 to=$2 subject=$3 body=$4 out
	shift 4
	if ! out=$(swaks --server 127.0.0.1 --port "$E2E_PORT" \
		--helo e2e.client --from "$from" --to "$to" \
		--header "Subject: $subject" --body "$body" "$@" 2>&1); then
		printf '# swaks failed:\n'
		e2e_diag "$out"
		return 1
	fi
	return 0
}

# e2e_send_raw FROM TO FILE: send FILE as the whole message (headers+body)
e2e_send_raw() {
	local out
	if ! out=$(swaks --server 127.0.0.1 --port "$E2E_PORT" \
		--helo e2e.client --from "$1" --to "$2" --data "$3" 2>&1); then
		printf '# swaks failed:\n'
		e2e_diag "$out"
		return 1
	fi
	return 0
}

# e2e_pipe_status QUEUEID: the status word (sent, deferred, bounced) of the
# last pipe(8) delivery logged for the message QUEUEID; nothing when none
e2e_pipe_status() {
	e2e_maillog | grep -F " $1: to=<" | grep -F 'relay=metodist' |
		sed -n 's/.* status=\([a-z]*\).*/\1/p' | tail -n 1
}

# e2e_mta_deliver FROM TO FILE: hand FILE (the whole message, LF or CRLF
# line ends) to smtpd byte for byte (swaks --no-data-fixup; only the SMTP
# dot-stuffing is added), FROM "<>" being the null sender, and wait until
# Postfix is done with it: its pipe(8) result is logged and the queue is
# empty.  Sets E2E_QID (the queue id) and E2E_PIPE_STATUS (sent, deferred,
# bounced; empty when nothing was logged); returns 0 only for status=sent,
# which is what "metodist deliver" exiting 0 becomes.  A message deferred
# or not delivered within E2E_MTA_WAIT seconds (default 20) is deleted
# rather than retried, so that it cannot land in a later step.
e2e_mta_deliver() {
	local wire=$E2E_TMP/smtp-data.txt limit=${E2E_MTA_WAIT:-20} out i
	E2E_QID=
	E2E_PIPE_STATUS=
	perl -0777 -pe 's/\r?\n/\r\n/g; s/^\./../mg;
		$_ .= "\r\n" if length && !/\r\n\z/; $_ .= "."' "$3" >"$wire" ||
		return 1
	if ! out=$(swaks --server 127.0.0.1 --port "$E2E_PORT" \
		--helo e2e.client --from "$1" --to "$2" \
		--no-data-fixup --data "@$wire" 2>&1); then
		printf '# swaks failed:\n'
		e2e_diag "$out"
		return 1
	fi
	E2E_QID=$(printf '%s\n' "$out" |
		sed -n 's/.* queued as \([0-9A-Za-z]*\).*/\1/p' | tail -n 1)
	if [ -z "$E2E_QID" ]; then
		printf '# no queue id in the answer to DATA:\n'
		e2e_diag "$out"
		return 1
	fi
	for i in $(seq 1 $((limit * 10))); do
		E2E_PIPE_STATUS=$(e2e_pipe_status "$E2E_QID")
		[ -n "$E2E_PIPE_STATUS" ] && break
		# gone without a pipe delivery (another transport, say)
		e2e_maillog | grep -qF " $E2E_QID: removed" && break
		[ "$i" -eq $((limit * 10)) ] || sleep 0.1
	done
	E2E_PIPE_STATUS=$(e2e_pipe_status "$E2E_QID")
	case $E2E_PIPE_STATUS in
	sent | bounced) ;;
	*) postsuper -c "$E2E_PF_ETC" -d "$E2E_QID" >/dev/null 2>&1 ;;
	esac
	if ! e2e_wait_queue_empty "$limit"; then
		postsuper -c "$E2E_PF_ETC" -d ALL >/dev/null 2>&1
		return 1
	fi
	if [ "$E2E_PIPE_STATUS" != sent ]; then
		printf '# %s from <%s> to <%s>: pipe status=%s\n' "$E2E_QID" \
			"${1#<>}" "$2" "${E2E_PIPE_STATUS:-(none logged)}"
		e2e_diag "$(e2e_maillog | grep -F " $E2E_QID: " | tail -n 5)"
		return 1
	fi
	return 0
}

# e2e_mta_sender QUEUEID: the envelope sender Postfix logged for QUEUEID,
# with its angle brackets ("<>" for the null sender)
e2e_mta_sender() {
	e2e_maillog | grep -F " $1: from=<" |
		sed -n 's/.* from=\(<[^>]*>\).*/\1/p' | tail -n 1
}

# --- outbox ----------------------------------------------------------------

# e2e_outbox_files: the delivered files, oldest name first
e2e_outbox_files() {
	local d f
	for d in new cur; do
		for f in "$E2E_OUTBOX/$d"/*; do
			[ -f "$f" ] && printf '%s\n' "$f"
		done
	done
	return 0
}

e2e_outbox_count() {
	e2e_outbox_files | grep -c .
}

# e2e_header FILE NAME: the first NAME header of FILE, unfolded, value only
e2e_header() {
	awk -v want="$2" '
		BEGIN { want = tolower(want) }
		{ sub(/\r$/, "") }
		/^$/ { exit }
		/^[ \t]/ {
			if (cur == want) val = val " " substr($0, 2)
			next
		}
		{
			if (cur == want) { done = 1; exit }
			i = index($0, ":")
			cur = tolower(substr($0, 1, i - 1))
			val = substr($0, i + 1)
		}
		END {
			if (cur == want || done) {
				sub(/^[ \t]+/, "", val)
				print val
			}
		}' "$1"
}

# e2e_header_raw FILE NAME: the first NAME header as it stands, folds kept
e2e_header_raw() {
	awk -v want="$2" '
		BEGIN { want = tolower(want) }
		/^\r?$/ { exit }
		/^[ \t]/ { if (in_h) print; next }
		{
			if (in_h) exit
			i = index($0, ":")
			if (tolower(substr($0, 1, i - 1)) == want) { in_h = 1; print }
		}' "$1"
}

# e2e_body FILE: everything after the header section
e2e_body() {
	awk 'b { print; next } /^\r?$/ { b = 1 }' "$1"
}

# e2e_addr VALUE: the bare address inside VALUE ("<a@b>" or "Name <a@b>")
e2e_addr() {
	local v=$1
	case $v in
	*"<"*">"*) v=${v##*<}; v=${v%%>*} ;;
	esac
	printf '%s\n' "$v" | tr '[:upper:]' '[:lower:]'
}

# e2e_outbox_for RCPT: outbox files whose Delivered-To is RCPT
e2e_outbox_for() {
	local want f got
	want=$(e2e_addr "$1")
	while IFS= read -r f; do
		got=$(e2e_addr "$(e2e_header "$f" Delivered-To)")
		[ "$got" = "$want" ] && printf '%s\n' "$f"
	done < <(e2e_outbox_files)
	return 0
}

e2e_outbox_count_for() {
	e2e_outbox_for "$1" | grep -c .
}

# e2e_outbox_summary: one line per outbox file, for diagnostics
e2e_outbox_summary() {
	local f
	while IFS= read -r f; do
		printf '%s to=%s subject=%s auto=%s\n' "$(basename "$f")" \
			"$(e2e_header "$f" Delivered-To)" \
			"$(e2e_header "$f" Subject)" \
			"$(e2e_header "$f" Auto-Submitted)"
	done < <(e2e_outbox_files)
}

# e2e_outbox_clear: forget what was delivered so far
e2e_outbox_clear() {
	local d
	for d in new cur; do
		[ -d "$E2E_OUTBOX/$d" ] && find "$E2E_OUTBOX/$d" -type f -delete
	done
	return 0
}

# --- fixtures --------------------------------------------------------------

# e2e_pick_list POLICY [PREFERRED]: PREFERRED when it has POLICY, else the
# first list with POLICY; nothing when no list has it
e2e_pick_list() {
	if [ -n "${2:-}" ] && [ -f "$(e2e_list_conf "$2")" ] &&
		[ "$(e2e_list_key "$2" policy)" = "$1" ]; then
		printf '%s\n' "$2"
		return 0
	fi
	e2e_lists_with "$1" | sed -n 1p
}

# e2e_member_add LIST ADDRESS [NAME]: subscribe, reporting a failure in TAP
e2e_member_add() {
	local out
	if out=$(e2e_metodist members add "$@" 2>&1); then
		ok "members add $1 $2"
	else
		not_ok "members add $1 $2" "$out"
	fi
}

# e2e_archive_files LIST: the archived posts of LIST
e2e_archive_files() {
	[ -d "$E2E_ARCHIVE/$1" ] || return 0
	find "$E2E_ARCHIVE/$1" -type f -name '*.eml' | sort
}

# e2e_is_ascii STRING: true when every line of STRING has only printable
# ASCII and blanks (a CR before a line end is allowed)
e2e_is_ascii() {
	! printf '%s\n' "$1" | sed 's/\r$//' |
		LC_ALL=C grep -q '[^[:print:][:blank:]]'
}

# e2e_pipe_results: "to=<RCPT> status=WORD" for each pipe(8) delivery
e2e_pipe_results() {
	e2e_maillog | grep -E 'relay=metodist' |
		sed -n 's/.*\(to=<[^>]*>\).*\(status=[a-z]*\).*/\1 \2/p'
}

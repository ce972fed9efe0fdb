# shellcheck shell=bash
# What the hosted-mailbox tests share.  Source it after lib.sh and dovecot.sh.
#
# On sourcing: the private Dovecot is started, metodistd is copied beside
# the CLI, the SMTP listener is switched off, the list (members policy) gets
# two members, and the exit trap stops the daemon and Dovecot.
#
# hosted_mailbox_conf PROTO PORT [KEY=VALUE...]: append a [mailbox.hosted]
#   section for the Dovecot user (implicit TLS, the test CA, plus-addressing,
#   quick retries); extra keys replace the defaults.
# hosted_mailbox_reset: remove that section again.
# hosted_start [ENV=VALUE...]: metodistd -d -v as the test user; $daemon.
# stop_daemon: SIGTERM and wait.
# wait_log REGEX [TENTHS]: until the daemon's log matches.
# message FILE FROM DELIVERED-TO SUBJECT: a message to the list.
# timed_append FILE: append to INBOX; seconds from the APPEND to the first
#   copy written to the outbox (its mtime).
# spool_count: entries of the mailbox in the spool.

: "${METODISTD:?set it before sourcing lib.sh}"
[ -x /usr/sbin/dovecot ] || e2e_bail "dovecot missing; run tests/e2e/setup.sh"
[ -x "$METODISTD" ] || e2e_bail "no metodistd beside $METODIST"
cp "$METODISTD" "$E2E_TMP/bin/metodistd" && chmod 755 "$E2E_TMP/bin/metodistd"
METODISTD=$E2E_TMP/bin/metodistd

daemon=
stop_daemon() {
	[ -n "$daemon" ] || return 0
	kill "$daemon" 2>/dev/null
	local i
	for i in $(seq 1 100); do
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.1
	done
	daemon=
}
trap 'stop_daemon; e2e_dovecot_stop; e2e_cleanup' EXIT

e2e_dovecot_start ||
	e2e_bail "dovecot did not start: $(cat "$E2E_DC/dovecot.log" 2>/dev/null)"
ok "a private Dovecot listens on 127.0.0.1"

sed -i -e "s|^listen *=.*|listen =|" "$E2E_CONF"
list=$(e2e_pick_list members math)
e2e_init || e2e_bail "metodist init failed"
e2e_member_add "$list" anna@school1.example.org
e2e_member_add "$list" boris@school2.example.org

hosted_mailbox_conf() { # PROTO PORT [KEY=VALUE...]
	local proto=$1 port=$2 kv k
	shift 2
	{
		printf '\n[mailbox.hosted]\nprotocol = %s\nhost = 127.0.0.1\n' "$proto"
		printf 'port = %s\n' "$port"
		for kv in "tls=implicit" "cafile=$E2E_DC/server.pem" \
			"user=$E2E_BOX" "password=$E2E_BOX_PASS" \
			"processed=Processed" "address=$E2E_BOX" \
			"address_from=delivered-to, x-original-to, to" \
			"retry_min=1" "retry_max=4" "poll_interval=1" "timeout=10"; do
			k=${kv%%=*}
			printf '%s\n' "$@" | grep -q "^$k=" && continue
			printf '%s = %s\n' "$k" "${kv#*=}"
		done
		for kv in "$@"; do
			printf '%s = %s\n' "${kv%%=*}" "${kv#*=}"
		done
	} >>"$E2E_CONF"
}

hosted_mailbox_reset() { # drop the [mailbox.hosted] section appended last
	sed -i '/^\[mailbox\.hosted\]$/,$d' "$E2E_CONF"
}

hosted_start() {
	runuser -u "$E2E_USER" -- env "$@" "$METODISTD" -d -v -c "$E2E_CONF" \
		>>"$E2E_TMP/metodistd.log" 2>&1 &
	daemon=$!
}

wait_log() {
	local i
	for i in $(seq 1 "${2:-100}"); do
		grep -Eq -- "$1" "$E2E_TMP/metodistd.log" && return 0
		sleep 0.1
	done
	return 1
}

message() { # FILE FROM DELIVERED-TO SUBJECT
	cat >"$1" <<EOF
Return-Path: <$2>
Delivered-To: $3
From: $2
To: $list@$E2E_DOMAIN
Subject: $4
Message-ID: <$RANDOM.$RANDOM.$$@school.example.org>
Date: $(date -R)
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Коллеги, добрый день!
EOF
}

timed_append() { # FILE: seconds from APPEND to the first new copy
	local t0 i n newest
	n=$(find "$E2E_OUTBOX/new" -type f | grep -c .)
	t0=$(e2e_imap append INBOX "$1") || t0=
	for i in $(seq 1 1000); do
		[ "$(find "$E2E_OUTBOX/new" -type f | grep -c .)" -gt "$n" ] && break
		sleep 0.01
	done
	newest=$(find "$E2E_OUTBOX/new" -type f -printf '%T@\n' | sort -n | tail -1)
	python3 -c "print('%.3f' % (${newest:-0} - ${t0:-0}))"
}

spool_count() {
	find "$E2E_SPOOL/new" "$E2E_SPOOL/cur" -name 'mb.hosted.*' 2>/dev/null |
		grep -c .
}

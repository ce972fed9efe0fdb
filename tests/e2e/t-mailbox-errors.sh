#!/bin/bash
# A hosted mailbox that does not work: a wrong password, a server that
# goes away, a TLS certificate nobody vouches for.  Each gives one clear
# log line and retries with a growing delay (retry_min 1 s doubling to
# retry_max 4 s: attempts at about 0, 1, 3, 7 s), never hammering the
# server; the server's own log counts the attempts.  A server that comes
# back is used again, and mail that waited is taken.
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=dovecot.sh source-path=SCRIPTDIR
. "$(dirname "$0")/dovecot.sh"
# shellcheck source=hosted.sh source-path=SCRIPTDIR
. "$(dirname "$0")/hosted.sh"

warnings() { # the poller's failure lines so far
	grep -c 'mailbox hosted: .*; retrying in' "$E2E_TMP/metodistd.log"
}

dovecot_count() { # REGEX: matching lines of Dovecot's log since the mark
	tail -n +"$mark" "$E2E_DC/dovecot.log" | grep -Ec -- "$1"
}

# attempts_ok WHAT N [MIN]: MIN (3) to 5 attempts in the 8 s watched
attempts_ok() {
	if [ "$2" -ge "${3:-3}" ] && [ "$2" -le 5 ]; then
		ok "$1: retried with backoff, $2 attempts in 8 s"
	else
		not_ok "$1: retried with backoff (${3:-3} to 5 attempts in 8 s)" "got $2"
	fi
}

# the delays the poller chose, in order (its -v lines)
delays() {
	sed -n 's/.*mailbox hosted: .*; retrying in \([0-9]*\) s.*/\1/p; s/.*mailbox hosted: .*(attempt [0-9]*); next in \([0-9]*\) s/\1/p' \
		"$E2E_TMP/metodistd.log" | tr '\n' ' ' | sed 's/ $//'
}

# --- a wrong password -------------------------------------------------------
hosted_mailbox_conf imap "$E2E_IMAPS_PORT" "password=not-the-password"
mark=$(($(wc -l <"$E2E_DC/dovecot.log") + 1))
hosted_start
sleep 8
is "$(warnings)" 1 "wrong password: one log line"
like "$(grep 'retrying in' "$E2E_TMP/metodistd.log")" \
	"login as $E2E_BOX refused: .*[Aa]uthentication failed" \
	"wrong password: the line names the account and the server's answer"
# Dovecot itself slows down repeated failures from one address (its auth
# penalty), so fewer attempts fit in the window here.
attempts_ok "wrong password" "$(dovecot_count 'imap-login: .*auth failed')" 2
like "$(delays)" '^1 2( 4)*$' "wrong password: the delay doubles (1 2 4 ... s)"
stop_daemon

# --- an untrusted certificate -----------------------------------------------
: >"$E2E_TMP/metodistd.log"
hosted_mailbox_reset
hosted_mailbox_conf imap "$E2E_IMAPS_PORT" "cafile=$E2E_DC/other.pem"
mark=$(($(wc -l <"$E2E_DC/dovecot.log") + 1))
hosted_start
sleep 8
is "$(warnings)" 1 "untrusted certificate: one log line"
like "$(grep 'retrying in' "$E2E_TMP/metodistd.log")" \
	"TLS to 127.0.0.1:$E2E_IMAPS_PORT refused: server certificate not trusted" \
	"untrusted certificate: the line says why"
is "$(dovecot_count 'Login: user=')" 0 "untrusted certificate: no password is ever sent"
attempts_ok "untrusted certificate" \
	"$(dovecot_count 'imap-login: .*Disconnected.*no auth attempts')"
like "$(delays)" '^1 2 4( 4)*$' "untrusted certificate: the delay doubles up to retry_max"
stop_daemon

# --- the server goes away and comes back ------------------------------------
# Dovecot's login processes may hold the socket a moment after the master
# is gone, so the first try may hang until the timeout (3 s here) instead
# of being refused: that is a failure of its own kind.
: >"$E2E_TMP/metodistd.log"
hosted_mailbox_reset
hosted_mailbox_conf imap "$E2E_IMAPS_PORT" "timeout=3"
hosted_start
wait_log "folder INBOX selected, IDLE" 100 || not_ok "the poller connects"
e2e_dovecot_stop
refused="cannot connect to 127.0.0.1:$E2E_IMAPS_PORT: Connection refused"
if wait_log "$refused; retrying in" 150; then
	ok "server gone: the poller says so"
else
	not_ok "server gone: the poller says so" "$(tail -5 "$E2E_TMP/metodistd.log")"
fi
from=$(($(wc -l <"$E2E_TMP/metodistd.log") + 1))
sleep 8
is "$(grep -c "$refused; retrying in" "$E2E_TMP/metodistd.log")" 1 \
	"server gone: one log line for it, however often it is retried"
attempts=$(tail -n +"$from" "$E2E_TMP/metodistd.log" | grep -c "$refused")
attempts_ok "server gone" "$attempts" 2
e2e_dovecot_start || e2e_bail "dovecot did not start again"
message "$E2E_TMP/m1" anna@school1.example.org "box+$list@hosted.example" \
	"После перерыва"
e2e_imap append INBOX "$E2E_TMP/m1" >/dev/null
if wait_log "connected again after [0-9]+ failed attempts" 80; then
	ok "server back: the poller connects again within the backoff"
else
	not_ok "server back: the poller connects again" "$(tail -5 "$E2E_TMP/metodistd.log")"
fi
for i in $(seq 1 50); do
	[ "$(e2e_outbox_count_for boris@school2.example.org)" -ge 1 ] && break
	sleep 0.1
done
is "$(e2e_outbox_count_for boris@school2.example.org)" 1 "server back: the post that waited reaches the members"

# --- STARTTLS on the plain port: the same certificate check -----------------
stop_daemon
e2e_outbox_clear
: >"$E2E_TMP/metodistd.log"
hosted_mailbox_reset
hosted_mailbox_conf imap "$E2E_IMAP_PORT" "tls=starttls" "cafile=$E2E_DC/other.pem"
hosted_start
sleep 3
like "$(grep 'retrying in' "$E2E_TMP/metodistd.log")" \
	"TLS to 127.0.0.1:$E2E_IMAP_PORT refused: server certificate not trusted" \
	"STARTTLS with an untrusted certificate is refused before login"
stop_daemon
hosted_mailbox_reset
hosted_mailbox_conf imap "$E2E_IMAP_PORT" "tls=starttls"
hosted_start
wait_log "folder INBOX selected, IDLE" 100
message "$E2E_TMP/m2" anna@school1.example.org "box+$list@hosted.example" \
	"Через STARTTLS"
e2e_imap append INBOX "$E2E_TMP/m2" >/dev/null
for i in $(seq 1 50); do
	[ "$(e2e_outbox_count_for boris@school2.example.org)" -ge 1 ] && break
	sleep 0.1
done
is "$(e2e_outbox_count_for boris@school2.example.org)" 1 "STARTTLS with a trusted certificate reads the mailbox"

e2e_done

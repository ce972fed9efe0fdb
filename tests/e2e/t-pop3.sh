#!/bin/bash
# Hosted-mailbox mode over POP3 (TLS, UIDL) against a private Dovecot on
# loopback: a post in the mailbox reaches the members at the next poll and
# is deleted from the server (DELE, then QUIT) only once the spool has it;
# a kill -9 right after the spool write, and right after the record, loses
# and doubles nothing; a message for no list stays on the server, once.
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=dovecot.sh source-path=SCRIPTDIR
. "$(dirname "$0")/dovecot.sh"
# shellcheck source=hosted.sh source-path=SCRIPTDIR
. "$(dirname "$0")/hosted.sh"

hosted_mailbox_conf pop3 "$E2E_POP3S_PORT" "poll_interval=1"
hosted_start
wait_log "mailbox hosted: reading .* by POP3" 100 ||
	not_ok "the POP3 poller starts" "$(tail -20 "$E2E_TMP/metodistd.log")"

message "$E2E_TMP/m1" anna@school1.example.org "box+$list@hosted.example" \
	"Пост через POP3"
latency=$(timed_append "$E2E_TMP/m1")
printf '# POP3 (poll_interval 1 s): in the mailbox -> copy in the outbox in %s s\n' "$latency"
if python3 -c "import sys; sys.exit(0 if $latency < 2.5 else 1)"; then
	ok "the post reaches the members at the next poll ($latency s)"
else
	not_ok "the post reaches the members at the next poll" "took $latency s"
fi
for i in $(seq 1 30); do
	[ "$(e2e_imap count INBOX)" = 0 ] && break
	sleep 0.1
done
sleep 0.5
is "$(e2e_outbox_count_for anna@school1.example.org)" 1 "anna gets the post once"
is "$(e2e_outbox_count_for boris@school2.example.org)" 1 "boris gets the post once"
is "$(e2e_imap count INBOX)" 0 "the message is deleted from the server"
is "$(spool_count)" 0 "nothing is left in the spool"

# a message for no list: recorded, left on the server, not taken again
message "$E2E_TMP/m3" stranger@else.example.org "someone@else.example" "Не нам"
sed -i "s|^To: .*|To: someone@else.example|" "$E2E_TMP/m3"
e2e_imap append INBOX "$E2E_TMP/m3" >/dev/null
wait_log "names no address of this gateway" 50
sleep 3
is "$(grep -c 'names no address of this gateway' "$E2E_TMP/metodistd.log")" 1 \
	"a message for no list is logged once, not at every poll"
is "$(e2e_imap count INBOX)" 1 "and it stays on the server"

crash_case() { # POINT
	local point=$1 addr=newbie-$1@school3.example.org posts_before i
	e2e_outbox_clear
	stop_daemon
	posts_before=$(grep -c "post: $list #[0-9]* from anna@school1.example.org" "$E2E_TMP/metodistd.log")
	hosted_start METODIST_FAULT="$point"
	message "$E2E_TMP/c1" "$addr" "box+$list+subscribe@hosted.example" \
		"subscribe"
	e2e_imap append INBOX "$E2E_TMP/c1" >/dev/null
	wait_log "fault injection: killed $point" 100
	for i in $(seq 1 50); do
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$daemon" 2>/dev/null; then
		not_ok "$point: the daemon is killed by the fault point"
	else
		ok "$point: the daemon is killed (SIGKILL) between the spool write and DELE"
	fi
	daemon=
	is "$(e2e_imap count INBOX)" 2 "$point: the message is still on the server"
	is "$(spool_count)" 1 "$point: the spool has it"
	message "$E2E_TMP/c2" anna@school1.example.org "box+$list@hosted.example" \
		"После сбоя $point"
	e2e_imap append INBOX "$E2E_TMP/c2" >/dev/null
	hosted_start
	for i in $(seq 1 100); do
		[ "$(e2e_imap count INBOX)" = 1 ] &&
			[ "$(e2e_outbox_count_for boris@school2.example.org)" -ge 1 ] &&
			[ "$(e2e_outbox_count_for "$addr")" -ge 1 ] && break
		sleep 0.1
	done
	sleep 2
	is "$(e2e_outbox_count_for "$addr")" 1 "$point: the subscription request is answered once"
	is "$(grep -c "request: $list $addr: 1 commands" "$E2E_TMP/metodistd.log")" 1 \
		"$point: the request is processed once, not again after the restart"
	is "$(grep -c "post: $list #[0-9]* from anna@school1.example.org" "$E2E_TMP/metodistd.log")" \
		"$((posts_before + 1))" "$point: the next post is processed once"
	is "$(e2e_outbox_count_for boris@school2.example.org)" 1 "$point: the next post reaches boris once"
	is "$(e2e_imap count INBOX)" 1 "$point: only the message for no list is left on the server"
	is "$(spool_count)" 0 "$point: the spool is empty again"
}
crash_case after-spool
crash_case after-record

e2e_done

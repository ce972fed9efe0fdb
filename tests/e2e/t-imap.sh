#!/bin/bash
# Hosted-mailbox mode over IMAP against a private Dovecot on loopback:
# a post appended to INBOX reaches the members within a second by IDLE
# (the latency is printed), and sits in the processed folder afterwards;
# plus-addressing and X-Original-To name the list; a kill -9 right after
# the spool write, and right after the record, loses and doubles nothing
# (a subscription request answered once, a post sent once per member).
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source=dovecot.sh source-path=SCRIPTDIR
. "$(dirname "$0")/dovecot.sh"
# shellcheck source=hosted.sh source-path=SCRIPTDIR
. "$(dirname "$0")/hosted.sh"

# a processed folder with a Cyrillic name, as a Russian mail client shows
# it; on the wire it is modified UTF-7
hosted_mailbox_conf imap "$E2E_IMAPS_PORT" "processed=Обработанные"
processed='&BB4EMQRABDAEMQQ+BEIEMAQ9BD0ESwQ1-'
hosted_start
if wait_log "mailbox hosted: folder INBOX selected, IDLE" 100; then
	ok "the poller logs in over TLS (certificate checked) and waits in IDLE"
else
	not_ok "the poller logs in over TLS and waits in IDLE" \
		"$(tail -20 "$E2E_TMP/metodistd.log")"
fi

# --- posts by IDLE, timed ---------------------------------------------------
# Three posts, one after another, each timed from its APPEND to the first
# copy in the outbox.  Dovecot itself waits 0.5 s before it tells an IDLE
# client; the median must be under a second, and none may look like a
# missed notification (Dovecot's keepalive comes after two minutes).
lat=
for k in 1 2 3; do
	e2e_outbox_clear
	message "$E2E_TMP/m$k" anna@school1.example.org \
		"box+$list@hosted.example" "Пост через IMAP $k"
	lat="$lat $(timed_append "$E2E_TMP/m$k")"
	for i in $(seq 1 30); do
		[ "$(e2e_imap count "$processed")" = "$k" ] && break
		sleep 0.1
	done
	sleep 0.3
	is "$(e2e_outbox_count_for anna@school1.example.org),$(e2e_outbox_count_for boris@school2.example.org)" \
		"1,1" "post $k reaches each member once"
done
printf '# IDLE: APPEND to the first copy in the outbox:%s s\n' "$lat"
median=$(printf '%s\n' $lat | sort -n | sed -n 2p)
worst=$(printf '%s\n' $lat | sort -n | sed -n 3p)
if python3 -c "import sys; sys.exit(0 if $median < 1.0 and $worst < 2.0 else 1)"; then
	ok "posts reach the members within a second by IDLE (median $median s)"
else
	not_ok "posts reach the members within a second by IDLE" \
		"latencies:$lat s"
fi
is "$(e2e_imap count INBOX)" 0 "INBOX is empty afterwards"
is "$(e2e_imap count "$processed")" 3 "the messages sit in the processed folder «Обработанные»"
is "$(spool_count)" 0 "nothing is left in the spool"

# --- X-Original-To of a catch-all, a message for nobody ---------------------
e2e_outbox_clear
message "$E2E_TMP/m2" boris@school2.example.org "box@hosted.example" \
	"Через псевдоним"
sed -i "1a X-Original-To: $list@$E2E_DOMAIN" "$E2E_TMP/m2"
sed -i "s|^To: .*|To: box@hosted.example|" "$E2E_TMP/m2"
e2e_imap append INBOX "$E2E_TMP/m2"
message "$E2E_TMP/m3" stranger@else.example.org "someone@else.example" "Не нам"
sed -i "s|^To: .*|To: someone@else.example|" "$E2E_TMP/m3"
e2e_imap append INBOX "$E2E_TMP/m3"
wait_log "names no address of this gateway" 50
for i in $(seq 1 50); do
	[ "$(e2e_imap count "$processed")" = 5 ] && break
	sleep 0.1
done
sleep 0.5
is "$(e2e_outbox_count_for anna@school1.example.org)" 1 \
	"X-Original-To names the list when Delivered-To is the bare mailbox"
like "$(cat "$E2E_TMP/metodistd.log")" "names no address of this gateway" \
	"a message for no list is logged"
is "$(e2e_imap count INBOX)" 0 "INBOX is empty"
is "$(e2e_imap count "$processed")" 5 "both went to the processed folder; none is lost"

# --- kill -9 between the spool write (or the record) and the move -----------
crash_case() { # POINT
	local point=$1 addr=newbie-$1@school3.example.org posts_before before i
	e2e_outbox_clear
	stop_daemon
	posts_before=$(grep -c "post: $list #[0-9]* from anna@school1.example.org" "$E2E_TMP/metodistd.log")
	before=$(e2e_imap count "$processed")
	hosted_start METODIST_FAULT="$point"
	wait_log "folder INBOX selected" 100
	message "$E2E_TMP/c1" "$addr" "box+$list+subscribe@hosted.example" \
		"subscribe"
	e2e_imap append INBOX "$E2E_TMP/c1"
	wait_log "fault injection: killed $point" 100
	for i in $(seq 1 50); do
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$daemon" 2>/dev/null; then
		not_ok "$point: the daemon is killed by the fault point"
	else
		ok "$point: the daemon is killed (SIGKILL) between the spool write and the move"
	fi
	daemon=
	is "$(e2e_imap count INBOX)" 1 "$point: the message is still in INBOX, not moved"
	is "$(spool_count)" 1 "$point: the spool has it"
	message "$E2E_TMP/c2" anna@school1.example.org "box+$list@hosted.example" \
		"После сбоя $point"
	e2e_imap append INBOX "$E2E_TMP/c2"
	hosted_start
	for i in $(seq 1 100); do
		[ "$(e2e_imap count INBOX)" = 0 ] &&
			[ "$(e2e_outbox_count_for boris@school2.example.org)" -ge 1 ] &&
			[ "$(e2e_outbox_count_for "$addr")" -ge 1 ] && break
		sleep 0.1
	done
	sleep 1
	is "$(e2e_outbox_count_for "$addr")" 1 "$point: the subscription request is answered once"
	is "$(grep -c "request: $list $addr: 1 commands" "$E2E_TMP/metodistd.log")" 1 \
		"$point: the request is processed once, not again after the restart"
	is "$(grep -c "post: $list #[0-9]* from anna@school1.example.org" "$E2E_TMP/metodistd.log")" \
		"$((posts_before + 1))" "$point: the next post is processed once"
	is "$(e2e_outbox_count_for boris@school2.example.org)" 1 "$point: the next post reaches boris once"
	is "$(e2e_imap count INBOX)" 0 "$point: INBOX is empty after the restart"
	is "$(e2e_imap count "$processed")" $((before + 2)) \
		"$point: both are in the processed folder, once each"
	is "$(spool_count)" 0 "$point: the spool is empty again"
}
crash_case after-spool
crash_case after-record

# --- SIGHUP: new pollers, the old one stops; nothing lost or doubled --------
e2e_outbox_clear
started=$(grep -c 'reading box@hosted.example' "$E2E_TMP/metodistd.log")
kill -HUP "$(cat "$E2E_VAR/metodistd.pid")"
for i in $(seq 1 100); do
	[ "$(grep -c 'reading box@hosted.example' "$E2E_TMP/metodistd.log")" -gt "$started" ] && break
	sleep 0.1
done
is "$(grep -c 'reading box@hosted.example' "$E2E_TMP/metodistd.log")" $((started + 1)) \
	"SIGHUP starts a new poller"
sleep 1
message "$E2E_TMP/r1" boris@school2.example.org "box+$list@hosted.example" \
	"После перечитывания настроек"
e2e_imap append INBOX "$E2E_TMP/r1" >/dev/null
for i in $(seq 1 50); do
	[ "$(e2e_outbox_count_for anna@school1.example.org)" -ge 1 ] && break
	sleep 0.1
done
sleep 1
is "$(e2e_outbox_count_for anna@school1.example.org)" 1 "after SIGHUP a post still arrives, once"
if kill -0 "$daemon" 2>/dev/null; then
	ok "the daemon runs on after the reload"
else
	not_ok "the daemon runs on after the reload" "$(tail -5 "$E2E_TMP/metodistd.log")"
fi
stop_daemon
unlike "$(cat "$E2E_TMP/metodistd.log")" "ERROR: AddressSanitizer|runtime error" \
	"no memory or undefined-behaviour error in the daemon's log"

e2e_done

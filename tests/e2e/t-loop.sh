#!/bin/bash
# Loops and automatic mail are dropped quietly: a message carrying the list's
# own List-Id, an auto-reply, and a bounce (null sender) reach no member and
# get no reply, and Postfix does not bounce them either.  A post sent twice
# with the same Message-ID is distributed once.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members"
addr=$list@$E2E_DOMAIN
list_id="<$list.$E2E_DOMAIN>"

e2e_init || e2e_bail "metodist init failed"
m1=tatiana.lebedeva@school8.example.com
m2=nikolai.popov@school9.example.com
e2e_member_add "$list" "$m1" "Татьяна Лебедева"
e2e_member_add "$list" "$m2" "Николай Попов"

e2e_postfix_start || e2e_bail "private Postfix did not start"

# control: an ordinary post goes out, so the zeros below mean something
check "control post accepted by Postfix" \
	e2e_send "$m1" "$addr" "Control post" "An ordinary post."
check "queue drained" e2e_wait_queue_empty 20
is "$(e2e_outbox_count)" 2 "control post: two copies"
e2e_outbox_clear

# dropped DESC: nothing at all in the outbox
dropped() {
	local n
	n=$(e2e_outbox_count)
	is "$n" 0 "$1: no copy and no reply"
	[ "$n" -eq 0 ] || e2e_diag "$(e2e_outbox_summary)"
	e2e_outbox_clear
}

check "post with the list's own List-Id accepted by Postfix" \
	e2e_send "$m1" "$addr" "Looped post" "This came back from the list." \
	--add-header "List-Id: Looped copy $list_id"
check "queue drained" e2e_wait_queue_empty 20
dropped "own List-Id"

check "auto-reply accepted by Postfix" \
	e2e_send "$m1" "$addr" "Out of office" "I am away until Monday." \
	--add-header "Auto-Submitted: auto-replied"
check "queue drained" e2e_wait_queue_empty 20
dropped "Auto-Submitted: auto-replied"

check "bounce accepted by Postfix" \
	e2e_send '<>' "$addr" "Undelivered Mail Returned to Sender" \
	"The mail system could not deliver your message." \
	--header "From: MAILER-DAEMON@mx.school8.example.com (Mail Delivery System)"
check "queue drained" e2e_wait_queue_empty 20
dropped "bounce from MAILER-DAEMON"

results=$(e2e_pipe_results)
is "$(printf '%s\n' "$results" | grep -c 'status=sent')" 4 \
	"Postfix handed all four messages to metodist with success"
unlike "$results" 'status=(bounced|deferred)' \
	"nothing bounced or deferred (a bounce would feed the loop)"

# duplicate Message-ID
mid="<dup-$$.$(date +%s)@school8.example.com>"
for i in 1 2; do
	check "duplicate #$i accepted by Postfix" \
		e2e_send "$m1" "$addr" "Same post twice" "Sent twice by a client." \
		--header "Message-Id: $mid"
	check "queue drained" e2e_wait_queue_empty 20
done
is "$(e2e_outbox_count_for "$m1")" 1 "duplicate: $m1 got one copy"
is "$(e2e_outbox_count_for "$m2")" 1 "duplicate: $m2 got one copy"
is "$(e2e_outbox_count)" 2 "duplicate: two copies in all"
[ "$(e2e_outbox_count)" -eq 2 ] || e2e_diag "$(e2e_outbox_summary)"
is "$(e2e_archive_files "$list" | grep -c .)" 2 \
	"archive holds the control post and one duplicate"

e2e_done

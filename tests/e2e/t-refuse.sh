#!/bin/bash
# Policy through Postfix: a members list refuses a stranger with a reply and
# no distribution; an announce list refuses an ordinary member the same way
# and distributes its coordinator's post; an open list takes a stranger.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

members_list=$(e2e_pick_list members math)
announce_list=$(e2e_pick_list announce)
open_list=$(e2e_pick_list open)
[ -n "$members_list" ] || e2e_bail "no list with policy = members"
[ -n "$announce_list" ] || e2e_bail "no list with policy = announce"
coordinator=$(e2e_list_coordinator "$announce_list")
[ -n "$coordinator" ] || e2e_bail "$announce_list has no coordinators"

e2e_init || e2e_bail "metodist init failed"

m1=irina.petrova@school4.example.com
m2=sergey.orlov@school5.example.com
stranger=outsider@elsewhere.example.net
for l in "$members_list" "$announce_list" $open_list; do
	e2e_member_add "$l" "$m1" "Ирина Петрова"
	e2e_member_add "$l" "$m2" "Сергей Орлов"
done

e2e_postfix_start || e2e_bail "private Postfix did not start"

# is_reply FILE DESC: FILE is an automatic reply
is_reply() {
	like "$(e2e_header "$1" Auto-Submitted)" '^auto-replied' \
		"$2: reply has Auto-Submitted: auto-replied"
	unlike "$(e2e_header "$1" Precedence)" '^list$' \
		"$2: reply is not a list copy"
	is "$(e2e_header "$1" Return-Path)" "<>" \
		"$2: reply has a null envelope sender (RFC 3834)"
}

# --- members list, stranger ----------------------------------------------
check "stranger's post accepted by Postfix" \
	e2e_send "$stranger" "$members_list@$E2E_DOMAIN" \
	"Question from outside" "May I ask the list something?"
check "queue drained" e2e_wait_queue_empty 20
is "$(e2e_outbox_count_for "$m1")" 0 "members list: no copy to $m1"
is "$(e2e_outbox_count_for "$m2")" 0 "members list: no copy to $m2"
is "$(e2e_outbox_count_for "$stranger")" 1 "members list: stranger got one reply"
is "$(e2e_outbox_count)" 1 "members list: outbox holds only the reply"
f=$(e2e_outbox_for "$stranger" | sed -n 1p)
[ -n "$f" ] && is_reply "$f" "members list"
is "$(e2e_archive_files "$members_list" | grep -c .)" 0 \
	"members list: refused post not archived"
unlike "$(e2e_pipe_results)" 'status=(bounced|deferred)' \
	"refusal is a reply, not a bounce"
[ "$(e2e_outbox_count)" -eq 1 ] || e2e_diag "$(e2e_outbox_summary)"
e2e_outbox_clear

# --- announce list, ordinary member ---------------------------------------
check "member's post to announce list accepted by Postfix" \
	e2e_send "$m1" "$announce_list@$E2E_DOMAIN" \
	"Not an announcement" "Members may not post here."
check "queue drained" e2e_wait_queue_empty 20
is "$(e2e_outbox_count_for "$m2")" 0 "announce list: no copy to $m2"
is "$(e2e_outbox_count_for "$m1")" 1 "announce list: $m1 got one reply"
is "$(e2e_outbox_count)" 1 "announce list: outbox holds only the reply"
f=$(e2e_outbox_for "$m1" | sed -n 1p)
[ -n "$f" ] && is_reply "$f" "announce list"
[ "$(e2e_outbox_count)" -eq 1 ] || e2e_diag "$(e2e_outbox_summary)"
e2e_outbox_clear

# --- announce list, coordinator -------------------------------------------
check "coordinator's announcement accepted by Postfix" \
	e2e_send "$coordinator" "$announce_list@$E2E_DOMAIN" \
	"Seminar on 12 May" "The seminar starts at 15:00."
check "queue drained" e2e_wait_queue_empty 20
is "$(e2e_outbox_count_for "$m1")" 1 "announcement: $m1 got one copy"
is "$(e2e_outbox_count_for "$m2")" 1 "announcement: $m2 got one copy"
is "$(e2e_outbox_count_for "$coordinator")" 0 \
	"announcement: no reply to the coordinator"
is "$(e2e_outbox_count)" 2 "announcement: two copies in all"
f=$(e2e_outbox_for "$m1" | sed -n 1p)
[ -n "$f" ] && is "$(e2e_header "$f" Precedence)" list \
	"announcement: copy is a list copy"
[ "$(e2e_outbox_count)" -eq 2 ] || e2e_diag "$(e2e_outbox_summary)"
e2e_outbox_clear

# --- open list, stranger --------------------------------------------------
if [ -n "$open_list" ]; then
	check "stranger's post to open list accepted by Postfix" \
		e2e_send "$stranger" "$open_list@$E2E_DOMAIN" \
		"Consultation" "A specialist's question."
	check "queue drained" e2e_wait_queue_empty 20
	is "$(e2e_outbox_count_for "$m1")" 1 "open list: $m1 got one copy"
	is "$(e2e_outbox_count_for "$m2")" 1 "open list: $m2 got one copy"
	is "$(e2e_outbox_count_for "$stranger")" 0 "open list: no reply to stranger"
	[ "$(e2e_outbox_count)" -eq 2 ] || e2e_diag "$(e2e_outbox_summary)"
fi

e2e_done

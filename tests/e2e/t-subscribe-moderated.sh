#!/bin/bash
# Subscription to a list whose coordinators approve each member, through
# the real MTA path: the request is held, the coordinators get a notice
# whose Reply-To carries a single-use moderation token, a reply "одобрить"
# admits the teacher (welcome letter), a reply "отклонить: причина" to
# another request tells that teacher why, and nothing is sent to anyone
# else.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=
for f in "$E2E_LISTS_DIR"/*.conf; do
	[ "$(e2e_ini "$f" list subscription)" = moderated ] &&
		{ list=$(basename "$f" .conf); break; }
done
[ -n "$list" ] || e2e_bail "no list with subscription = moderated"
coord=$(e2e_list_coordinator "$list")
e2e_init || e2e_bail "metodist init failed"
e2e_postfix_start || e2e_bail "postfix did not start"

t1=olga.sergeeva@school7.example.com
t2=petr.volkov@school8.example.com
member_of() {
	e2e_metodist members list "$list" 2>/dev/null | cut -f1 | grep -cxF "$1"
}

# ask ADDRESS: "подписаться" to L+subscribe through Postfix
ask() {
	e2e_send "$1" "$list+subscribe@$E2E_DOMAIN" "подписаться" "Прошу подписать." ||
		not_ok "swaks for $1"
	e2e_wait_queue_empty
}

# decide WORDS: the coordinator replies to the newest notice with WORDS
decide() {
	local f rt subject
	f=$(e2e_outbox_for "$coord" | tail -1)
	rt=$(e2e_addr "$(e2e_header "$f" Reply-To)")
	# read before the outbox is cleared: the notice goes with it
	subject=$(e2e_header "$f" Subject)
	like "$rt" "^$list\\+mod-[0-9a-f]{32}@$E2E_DOMAIN\$" \
		"the notice's Reply-To is a moderation address"
	like "$subject" "." "the notice has a Subject to reply to"
	e2e_outbox_clear
	e2e_send "$coord" "$rt" "Re: $subject" \
		"$1

> заявка на подписку" || not_ok "swaks for the decision"
	e2e_wait_queue_empty
}

ask "$t1"
is "$(member_of "$t1")" 0 "a request alone does not make a member"
is "$(e2e_outbox_count_for "$coord")" 1 "the coordinator gets one notice"
is "$(e2e_outbox_count_for "$t1")" 1 "the teacher is told the request waits"
like "$(e2e_body "$(e2e_outbox_for "$t1")")" "координатор" "the answer says the coordinators decide"
like "$(e2e_metodist held)" "$t1" "metodist held lists the request"
decide "Одобрить"
is "$(member_of "$t1")" 1 "a reply \"Одобрить\" admits the teacher"
is "$(e2e_outbox_count_for "$t1")" 1 "the admitted teacher gets one letter"
is "$(e2e_outbox_count_for "$coord")" 1 "the coordinator gets one confirmation"

e2e_outbox_clear
ask "$t2"
decide "Отклонить: заявки принимаются от педагогов службы примирения"
is "$(member_of "$t2")" 0 "a rejected request does not make a member"
is "$(e2e_outbox_count_for "$t2")" 1 "the teacher is told"
like "$(e2e_body "$(e2e_outbox_for "$t2")")" "службы примирения" "with the reason"
is "$(e2e_outbox_count_for "$t1")" 0 "nobody else is written to"

e2e_done

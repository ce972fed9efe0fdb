#!/bin/bash
# Moderated lists through the pipe: a member's post is held (the author is
# told, the coordinators are asked), `metodist approve` sends it once, a
# second decision is refused naming the first, `metodist reject` tells the
# author the reason.  Also: an address whose function is not built yet
# answers "not yet available" instead of silence.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list moderated young-teachers)
[ -n "$list" ] || e2e_bail "no list with policy = moderated"
addr=$list@$E2E_DOMAIN
coord=$(e2e_list_coordinator "$list")

e2e_init || e2e_bail "metodist init failed"
m1=olga.petrova@school5.example.com
m2=pavel.smirnov@school6.example.com
e2e_member_add "$list" "$m1" "Ольга Петрова"
e2e_member_add "$list" "$m2" "Павел Смирнов"

msg=$E2E_TMP/msg
# post FROM SUBJECT ID: deliver one post to the moderated list via the pipe
post() {
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s@school5.example.com>\n\nТекст.\n' \
		"$1" "$addr" "$2" "$3" >"$msg"
	chmod 644 "$msg"
	runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" deliver -f "$1" \
		"$addr" <"$msg" >/dev/null 2>&1
}

post "$m1" "Вопрос о программе" mod-1
is "$?" 0 "held post: deliver exits 0"
is "$(e2e_outbox_count_for "$m2")" 0 "held post: not distributed"
is "$(e2e_outbox_count_for "$m1")" 1 "held post: the author is told"
f=$(e2e_outbox_for "$m1")
like "$(e2e_header "$f" Auto-Submitted)" 'auto-replied' "held notice is an auto-reply"
is "$(e2e_outbox_count_for "$coord")" 1 "held post: the coordinator is asked"
held=$(e2e_metodist held)
like "$held" "$m1" "metodist held lists the post"
id=$(printf '%s\n' "$held" | awk -F'\t' 'NR==1 {print $1}')

e2e_outbox_clear
out=$(e2e_metodist approve "$id" 2>&1)
is "$?" 0 "approve exits 0"
is "$(e2e_outbox_count_for "$m2")" 1 "approved post reaches the other member once"
is "$(e2e_outbox_count_for "$m1")" 1 "approved post reaches the author once"
f=$(e2e_outbox_for "$m2")
like "$(e2e_header "$f" List-Id)" "<$list.$E2E_DOMAIN>" "approved copy has the List-Id"
is "$(e2e_archive_files "$list" | grep -c .)" 1 "approved post is archived"

out=$(e2e_metodist approve "$id" 2>&1)
is "$?" 65 "a second decision is refused"
like "$out" "already decided" "the refusal says who decided"
out=$(e2e_metodist reject "$id" "поздно" 2>&1)
is "$?" 65 "a rejection after approval is refused"

e2e_outbox_clear
post "$m2" "Реклама" mod-2
id=$(e2e_metodist held | awk -F'\t' 'NR==1 {print $1}')
e2e_outbox_clear
out=$(e2e_metodist reject "$id" "не по теме объединения" 2>&1)
is "$?" 0 "reject exits 0"
is "$(e2e_outbox_count_for "$m1")" 0 "rejected post is not distributed"
is "$(e2e_outbox_count_for "$m2")" 1 "the author of a rejected post is told"
f=$(e2e_outbox_for "$m2")
like "$(e2e_body "$f")" "не по теме объединения" "the rejection carries the reason"
is "$(e2e_metodist held)" "no posts are held" "nothing is left held"

# A submission without a file: a clear answer, never silence.
e2e_outbox_clear
printf 'From: %s\nTo: %s+submit@%s\nSubject: Разработка\nMessage-ID: <sub-1@school5.example.com>\n\nФайл.\n' \
	"$m1" "$list" "$E2E_DOMAIN" >"$msg"
runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" deliver -f "$m1" \
	"$list+submit@$E2E_DOMAIN" <"$msg" >/dev/null 2>&1
is "$?" 0 "+submit: deliver exits 0"
is "$(e2e_outbox_count_for "$m1")" 1 "+submit: the sender gets one answer"
f=$(e2e_outbox_for "$m1")
like "$(e2e_body "$f")" "не принято как методическая" "the answer says it was not taken, in Russian"

e2e_done

#!/bin/bash
# Abuse limits through Postfix: a member's posts beyond [limits]
# posts_per_hour are held for the coordinators (with the reason), not
# sent and not lost; command letters beyond commands_per_day get one
# answer saying so, then silence; the coordinators are not counted.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=math
D=$E2E_DOMAIN
coord=$(e2e_list_coordinator "$list")
m1=olga.petrova@school5.example.com
m2=pavel.smirnov@school6.example.com

sed -i -e 's/^posts_per_hour *=.*/posts_per_hour = 2/' \
	-e 's/^commands_per_day *=.*/commands_per_day = 2/' "$E2E_CONF"
grep -q '^posts_per_hour = 2' "$E2E_CONF" ||
	printf '\n[limits]\nposts_per_hour = 2\ncommands_per_day = 2\n' >>"$E2E_CONF"

e2e_init || e2e_bail "metodist init failed"
e2e_member_add "$list" "$m1" "Ольга Петрова"
e2e_member_add "$list" "$m2" "Павел Смирнов"
e2e_member_add "$list" "$coord" "Координатор"
e2e_postfix_start || e2e_bail "private Postfix did not start"

msg=$E2E_TMP/msg
n=0
# mail FROM TO SUBJECT BODY: one letter through Postfix
mail() {
	n=$((n + 1))
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <lim-%d.%d@school5.example.com>\nContent-Type: text/plain; charset=utf-8\n\n%s\n' \
		"$1" "$2" "$3" "$n" "$$" "$4" >"$msg"
	e2e_mta_deliver "$1" "$2" "$msg"
}

for i in 1 2 3; do
	mail "$m1" "$list@$D" "Вопрос $i" "Коллеги, вопрос номер $i."
	is "$?" 0 "post $i from one member delivered"
done
# copies_for ADDR PREFIX: ADDR's copies of the posts with Message-ID PREFIX*
copies_for() {
	local f c=0
	for f in $(e2e_outbox_for "$1"); do
		case $(e2e_header "$f" Message-ID) in
		"<$2"*) c=$((c + 1)) ;;
		esac
	done
	echo "$c"
}
is "$(copies_for "$m2" lim-)" 2 "two posts an hour reach the other member"
held=$(e2e_metodist held)
like "$held" "$m1" "the third post is held, not lost"
like "$held" 'больше 2 писем в час' "the held post carries the reason"
is "$(e2e_archive_files "$list" | grep -c .)" 2 "only two posts archived"

for i in 1 2 3; do
	mail "$coord" "$list@$D" "Объявление $i" "Объявление координатора $i."
done
is "$(copies_for "$m2" lim-)" 5 "the coordinator's posts are not counted"

e2e_outbox_clear
for i in 1 2 3 4; do
	mail "$m2" "$list-request@$D" "" "помощь"
done
is "$(e2e_outbox_count_for "$m2")" 3 \
	"four command letters: two answers, one refusal, then silence"
refusals=0
for f in $(e2e_outbox_for "$m2"); do
	e2e_body "$f" | grep -q 'писем с командами' && refusals=$((refusals + 1))
done
is "$refusals" 1 "one answer says the day's commands are used up"
like "$(e2e_maillog)" 'status=sent' "Postfix delivered every letter"
like "$(e2e_metodist held)" "$m1" "the held post is still there at the end"

e2e_done

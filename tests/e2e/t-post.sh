#!/bin/bash
# A member's post through Postfix reaches every member of a members list
# exactly once, with the list headers, and is archived byte-exact.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members in lists.d"
tag=$(e2e_list_key "$list" subject_tag)
addr=$list@$E2E_DOMAIN

e2e_init || e2e_bail "metodist init failed"
check "init is safe to run twice" e2e_metodist init

members=(anna.ivanova@school1.example.com petr.smirnov@school2.example.com
	olga.kuznetsova@school3.example.com)
e2e_member_add "$list" "${members[0]}" "Анна Иванова"
e2e_member_add "$list" "${members[1]}" "Пётр Смирнов"
e2e_member_add "$list" "${members[2]}" "Ольга Кузнецова"

listed=$(e2e_metodist members list "$list" 2>&1)
for m in "${members[@]}"; do
	like "$listed" "$m" "members list shows $m"
done

e2e_postfix_start || e2e_bail "private Postfix did not start"

subject="Lesson plans for week 12"
body=$(printf '%s\n' \
	"Colleagues," \
	"" \
	"the plans for week 12 are ready." \
	".a line that starts with a dot" \
	"From the start of a line" \
	"  indented line" \
	"" \
	"Anna")

check "Postfix accepted the post" \
	e2e_send "${members[0]}" "$addr" "$subject" "$body"
check "queue drained" e2e_wait_queue_empty 20
like "$(e2e_pipe_results)" "to=<$addr> status=sent" \
	"Postfix delivered the post to metodist"

for m in "${members[@]}"; do
	is "$(e2e_outbox_count_for "$m")" 1 "$m got exactly one copy"
done
n=$(e2e_outbox_count)
is "$n" "${#members[@]}" "outbox holds one copy per member and nothing else"
[ "$n" -eq "${#members[@]}" ] || e2e_diag "$(e2e_outbox_summary)"

for m in "${members[@]}"; do
	f=$(e2e_outbox_for "$m" | sed -n 1p)
	[ -n "$f" ] || continue
	like "$(sed -n 1p "$f")" '^Return-Path: <[^>]*>' \
		"$m: copy starts with Return-Path"
	like "$(sed -n 2p "$f")" '^Delivered-To: ' \
		"$m: Delivered-To follows"
	like "$(e2e_header "$f" List-Id)" "<$list\\.${E2E_DOMAIN//./\\.}>" \
		"$m: List-Id"
	like "$(e2e_header "$f" List-Post)" "<mailto:$addr>" "$m: List-Post"
	like "$(e2e_header "$f" List-Unsubscribe)" '<mailto:[^>]+>' \
		"$m: List-Unsubscribe has a mailto"
	like "$(e2e_header "$f" List-Help)" '<mailto:[^>]+>' "$m: List-Help"
	like "$(e2e_header "$f" List-Subscribe)" '<mailto:[^>]+>' \
		"$m: List-Subscribe"
	is "$(e2e_header "$f" Precedence)" list "$m: Precedence: list"
	decoded=$(e2e_header "$f" Subject | python3 -c '
import sys
from email.header import decode_header, make_header
print(str(make_header(decode_header(sys.stdin.read().strip()))))')
	is "$decoded" "$tag $subject" "$m: subject carries the tag"
	is "$(e2e_body "$f" | tr -d '\r' | grep -c 'plans for week 12')" 1 \
		"$m: body is there"
done

mapfile -t archived < <(e2e_archive_files "$list")
is "${#archived[@]}" 1 "the archive of $list holds one post"
if [ "${#archived[@]}" -ge 1 ]; then
	got=$(e2e_body "${archived[0]}" | tr -d '\r')
	if [ "$got" = "$body" ]; then
		ok "archived body equals the body sent"
	else
		not_ok "archived body equals the body sent" \
			"$(diff <(printf '%s\n' "$body") <(printf '%s\n' "$got"))"
	fi
	like "$(e2e_header "${archived[0]}" Subject)" "$subject" \
		"archived copy keeps the original subject"
fi

e2e_done

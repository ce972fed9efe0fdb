#!/bin/bash
# The teacher registry through the CLI: "metodist import --subscribe" of
# a windows-1251, semicolon-separated file (tests/data/registry) against
# the private config.  Bad rows are reported on stderr as FILE:LINE, the
# good teachers become members of their subject's list and get one
# welcome each, and importing the file again changes and sends nothing.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

e2e_init || e2e_bail "metodist init failed"
csv=$E2E_TMP/teachers-cp1251.csv
cp "$E2E_SRCDIR/tests/data/registry/teachers-cp1251.csv" "$csv" &&
	chmod 644 "$csv" || e2e_bail "cannot copy the fixture"

# the good teachers of the fixture and the lists their subjects map to
members="math a.sokolova@school5.example.org
math n.orlova@school4.example.org
physics i.belov@school12.example.org
russian o.kuznetsova@lyceum3.example.org
primary e.vasilyeva@school9.example.org
foreign-languages t.nikitina@school21.example.org
informatics a.fedorov@school14.example.org
biology m.golubeva@school1.example.org
phys-ed s.lebedev@school33.example.org
geography p.zaytsev@school6.example.org"

# run_import ARGS...: sets rc, out (stdout) and err (stderr)
run_import() {
	out=$(e2e_metodist import "$@" 2>"$E2E_TMP/import.err")
	rc=$?
	err=$(cat "$E2E_TMP/import.err")
}

# bad_lines: the line numbers stderr reports for the fixture, in order
bad_lines() {
	printf '%s\n' "$err" | sed -n "s|^$csv:\([0-9]*\): .*|\1|p" |
		tr '\n' ' ' | sed 's/ $//'
}

# member_of LIST ADDRESS: 1 when ADDRESS is on LIST, else 0
member_of() {
	e2e_metodist members list "$1" 2>/dev/null | cut -f1 | grep -cxF "$2"
}

# --- the first import -----------------------------------------------------
run_import --subscribe "$csv"
is "$rc" 0 "import: exit 0 despite bad rows"
[ "$rc" -eq 0 ] || e2e_diag "stderr: $err"
is "$(bad_lines)" "5 8 13" "import: the 3 bad rows reported with their lines"
is "$(printf '%s\n' "$err" | grep -c .)" 3 "import: nothing else on stderr"
like "$(printf '%s\n' "$err" | grep ":5: ")" "d\.morozov\.example\.org" \
	"import: line 5 names the bad address"
like "$out" "строк: 13, добавлено: 10, .*с ошибками: 3, подписано: 10" \
	"import: the summary counts 13 rows, 10 added, 3 bad, 10 subscribed"

while read -r list addr; do
	is "$(member_of "$list" "$addr")" 1 "$addr is a member of $list"
	is "$(e2e_outbox_count_for "$addr")" 1 "$addr got one welcome"
done <<<"$members"
is "$(member_of chemistry n.popov@school2.example.org)" 0 \
	"the row without a name subscribed no one"
is "$(e2e_metodist members list history | grep -c .)" 0 \
	"the row with a bad address subscribed no one"
is "$(e2e_outbox_count)" 10 "ten welcome notices in the outbox, no more"

f=$(e2e_outbox_for a.fedorov@school14.example.org | sed -n 1p)
if [ -n "$f" ]; then
	is "$(e2e_header "$f" Auto-Submitted)" auto-replied \
		"welcome: Auto-Submitted: auto-replied"
	like "$(e2e_body "$f")" "Здравствуйте, Фёдоров Алексей Павлович!" \
		"welcome: the windows-1251 name arrives as UTF-8"
	like "$(e2e_body "$f")" "informatics@$E2E_DOMAIN" \
		"welcome: names the list's address"
else
	not_ok "welcome for a.fedorov@school14.example.org" \
		"$(e2e_outbox_summary)"
fi

# --- the same file again ----------------------------------------------------
run_import --subscribe "$csv"
is "$rc" 0 "re-import: exit 0"
like "$out" "добавлено: 0, обновлено: 0, без изменений: 10, с ошибками: 3, подписано: 0" \
	"re-import: every good row unchanged, nobody subscribed"
is "$(bad_lines)" "5 8 13" "re-import: the same bad rows reported"
is "$(e2e_outbox_count)" 10 "re-import: nothing new in the outbox"
is "$(e2e_metodist members list math | grep -c .)" 2 \
	"re-import: math still has two members"

# --- invitations: a plain reply accepts ------------------------------------
csv2=$E2E_TMP/teachers-utf8.csv
cp "$E2E_SRCDIR/tests/data/registry/teachers-utf8.csv" "$csv2" && chmod 644 "$csv2"
e2e_outbox_clear
run_import --invite "$csv2"
is "$rc" 0 "invite import: exit 0"
inv=i.kovaleva@school16.example.net
f=$(e2e_outbox_for "$inv" | sed -n 1p)
rt=$(e2e_addr "$(e2e_header "$f" Reply-To)")
like "$rt" "^chemistry\+confirm-[0-9a-f]{32}@$E2E_DOMAIN\$" \
	"invitation: Reply-To is the list's confirm address with a token"
is "$(member_of chemistry "$inv")" 0 "invitation: not a member before replying"
e2e_outbox_clear
printf 'From: %s\nTo: %s\nSubject: Re: %s\nMessage-ID: <inv-%s@school16.example.net>\n\nДа, хочу участвовать.\n\n> приглашение\n' \
	"$inv" "$rt" "$(e2e_header "$f" Subject)" "$$" >"$E2E_TMP/reply"
chmod 644 "$E2E_TMP/reply"
runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" deliver -f "$inv" "$rt" \
	<"$E2E_TMP/reply" >/dev/null 2>&1
is "$?" 0 "invitation reply: deliver exits 0"
is "$(member_of chemistry "$inv")" 1 "invitation accepted by a plain reply: a member now"
is "$(e2e_outbox_count_for "$inv")" 1 "invitation accepted: one welcome"

# --- usage ---------------------------------------------------------------
run_import --subscribe --invite "$csv"
is "$rc" 64 "--subscribe with --invite: exit 64 (EX_USAGE)"
run_import "$E2E_TMP/no-such.csv"
is "$rc" 66 "a missing file: exit 66 (EX_NOINPUT)"

e2e_done

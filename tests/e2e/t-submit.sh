#!/bin/bash
# Methodological developments through Postfix, driven by swaks: a teacher
# submits a DOCX named in windows-1251 (RFC 2231) and a PDF to L+submit@D
# and gets a receipt with the number; the list's first reviewer finds both
# files in the inbox byte for byte, with their names decoded, and Reply-To
# L+review-TOKEN@D; a top-posted "на доработку" reply with a quotation
# reaches the author as the comments only; the author's reply with a new
# file is version 2 and goes to the same reviewer; "approve" below a
# quotation publishes it: every member gets the announcement with the
# files attached, byte for byte, and it is archived; `metodist
# submissions` counts it by level, and `metodist material level` moves it.
# Each of these is answered clearly and stores nothing: a file named
# ../../etc/passwd, a 0-byte file, a file over the list's limit, a message
# without files, a forged review token, and a decision from someone who is
# not the assigned reviewer.  Status by mail lists the author's
# submissions.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=math
conf=$(e2e_list_conf "$list")
[ -f "$conf" ] || e2e_bail "no list $list"
rev1=$(e2e_list_key "$list" reviewers | tr ',' '\n' | sed -n 1p | tr -d ' ')
rev2=$(e2e_list_key "$list" reviewers | tr ',' '\n' | sed -n 2p | tr -d ' ')
[ -n "$rev1" ] && [ -n "$rev2" ] || e2e_bail "list $list needs two reviewers"
# a small per-file limit, so that "too large" needs no huge message
sed -i 's/^submit_max_file.*/submit_max_file = 200000/' "$conf"
grep -q '^submit_max_file = 200000' "$conf" ||
	printf 'submit_max_file = 200000\n' >>"$conf"
db=$E2E_VAR/metodist.db
py=$E2E_LIB_DIR/submission.py
sql() { runuser -u "$E2E_USER" -- sqlite3 "$db" "$1"; }

e2e_init || e2e_bail "metodist init failed"
author=anna.ivanova@school5.example.com
m2=pavel.smirnov@school6.example.com
e2e_member_add "$list" "$author" "Анна Иванова"
e2e_member_add "$list" "$m2" "Павел Смирнов"
# the registry knows the author's school and municipality
printf 'Full name,E-mail,School,Municipality,Subject\nИванова Анна Петровна,%s,МАОУ СОШ № 5,Каменск-Уральский,Математика\n' \
	"$author" >"$E2E_TMP/registry.csv"
chmod 644 "$E2E_TMP/registry.csv"
e2e_metodist import "$E2E_TMP/registry.csv" >/dev/null 2>&1 ||
	e2e_bail "cannot import the registry"
e2e_postfix_start || e2e_bail "private Postfix did not start"

f=$E2E_TMP/files
mkdir -p "$f"
python3 "$py" docx "$f/plan.docx" "План урока, версия 1" &&
	python3 "$py" pdf "$f/slides.pdf" "Презентация" &&
	python3 "$py" docx "$f/plan2.docx" "План урока, версия 2" ||
	e2e_bail "cannot make the documents"
docx_name='План урока «Дроби».docx'
pdf_name='Приложение 1.pdf'
sha() { sha256sum "$1" | cut -d' ' -f1; }
expect1=$(printf '%s\t%s\n%s\t%s' "$(sha "$f/plan.docx")" "$docx_name" \
	"$(sha "$f/slides.pdf")" "$pdf_name")
expect2=$(printf '%s\t%s' "$(sha "$f/plan2.docx")" "$docx_name")

msg=$E2E_TMP/msg
n_msg=0
# send FROM TO: $msg through Postfix; rc 0 when the pipe said status=sent
send() {
	n_msg=$((n_msg + 1))
	e2e_mta_deliver "$1" "$2" "$msg"
	rc=$?
}
# submit FROM SUBJECT BODY SPEC...: a message with files to L+submit@D
submit() {
	local from=$1 subject=$2 body=$3
	shift 3
	python3 "$py" message "$msg" "$from" "$list+submit@$E2E_DOMAIN" \
		"$subject" "$body" "$@" || e2e_bail "cannot make a message"
	send "$from" "$list+submit@$E2E_DOMAIN"
}
# reply ENVELOPE FROM TO SUBJECT BODY: a plain reply
reply() {
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <r%s.%s@imc.example.org>\nContent-Type: text/plain; charset=utf-8\n\n%b' \
		"$2" "$3" "$4" "$RANDOM" "$n_msg" "$5" >"$msg"
	send "$1" "$3"
}
only() { e2e_outbox_for "$1" | sed -n 1p; }
body_of() { e2e_body "$1" | tr -d '\r'; }

# --- submission: receipt and the reviewer's letter -------------------------
e2e_outbox_clear
submit "Анна Иванова <$author>" "План урока «Дроби»" \
	"Урок для 5 класса: обыкновенные дроби, игровые задания." \
	"$f/plan.docx:$docx_name:windows-1251" "$f/slides.pdf:$pdf_name:utf-8"
is "$rc" 0 "submission: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$author")" 1 "submission: the author gets a receipt"
r=$(only "$author")
code=$(body_of "$r" | grep -o 'М-[0-9]\{4\}-[0-9]\{4\}' | sed -n 1p)
like "$code" "^М-$(date +%Y)-[0-9]{4}\$" "the receipt carries the number ($code)"
like "$(body_of "$r")" 'Дроби' "the receipt names the development"
like "$(body_of "$r")" 'эксперт' "the receipt says what happens next"
like "$(e2e_header "$r" Auto-Submitted)" 'auto-replied' "the receipt is an auto-reply"
is "$(e2e_outbox_count_for "$rev1")" 1 "the first reviewer gets the submission"
is "$(e2e_outbox_count_for "$rev2")" 0 "one decision needed: one reviewer only"
is "$(e2e_outbox_count_for "$m2")" 0 "nothing goes to the list yet"
l1=$(only "$rev1")
like "$(e2e_header "$l1" Reply-To)" "^$list\\+review-[0-9a-f]{32}@$E2E_DOMAIN\$" \
	"reviewer's letter: Reply-To L+review-TOKEN@D"
tok1=$(e2e_header "$l1" Reply-To | sed -n "s/.*+review-\([0-9a-f]*\)@.*/\1/p")
like "$(body_of "$l1")" 'обыкновенные дроби' "reviewer's letter: the description"
like "$(body_of "$l1")" "$author" "reviewer's letter: the author"
like "$(body_of "$l1")" 'МАОУ СОШ № 5, Каменск-Уральский' \
	"reviewer's letter: school and municipality from the registry"
like "$(body_of "$l1")" 'на доработку' "reviewer's letter: the decision words"
is "$(python3 "$py" files "$l1")" "$expect1" \
	"reviewer's inbox: both files byte-identical, names decoded"
is "$(sql "SELECT count(*) FROM submission_files")" 2 "two files recorded"
unlike "$(ls "$E2E_VAR/submissions")" 'План|\.\./|passwd' \
	"stored under generated names"

# --- revise, top-posted with a quotation -----------------------------------
e2e_outbox_clear
quote="\n\nпт, 27 нояб. 2026 г. в 10:00, МО учителей математики <$list-request@$E2E_DOMAIN>:\n> Здравствуйте!\n> одобрено        разработка будет опубликована\n> отклонено       автор получит ваш отзыв\n"
reply "$rev1" "Эксперт <$rev1>" "$list+review-$tok1@$E2E_DOMAIN" \
	"Re: Экспертиза разработки $code" \
	"На доработку: добавьте критерии оценивания.\nИ уточните цели урока.$quote"
is "$rc" 0 "revise reply: deliver exits 0"
is "$(e2e_outbox_count_for "$author")" 1 "the author is told the decision"
r=$(only "$author")
like "$(body_of "$r")" 'на доработку' "the author's letter: returned for revision"
like "$(body_of "$r")" 'добавьте критерии оценивания\.' "the author's letter: the comment"
like "$(body_of "$r")" 'уточните цели урока' "the author's letter: the whole comment"
unlike "$(body_of "$r")" 'автор получит ваш отзыв|написал|'"$rev1" \
	"the quotation and the reviewer's address are left out"
like "$(e2e_header "$r" Reply-To)" "^$list\\+submit@$E2E_DOMAIN\$" \
	"a plain reply sends the new version"
is "$(e2e_outbox_count_for "$rev1")" 1 "the reviewer gets a confirmation"
is "$(e2e_outbox_count_for "$m2")" 0 "revise: nothing to the list"
is "$(sql "SELECT state FROM submissions")" revise "state: revise"

# --- version 2 back to the same reviewer ---------------------------------------
e2e_outbox_clear
submit "Анна Иванова <$author>" "Re: $code: разработка возвращена на доработку" \
	"Исправленная версия во вложении." "$f/plan2.docx:$docx_name:windows-1251"
is "$rc" 0 "version 2: deliver exits 0"
r=$(only "$author")
like "$(body_of "$r")" "$code" "version 2: the receipt keeps the number"
like "$(body_of "$r")" 'Версия: +2' "version 2: the receipt says version 2"
is "$(e2e_outbox_count_for "$rev1")" 1 "version 2 goes to the same reviewer"
is "$(e2e_outbox_count_for "$rev2")" 0 "... and to no one else"
l2=$(only "$rev1")
tok2=$(e2e_header "$l2" Reply-To | sed -n "s/.*+review-\([0-9a-f]*\)@.*/\1/p")
check "version 2 has a new review token" test -n "$tok2" -a "$tok2" != "$tok1"
is "$(python3 "$py" files "$l2")" "$expect2" "version 2's file reaches the reviewer byte-identical"
is "$(sql "SELECT version || ' ' || state FROM submissions")" "2 review" \
	"one submission, version 2, under review"

# --- the old token is spent ---------------------------------------------------
e2e_outbox_clear
reply "$rev1" "$rev1" "$list+review-$tok1@$E2E_DOMAIN" "Re: x" "Одобрено"
like "$(body_of "$(only "$rev1")")" 'уже принято' "the first version's token is spent"
is "$(e2e_outbox_count_for "$m2")" 0 "... and publishes nothing"

# --- a decision from someone else ---------------------------------------------
e2e_outbox_clear
reply "$m2" "$m2" "$list+review-$tok2@$E2E_DOMAIN" "Re: x" "Одобрено$quote"
is "$rc" 0 "non-reviewer decision: deliver exits 0"
like "$(body_of "$(only "$m2")")" 'только эксперт' "non-reviewer: told only the assigned reviewer decides"
reply "$rev2" "$rev2" "$list+review-$tok2@$E2E_DOMAIN" "Re: x" "Одобрено"
like "$(body_of "$(only "$rev2")")" 'только эксперт' "another reviewer of the list: refused too"
reply "$m2" "$rev1" "$list+review-$tok2@$E2E_DOMAIN" "Re: x" "Одобрено"
is "$(e2e_outbox_count_for "$rev1")" 0 "From forged as the reviewer: no answer to the header address"
is "$(sql "SELECT state FROM submissions")" review "refused decisions change nothing"

# --- a forged token -------------------------------------------------------------
e2e_outbox_clear
reply "$rev1" "$rev1" "$list+review-0123456789abcdef0123456789abcdef@$E2E_DOMAIN" "Re: x" "Одобрено"
is "$rc" 0 "forged token: deliver exits 0"
like "$(body_of "$(only "$rev1")")" 'не относится ни к одной разработке' "forged token: answered clearly"

# --- approve, bottom-posted in English -----------------------------------------
e2e_outbox_clear
reply "$rev1" "$rev1" "$list+review-$tok2@$E2E_DOMAIN" "Re: Review" \
	"On Fri, 27 Nov 2026, Gateway <$list-request@$E2E_DOMAIN> wrote:\n> revise\n\nApprove. Well done.\n\n-- \nExpert\n"
is "$rc" 0 "approve reply: deliver exits 0"
is "$(sql "SELECT state || ' ' || level FROM submissions")" "approved municipal" \
	"approved, municipal level"
is "$(e2e_outbox_count_for "$m2")" 1 "a member gets the announcement"
a=$(only "$m2")
like "$(e2e_header "$a" List-Id)" "<$list.$E2E_DOMAIN>" "the announcement is a list post"
like "$(e2e_header "$a" Subject)" '=\?' "the announcement's Subject is encoded"
like "$(body_of "$a")" "$code" "the announcement names the development"
is "$(python3 "$py" files "$a")" "$expect2" "members get the approved file byte-identical"
r=$(e2e_outbox_for "$author" | while read -r x; do
	e2e_header "$x" List-Id | grep -q . || printf '%s\n' "$x"; done | sed -n 1p)
like "$(body_of "$r")" 'одобрена' "the author is told it was approved"
is "$(python3 "$py" files "$(e2e_outbox_for "$author" | while read -r x; do
	e2e_header "$x" List-Id | grep -q . && printf '%s\n' "$x"; done | sed -n 1p)")" \
	"$expect2" "the author, a member, gets the announcement too"
is "$(e2e_archive_files "$list" | grep -c .)" 1 "the announcement is archived"
is "$(sql "SELECT count(*) FROM submissions s JOIN posts p ON p.id = s.post_id")" 1 \
	"submissions.post_id names the archived post"

# --- submissions on the command line -------------------------------------------
out=$(e2e_metodist submissions)
like "$out" "$code	$list	approved	municipal	v2	$author" "metodist submissions lists it"
like "$out" "$list	1	0	0" "counted at the municipal level"
out=$(e2e_metodist material level "$code" regional)
is "$?" 0 "metodist material level ... regional"
out=$(e2e_metodist submissions --list "$list" --state approved)
like "$out" "$list	0	1	0" "counted at the regional level"
like "$out" "total	0	1	0" "the total by level"
is "$(sql "SELECT count(*) FROM submission_levels")" 2 "the level history has both"

# --- status by mail -------------------------------------------------------------
e2e_outbox_clear
reply "$author" "$author" "$list-request@$E2E_DOMAIN" "статус" ""
like "$(body_of "$(only "$author")")" "$code" "status by mail lists the author's submission"
like "$(body_of "$(only "$author")")" 'одобрена' "... and its state"
e2e_outbox_clear
reply "$m2" "$m2" "$list-request@$E2E_DOMAIN" "помощь" ""
like "$(body_of "$(only "$m2")")" "$list\\+submit@$E2E_DOMAIN" "help names the submission address"
like "$(body_of "$(only "$m2")")" 'статус' "help lists the status command"

# --- above submit_attach_max: listed, and fetched with "файл" -------------------
sed -i 's/^submit_attach_max.*/submit_attach_max = 300/' "$conf"
e2e_outbox_clear
submit "Анна Иванова <$author>" "Контрольная работа" "Два варианта." \
	"$f/plan.docx:Контрольная.docx:utf-8" "$f/slides.pdf:Ответы.pdf:utf-8"
code2=$(body_of "$(only "$author")" | grep -o 'М-[0-9]\{4\}-[0-9]\{4\}' | sed -n 1p)
[ -n "$code2" ] && [ "$code2" != "$code" ]
is "$?" 0 "a second development gets the next number ($code2)"
is "$(e2e_outbox_count_for "$rev1")" 0 "round-robin: not the last reviewer again"
is "$(e2e_outbox_count_for "$rev2")" 1 "round-robin: the next reviewer"
l3=$(only "$rev2")
tok3=$(e2e_header "$l3" Reply-To | sed -n "s/.*+review-\([0-9a-f]*\)@.*/\1/p")
is "$(python3 "$py" files "$l3")" "" "above the attach limit: nothing attached"
like "$(body_of "$l3")" 'Контрольная\.docx \(441 байт\)' "the files are listed with their sizes"
like "$(body_of "$l3")" "файл $code2" "... and the command that fetches them"
e2e_outbox_clear
reply "$rev2" "$rev2" "$list-request@$E2E_DOMAIN" "файл $code2" ""
is "$rc" 0 "file command: deliver exits 0"
got=$(e2e_outbox_for "$rev2" | while read -r x; do python3 "$py" files "$x"; done | sort)
is "$got" "$(printf '%s\t%s\n%s\t%s' "$(sha "$f/plan.docx")" 'Контрольная.docx' \
	"$(sha "$f/slides.pdf")" 'Ответы.pdf' | sort)" \
	"file command: each file in a letter of its own, byte-identical"
e2e_outbox_clear
reply "$m2" "$m2" "$list-request@$E2E_DOMAIN" "файл $code2" ""
like "$(body_of "$(only "$m2")")" 'доступны её автору' "file command: refused to a member before approval"
is "$(e2e_outbox_for "$m2" | while read -r x; do python3 "$py" files "$x"; done)" "" \
	"... with no file in it"
sed -i 's/^submit_attach_max.*/submit_attach_max = 10485760/' "$conf"

# --- no answer: reminded once after 7 days, reassigned after 14 (metodist run) ---
subject_of() {
	python3 -c 'import sys, email.header as h
print(str(h.make_header(h.decode_header(sys.argv[1]))))' "$(e2e_header "$1" Subject)"
}
age() { sql "UPDATE review_assignments SET assigned = strftime('%s', 'now') - $1 * 86400 WHERE token = '$tok3'"; }
e2e_outbox_clear
age 6
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count_for "$rev2")" 0 "6 days without an answer: nothing yet"
age 8
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count_for "$rev2")" 1 "8 days without an answer: the reviewer is reminded"
like "$(subject_of "$(only "$rev2")")" "^Напоминание: .*$code2" "the reminder says so in the Subject"
like "$(e2e_header "$(only "$rev2")" Reply-To)" "$tok3" "the reminder carries the same token"
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count_for "$rev2")" 1 "reminded once only"
e2e_outbox_clear
age 15
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count_for "$rev1")" 1 "15 days: handed to the next reviewer"
is "$(sql "SELECT state FROM review_assignments WHERE token = '$tok3'")" reassigned \
	"the first assignment is recorded as reassigned"
reply "$rev2" "$rev2" "$list+review-$tok3@$E2E_DOMAIN" "Re: x" "Одобрено"
like "$(body_of "$(only "$rev2")")" 'передана другому эксперту' "a late answer is told it was passed on"
is "$(sql "SELECT state FROM submissions WHERE code = '$code2'")" review "... and decides nothing"

# --- two decisions needed: both reviewers, published on the second approval -------
plist=physics
pconf=$(e2e_list_conf "$plist")
pcoord=$(e2e_list_coordinator "$plist")
p1=$(e2e_list_key "$plist" reviewers | tr ',' '\n' | sed -n 1p | tr -d ' ')
p2=$(e2e_list_key "$plist" reviewers | tr ',' '\n' | sed -n 2p | tr -d ' ')
printf 'review_decisions = 2\n' >>"$pconf"
e2e_member_add "$plist" "$m2" "Павел Смирнов"
e2e_member_add "$plist" "$author" "Анна Иванова"
e2e_outbox_clear
python3 "$py" message "$msg" "$author" "$plist+submit@$E2E_DOMAIN" \
	"Лабораторная работа" "Измерение ускорения." "$f/slides.pdf:Лабораторная.pdf:koi8-r" ||
	e2e_bail "cannot make a message"
send "$author" "$plist+submit@$E2E_DOMAIN"
is "$(e2e_outbox_count_for "$p1")/$(e2e_outbox_count_for "$p2")" 1/1 \
	"two decisions needed: both reviewers get it"
is "$(python3 "$py" files "$(only "$p2")")" \
	"$(printf '%s\t%s' "$(sha "$f/slides.pdf")" 'Лабораторная.pdf')" \
	"a koi8-r name reaches the reviewer decoded, the file byte-identical"
pt1=$(e2e_header "$(only "$p1")" Reply-To | sed -n "s/.*+review-\([0-9a-f]*\)@.*/\1/p")
pt2=$(e2e_header "$(only "$p2")" Reply-To | sed -n "s/.*+review-\([0-9a-f]*\)@.*/\1/p")
e2e_outbox_clear
reply "$p1" "$p1" "$plist+review-$pt1@$E2E_DOMAIN" "Re: x" "одобрено"
is "$(e2e_outbox_count_for "$m2")" 0 "one approval of two: not published yet"
like "$(body_of "$(only "$p1")")" 'ждёт решений' "the first reviewer is told it waits for the others"
is "$(e2e_outbox_count_for "$author")" 0 "one approval of two: the author is not told yet"
e2e_outbox_clear
reply "$pcoord" "$pcoord" "$plist-request@$E2E_DOMAIN" "статус" ""
like "$(body_of "$(only "$pcoord")")" 'Лабораторная работа' "a coordinator's status shows the list's submissions"
e2e_outbox_clear
reply "$p2" "$p2" "$plist+review-$pt2@$E2E_DOMAIN" "Re: x" "Approved"
is "$(e2e_outbox_count_for "$m2")" 1 "the second approval publishes it"
is "$(sql "SELECT state FROM submissions WHERE list_id = (SELECT id FROM lists WHERE name = '$plist')")" \
	approved "two approvals: approved"

# --- hostile input: each answered, nothing stored -------------------------------
nfiles=$(find "$E2E_VAR/submissions" -type f | grep -c .)
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$f/passwd"
: >"$f/empty.pdf"
head -c 250000 /dev/urandom >"$f/big.bin"
python3 - "$f/big.docx" "$f/big.bin" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    z.writestr("word/document.xml", open(sys.argv[2], "rb").read())
PY
hostile() { # NAME SPEC EXPECTED-WORDS
	e2e_outbox_clear
	submit "$author" "$1" "Проверка." "$2"
	is "$rc" 0 "$1: deliver exits 0"
	is "$(e2e_outbox_count_for "$rev1")" 0 "$1: nothing to the reviewer"
	like "$(body_of "$(only "$author")")" "$3" "$1: the reply says why"
}
hostile "passwd" "$f/passwd:../../etc/passwd:us-ascii" 'тип файла не принимается'
unlike "$(body_of "$(only "$author")")" '\.\./|/etc' "the name is shown without path"
hostile "пустой" "$f/empty.pdf:empty.pdf:utf-8" 'пустой файл'
hostile "большой" "$f/big.docx:big.docx:utf-8" 'больше допустимого размера'
hostile "подделка" "$f/slides.pdf:slides.docx:utf-8" 'не соответствует'
e2e_outbox_clear
reply "$author" "$author" "$list+submit@$E2E_DOMAIN" "Без файлов" "Забыла приложить."
like "$(body_of "$(only "$author")")" 'не приложено ни одного файла' "no attachment: the reply says why"
like "$(body_of "$(only "$author")")" "$list\\+submit@$E2E_DOMAIN" "... and where to send the files"
e2e_outbox_clear
stranger=stranger@elsewhere.example.net
python3 "$py" message "$msg" "$stranger" "$list+submit@$E2E_DOMAIN" "Реклама" \
	"Купите курс." "$f/slides.pdf:Курс.pdf:utf-8" || e2e_bail "cannot make a message"
send "$stranger" "$list+submit@$E2E_DOMAIN"
like "$(body_of "$(only "$stranger")")" "участники.*$list\\+subscribe@" \
	"a non-member is told that members submit, and how to join"
is "$(e2e_outbox_count_for "$rev1")/$(e2e_outbox_count_for "$rev2")" 0/0 \
	"a non-member's files reach no reviewer"
is "$(find "$E2E_VAR/submissions" -type f | grep -c .)" "$nfiles" "hostile input stored no file"
is "$(sql "SELECT count(*) FROM submissions")" 3 "hostile input made no submission"
check "no file was written by the attachment's name" \
	test ! -e "$E2E_TMP/etc/passwd" -a ! -e "$E2E_VAR/etc/passwd"

# --- the MTA path ----------------------------------------------------------------
is "$(e2e_pipe_results | grep -c 'status=sent')" "$n_msg" \
	"Postfix piped all $n_msg letters to metodist, each with status=sent"

e2e_done

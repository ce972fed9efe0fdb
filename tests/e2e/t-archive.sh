#!/bin/bash
# The archive through Postfix (SMTP to the private instance, whose pipe
# transport runs "metodist deliver"): each post is rendered at once into
# the static HTML archive (its page, its thread, its month, the list page,
# the Atom feed), a hostile Subject shows as text, members' addresses are
# masked; a post with a Cyrillic-named attachment renders in headless
# Chromium and its link gives back the same bytes; by email, "найти"
# finds other word forms, "получить N-M" sends a digest, "ветка N" the
# thread, "оглавление" the index; a private list's archive is refused to
# a stranger; the archive requests per day are limited; the search CGI
# answers a form's query.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members"
priv=$(e2e_lists_with members | grep -vx "$list" | sed -n 1p)
[ -n "$priv" ] || e2e_bail "no second list with policy = members"
D=$E2E_DOMAIN
html=$E2E_VAR/html
m1=olga.petrova@school5.example.com
m2=pavel.smirnov@school6.example.com
stranger=petr.ivanov@school22.example.com

# the private list, and a small daily allowance of archive requests
printf 'archive = private\n' >>"$(e2e_list_conf "$priv")"
if grep -q '^requests_per_day *=' "$E2E_CONF"; then
	sed -i 's/^requests_per_day *=.*/requests_per_day = 7/' "$E2E_CONF"
else
	printf '\n[archive]\nrequests_per_day = 7\n' >>"$E2E_CONF"
fi

e2e_init || e2e_bail "metodist init failed"
e2e_member_add "$list" "$m1" "Ольга Петрова"
e2e_member_add "$list" "$m2" "Павел Смирнов"
e2e_member_add "$priv" "$m1" "Ольга Петрова"
e2e_postfix_start || e2e_bail "private Postfix did not start"

msg=$E2E_TMP/msg
n_msg=0
# mail FROM TO SUBJECT BODY [IN-REPLY-TO]: one plain letter through Postfix
mail() {
	n_msg=$((n_msg + 1))
	{
		printf 'From: %s\nTo: %s\nSubject: %s\n' "$1" "$2" "$3"
		printf 'Date: %s\n' "$(date -R)"
		printf 'Message-ID: <arch-%d.%s@school5.example.com>\n' \
			"$n_msg" "$$"
		[ -z "${5:-}" ] || printf 'In-Reply-To: <%s>\nReferences: <%s>\n' \
			"$5" "$5"
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n'
		printf 'Content-Transfer-Encoding: 8bit\n\n%s\n' "$4"
	} >"$msg"
	e2e_mta_deliver "$1" "$2" "$msg"
}

# summary FROM COMMANDS: send COMMANDS to L-request, print the answer's body
summary() {
	local f
	e2e_outbox_clear
	mail "$1" "${3:-$list}-request@$D" "" "$2" ||
		{ echo "(not delivered)"; return; }
	f=$(e2e_outbox_for "$1" | tail -n 1)
	[ -n "$f" ] && e2e_body "$f"
}

# --- posts are rendered as they arrive ------------------------------------
mail "$m1" "$list@$D" "Уроки геометрии в 7 классе" \
	"Коллеги, как вы планируете уроки геометрии? Пишите на $m1."
is "$?" 0 "post 1 delivered"
check "post page 1 written" test -s "$html/$list/p/1.html"
check "list page written" test -s "$html/$list/index.html"
check "Atom feed written" test -s "$html/$list/atom.xml"
mail "$m2" "$list@$D" "Re: [Математика] Уроки геометрии в 7 классе" \
	"$(printf 'Ставлю два урока в неделю.\n\n> Коллеги, как вы планируете уроки?\n')" \
	"arch-1.$$@school5.example.com"
is "$?" 0 "reply delivered"
check "the reply is in thread 1" grep -q 'Ставлю два урока' \
	"$html/$list/t/1.html"
like "$(grep -c '<article' "$html/$list/t/1.html")" '^2$' \
	"thread page holds both posts"
check "quoted text folded" grep -q '<details class="quote">' \
	"$html/$list/p/2.html"
unlike "$(cat "$html/$list/p/1.html")" "$m1" "the author's address is masked"
like "$(cat "$html/$list/p/1.html")" 'olga.petrova@sc…' \
	"the masked address keeps the local part"
# a client that broke References: same subject with Ответ: joins the thread
mail "$m1" "$list@$D" "Ответ: Уроки геометрии в 7 классе" "А я три урока."
check "subject fallback: Ответ: joins thread 1" grep -q 'А я три урока' \
	"$html/$list/t/1.html"

hostile='<script>alert("x")</script><img src=x onerror=alert(1)> & урок'
mail "$m2" "$list@$D" "$hostile" "$(printf '</pre><script>alert(2)</script>\n<b>жирный</b>')"
is "$?" 0 "hostile post delivered"
pages=$(cat "$html/$list"/p/*.html "$html/$list"/t/*.html \
	"$html/$list"/index.html "$html/$list"/m/*.html)
unlike "$pages" '<script' "no page carries a script element"
unlike "$pages" '<img' "no page carries an injected element"
like "$(cat "$html/$list/p/4.html")" '&lt;script&gt;alert\(&quot;x&quot;\)' \
	"the hostile subject shows as text"
like "$(head -c 200 "$html/$list/p/4.html")" '<html lang="ru">' \
	"pages are HTML5 in Russian"

# --- a Cyrillic attachment ------------------------------------------------
att=$E2E_TMP/att.bin
head -c 3000 /dev/urandom >"$att"
b64=$(base64 -w 76 "$att")
{
	printf 'From: %s\nTo: %s@%s\nSubject: Разработка урока\n' "$m1" "$list" "$D"
	printf 'Date: %s\nMessage-ID: <arch-att.%s@school5.example.com>\n' \
		"$(date -R)" "$$"
	printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n'
	printf -- '--b1\nContent-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\nРазработка во вложении.\n'
	printf -- '--b1\nContent-Type: application/octet-stream\n'
	printf 'Content-Disposition: attachment;\n'
	printf " filename*=UTF-8''%%D0%%9F%%D0%%BB%%D0%%B0%%D0%%BD%%20%%D1%%83%%D1%%80%%D0%%BE%%D0%%BA%%D0%%B0.docx\n"
	printf 'Content-Transfer-Encoding: base64\n\n%s\n--b1--\n' "$b64"
} >"$msg"
e2e_mta_deliver "$m1" "$list@$D" "$msg"
is "$?" 0 "post with an attachment delivered"
pf=$html/$list/p/5.html
check "the attachment is stored under its Cyrillic name" \
	cmp "$att" "$html/$list/a/5/1/План урока.docx"

# --- the browser --------------------------------------------------------
shot() {	# shot PAGE NAME: 0 drew, 77 no chromium, else failed
	"$E2E_SRCDIR/tests/browser/shot.sh" "$1" "$E2E_TMP/$2.png" 390,900 \
		>"$E2E_TMP/$2.log" 2>&1
}
shot "$html/$list/t/1.html" thread
rc=$?
if [ "$rc" -eq 77 ]; then
	ok "# SKIP thread page in Chromium: no chromium"
	ok "# SKIP post page in Chromium: no chromium"
	ok "# SKIP attachment link in Chromium: no chromium"
else
	is "$rc" 0 "the thread page renders in Chromium"
	shot "$pf" post
	is "$?" 0 "the post with the Cyrillic attachment renders in Chromium"
	href=$(grep -o 'href="[^"]*a/5/1/[^"]*"' "$E2E_TMP/post.dom.html" |
		sed 's/^href="//; s/"$//' | sed -n 1p)
	file=$(python3 -c 'import sys, urllib.parse, os
h = sys.argv[1]
if h.startswith("file://"): print(urllib.parse.unquote(h[7:]))
else: print(os.path.normpath(os.path.join(os.path.dirname(sys.argv[2]), urllib.parse.unquote(h))))' "$href" "$pf")
	if [ -n "$href" ] && cmp -s "$att" "$file"; then
		ok "the attachment link in the DOM gives the same bytes"
	else
		not_ok "the attachment link in the DOM gives the same bytes" \
			"href=$href file=$file"
	fi
fi

# --- by email ---------------------------------------------------------------
out=$(summary "$m2" "найти уроками")
like "$out" 'Уроки геометрии' "найти: another word form finds the post"
like "$out" '^ +1  ' "найти: gives the post's number"
out=$(summary "$m2" "получить 1-2")
like "$out" 'как вы планируете уроки геометрии' "получить 1-2: post 1"
like "$out" 'Ставлю два урока' "получить 1-2: post 2 in the same digest"
out=$(summary "$m2" "ветка 2")
like "$out" 'А я три урока' "ветка 2: the whole thread"
out=$(summary "$m2" "оглавление")
like "$out" 'Разработка урока' "оглавление: the latest posts"
like "$out" "$(date +%Y-%m): 5" "оглавление: posts per month"

# private list: a post by a member, then a stranger asks
mail "$m1" "$priv@$D" "Закрытое обсуждение" "Секретный текст."
is "$?" 0 "post to the private list delivered"
out=$(summary "$stranger" "получить 1" "$priv")
like "$out" 'только его участникам' "private archive: a stranger is refused"
unlike "$out" 'Секретный текст' "private archive: the stranger learns nothing"
out=$(summary "$m1" "получить 1" "$priv")
like "$out" 'Секретный текст' "private archive: a member gets the post"
unlike "$(cat "$html/$priv/p/1.html")" 'olga.petrova@' \
	"private archive pages show no address"

# the daily allowance (7): m2 used 4, now four more, the last refused
out=$(summary "$m2" "$(printf 'получить 3\nполучить 4\nполучить 5\nветка 1\n')")
like "$out" 'достаточно' "the archive requests are limited per day"

unlike "$(cat "$html/$list/atom.xml")" "$m1" "the feed masks addresses too"
like "$(cat "$html/$list/atom.xml")" '<feed xmlns="http://www.w3.org/2005/Atom"' \
	"the feed is Atom"

# the search CGI: a form's query, %-encoded, answered as a page
cgi() {	# cgi QUERY_STRING: the CGI's answer
	runuser -u "$E2E_USER" -- env QUERY_STRING="$1" \
		"$METODIST" -c "$E2E_CONF" search --cgi </dev/null
}
out=$(cgi "l=$list&q=%D1%83%D1%80%D0%BE%D0%BA%D0%B0%D0%BC%D0%B8")
like "$out" '^Content-Type: text/html; charset=utf-8' "search CGI: an HTML answer"
like "$out" "href=\"$list/p/1.html\"" "search CGI: уроками finds post 1"
out=$(cgi "l=$list&q=%3Cb%3E+%D0%B6%D0%B8%D1%80%D0%BD%D1%8B%D0%B9")
like "$out" '&lt;b&gt; жирный' "search CGI: the query shows as text"
unlike "$out" '<b>' "search CGI: no markup from the query or the post"
out=$(cgi "l=nosuchlist&q=x")
like "$out" '^Status: 400' "search CGI: an unknown list is a bad request"

# the whole archive again from the shell
check "archive render rebuilds" e2e_metodist archive render "$list"
like "$(e2e_metodist search "$list" урок)" 'Уроки геометрии' \
	"metodist search finds the word forms"

e2e_done

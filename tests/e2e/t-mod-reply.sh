#!/bin/bash
# Moderation by reply, through Postfix (SMTP to the private instance, whose
# pipe transport runs "metodist deliver"): a held post's notice reaches the
# coordinator with Reply-To L+mod-TOKEN@D and the post attached; a plain
# Reply whose first word is the decision approves (sent once), rejects
# (the author gets the reason) or discards (nobody told); a second
# decision, or one after the shell decided, is answered "already
# decided"; a reply from anyone but a coordinator is refused and changes
# nothing; a reply without a decision word is answered with the words;
# and a held post past its expiry is taken off the queue by `metodist
# run`, its author told, once.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list moderated young-teachers)
[ -n "$list" ] || e2e_bail "no list with policy = moderated"
addr=$list@$E2E_DOMAIN
coord=$(e2e_list_coordinator "$list")
[ -n "$coord" ] || e2e_bail "list $list has no coordinator"
db=$E2E_VAR/metodist.db

e2e_init || e2e_bail "metodist init failed"
m1=olga.petrova@school5.example.com
m2=pavel.smirnov@school6.example.com
e2e_member_add "$list" "$m1" "Ольга Петрова"
e2e_member_add "$list" "$m2" "Павел Смирнов"

e2e_postfix_start || e2e_bail "private Postfix did not start"

msg=$E2E_TMP/msg
n_msg=0

# deliver SENDER RCPT: send $msg to Postfix over SMTP and wait until its pipe
# has run metodist deliver; sets rc (0 when the pipe said status=sent)
deliver() {
	n_msg=$((n_msg + 1))
	e2e_mta_deliver "$1" "$2" "$msg"
	rc=$?
}

# post FROM SUBJECT ID: a post to the moderated list, body "Текст ID."
post() {
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s@school.example.com>\n\nТекст %s.\n' \
		"$1" "$addr" "$2" "$3" "$3" >"$msg"
	deliver "$1" "$addr"
}

# reply ENVELOPE FROM TOKEN SUBJECT BODY: a reply to L+mod-TOKEN@D
reply() {
	printf 'From: %s\nTo: %s+mod-%s@%s\nSubject: %s\nMessage-ID: <r%s.%s@imc.example.org>\n\n%b' \
		"$2" "$list" "$3" "$E2E_DOMAIN" "$4" "$RANDOM" "$$" "$5" >"$msg"
	deliver "$1" "$list+mod-$3@$E2E_DOMAIN"
}

# token_of FILE: the token in the Reply-To of a coordinator's notice
token_of() {
	e2e_header "$1" Reply-To |
		sed -n "s/.*$list+mod-\([0-9a-f]*\)@.*/\1/p"
}

# held_id SUBJECT: the number `metodist held` shows for SUBJECT
held_id() {
	e2e_metodist held | awk -F'\t' -v s="$1" '$4 == s { print $1 }'
}

# the quoted notice a mail program puts under the answer
quote='\n\n12 мая 2026 г., в 10:00, Информационно-методический центр <x@lists.example.org> написал:\n> Здравствуйте!\n>\n>   одобрить             разослать письмо участникам\n>   отклонить ПРИЧИНА    отказать\n>   удалить              убрать без ответа автору\n'

# --- held: the notice carries the token and the post ------------------------
e2e_outbox_clear
post "$m1" "Вопрос о планировании" mr-1
is "$rc" 0 "held post: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$m2")" 0 "held post: not distributed"
is "$(e2e_outbox_count_for "$m1")" 1 "held post: the author is told"
is "$(e2e_outbox_count_for "$coord")" 1 "held post: the coordinator gets one notice"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
like "$(e2e_header "$f" Reply-To)" "^$list\\+mod-[0-9a-f]{32}@$E2E_DOMAIN\$" \
	"notice: Reply-To is L+mod-TOKEN@D"
like "$(e2e_header "$f" Content-Type)" '^multipart/mixed' \
	"notice: multipart/mixed"
like "$(e2e_header "$f" Auto-Submitted)" 'auto-replied' "notice: an auto-reply"
att=$(e2e_body "$f" | awk '/^Content-Type: message\/rfc822/ { a = 1 } a')
like "$att" 'Content-Type: message/rfc822' "notice: a message/rfc822 part"
like "$att" 'Текст mr-1\.' "notice: the attached part holds the post's text"
like "$att" 'Message-ID: <mr-1@school.example.com>' \
	"notice: the post is attached with its own headers"
like "$(e2e_body "$f")" 'одобрить' "notice: explains the decision words in Russian"
tok1=$(token_of "$f")
id1=$(held_id "Вопрос о планировании")
{ [ -n "$tok1" ] && [ -n "$id1" ]; } || e2e_bail "no token or held id (tok=$tok1 id=$id1)"

# --- approve by reply ------------------------------------------------------
e2e_outbox_clear
reply "$coord" "Координатор <$coord>" "$tok1" "Re: Нужно ваше решение" "Одобрить$quote"
is "$rc" 0 "approve reply: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$m2")" 1 "approved post reaches the other member once"
is "$(e2e_outbox_count_for "$m1")" 1 "approved post reaches the author once"
f=$(e2e_outbox_for "$m2" | sed -n 1p)
like "$(e2e_header "$f" List-Id)" "<$list.$E2E_DOMAIN>" "the approved copy is a list post"
like "$(e2e_body "$f")" 'Текст mr-1\.' "the approved copy is the held post"
is "$(e2e_outbox_count_for "$coord")" 1 "the coordinator gets one confirmation"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
like "$(e2e_body "$f")" 'одобрено и разослано' "the confirmation says it was sent"
is "$(e2e_archive_files "$list" | grep -c .)" 1 "approved post is archived"
is "$(e2e_metodist held)" "no posts are held" "approved post is no longer held"

# --- a second decision on the same token -------------------------------------
e2e_outbox_clear
reply "$coord" "$coord" "$tok1" "Re: Нужно ваше решение" "отклонить$quote"
is "$rc" 0 "second reply: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$m1")" 0 "second reply: nothing to the author"
is "$(e2e_outbox_count_for "$m2")" 0 "second reply: nothing distributed"
is "$(e2e_outbox_count_for "$coord")" 1 "second reply: one answer"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
body=$(e2e_body "$f")
like "$body" 'уже' "second reply: answered already decided"
like "$body" "$coord" "the answer names who decided first"
like "$body" 'одобрено' "the answer says how"
is "$(e2e_archive_files "$list" | grep -c .)" 1 "still one archived post"

# --- reject with a reason -----------------------------------------------------
e2e_outbox_clear
post "$m2" "Реклама курсов" mr-2
tok2=$(token_of "$(e2e_outbox_for "$coord" | sed -n 1p)")
e2e_outbox_clear
reply "$coord" "$coord" "$tok2" "Re: Нужно ваше решение" "Отклонить: не по теме$quote"
is "$rc" 0 "reject reply: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$m1")" 0 "rejected post is not distributed"
is "$(e2e_outbox_count_for "$m2")" 1 "the author of the rejected post is told"
f=$(e2e_outbox_for "$m2" | sed -n 1p)
like "$(e2e_body "$f")" 'Причина: не по теме$' "the author gets the reason, and only it"
unlike "$(e2e_body "$f")" 'ПРИЧИНА|удалить' "the quoted notice is not part of the reason"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
like "$(e2e_body "$f")" 'отклонено' "the coordinator's confirmation says rejected"

# --- discard, decided by the Subject ----------------------------------------
e2e_outbox_clear
post "$m1" "Личное" mr-3
tok3=$(token_of "$(e2e_outbox_for "$coord" | sed -n 1p)")
e2e_outbox_clear
reply "$coord" "$coord" "$tok3" "Re: удалить" "$quote"
is "$rc" 0 "discard reply: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$m1")" 0 "discarded: the author is not told"
is "$(e2e_outbox_count_for "$m2")" 0 "discarded: not distributed"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
like "$(e2e_body "$f")" 'удалено' "discarded: the coordinator is told"
is "$(held_id "Личное")" "" "discarded post is no longer held"

# --- bottom-posted English, any case ----------------------------------------
e2e_outbox_clear
post "$m2" "Методичка" mr-4
tok4=$(token_of "$(e2e_outbox_for "$coord" | sed -n 1p)")
e2e_outbox_clear
reply "$coord" "$coord" "$tok4" "Re: decision" \
	"On Tue, 12 May 2026, Gateway <x@lists.example.org> wrote:\n> Hello\n> reject REASON\n\nAPPROVE\n\n-- \nКоординатор\n"
is "$(e2e_outbox_count_for "$m1")" 1 "APPROVE below the quote: distributed"
f=$(e2e_outbox_for "$m1" | sed -n 1p)
like "$(e2e_body "$f")" 'Текст mr-4\.' "APPROVE below the quote: the right post"

# --- decided from the shell first --------------------------------------------
e2e_outbox_clear
post "$m1" "Оффтоп" mr-5
tok5=$(token_of "$(e2e_outbox_for "$coord" | sed -n 1p)")
out=$(e2e_metodist reject "$(held_id "Оффтоп")" "в личку" 2>&1)
is "$?" 0 "shell reject of a post with a pending token"
e2e_outbox_clear
reply "$coord" "$coord" "$tok5" "Re: x" "одобрить$quote"
is "$(e2e_outbox_count_for "$m2")" 0 "reply after the shell decided: nothing distributed"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
like "$(e2e_body "$f")" "решение по нему уже" "reply after the shell: already decided"
like "$(e2e_body "$f")" "$E2E_USER" "... naming the shell user who decided"

# --- not a coordinator --------------------------------------------------------
e2e_outbox_clear
post "$m2" "Вопрос коллегам" mr-6
f=$(e2e_outbox_for "$coord" | sed -n 1p)
tok6=$(token_of "$f")
id6=$(held_id "Вопрос коллегам")
e2e_outbox_clear
reply "$m1" "$m1" "$tok6" "Re: x" "Одобрить$quote"
is "$rc" 0 "non-coordinator reply: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$m2")" 0 "non-coordinator: nothing distributed"
is "$(e2e_outbox_count_for "$m1")" 1 "non-coordinator: the sender gets an answer"
f=$(e2e_outbox_for "$m1" | sed -n 1p)
like "$(e2e_body "$f")" 'координатор' "the refusal says only coordinators decide"
e2e_outbox_clear
reply "$m1" "$coord" "$tok6" "Re: x" "Одобрить$quote"
is "$(e2e_outbox_count_for "$m2")" 0 "From forged as the coordinator: nothing distributed"
is "$(e2e_outbox_count_for "$coord")" 0 "forged From: no answer to the header address"
is "$(held_id "Вопрос коллегам")" "$id6" "refused replies leave the post held"

# --- no decision word ----------------------------------------------------------
e2e_outbox_clear
reply "$coord" "$coord" "$tok6" "Re: Нужно ваше решение" "Спасибо, посмотрю позже.$quote"
is "$(e2e_outbox_count_for "$coord")" 1 "no decision word: the coordinator gets an answer"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
like "$(e2e_body "$f")" 'не найдено слово решения' "the answer says no decision was found"
like "$(e2e_body "$f")" 'одобрить' "the answer explains the words"
is "$(held_id "Вопрос коллегам")" "$id6" "no decision word: still held"

# --- expiry --------------------------------------------------------------------
e2e_outbox_clear
out=$(runuser -u "$E2E_USER" -- sqlite3 "$db" \
	"UPDATE held SET expires = strftime('%s', 'now') - 60 WHERE id = $id6" 2>&1)
is "$?" 0 "expiry: held post set to have expired"
out=$(e2e_metodist run 2>&1)
is "$?" 0 "expiry: metodist run exits 0"
is "$(e2e_outbox_count_for "$m2")" 1 "expiry: the author is told"
f=$(e2e_outbox_for "$m2" | sed -n 1p)
like "$(e2e_header "$f" Subject)" 'Вопрос коллегам|=\?' "expiry: the notice is about the post"
like "$(e2e_body "$f")" 'Срок ожидания истёк' "expiry: the notice says the time is over"
is "$(e2e_metodist held)" "no posts are held" "expiry: metodist held no longer lists it"
is "$(runuser -u "$E2E_USER" -- sqlite3 "$db" \
	"SELECT state || ' ' || decided_by FROM held WHERE id = $id6")" \
	"rejected expired" "expiry: recorded as rejected by expired"
e2e_outbox_clear
out=$(e2e_metodist run 2>&1)
is "$(e2e_outbox_count_for "$m2")" 0 "expiry: a second run tells nobody again"
reply "$coord" "$coord" "$tok6" "Re: x" "одобрить$quote"
is "$(e2e_outbox_count_for "$m1")" 0 "a late reply after expiry: nothing distributed"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
like "$(e2e_body "$f")" 'истёк срок' "a late reply is told the post expired"

# --- the MTA path ------------------------------------------------------------
is "$(e2e_pipe_results | grep -c 'status=sent')" "$n_msg" \
	"Postfix piped all $n_msg letters to metodist, each with status=sent"
unlike "$(e2e_pipe_results)" 'status=(bounced|deferred)' \
	"no letter was bounced or deferred by Postfix"

e2e_done

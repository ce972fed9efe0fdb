#!/bin/bash
# Membership by email through Postfix (SMTP to the private instance, whose
# pipe transport runs "metodist deliver"): "подписаться" to L+subscribe brings
# a confirmation letter whose Reply-To is L+confirm-TOKEN; a plain Reply to
# it adds the member and a welcome arrives; the list's posts then reach
# the new member; "режим дайджест" to L-request sets the mode; "отписаться"
# is confirmed the same way and says goodbye; a forged token is refused
# with an answer and changes nothing; the site address answers which/lists.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members"
[ "$(e2e_list_key "$list" subscription)" != closed ] ||
	e2e_bail "$list: subscription is closed"
[ "$(e2e_list_key "$list" confirm)" != no ] ||
	e2e_bail "$list: confirm = no"
D=$E2E_DOMAIN
site=$(e2e_ini "$E2E_CONF" site address)@$D
coord=$(e2e_list_coordinator "$list")
u=nadezhda.orlova@school21.example.com
stranger=petr.ivanov@school22.example.com

e2e_init || e2e_bail "metodist init failed"
e2e_postfix_start || e2e_bail "private Postfix did not start"

msg=$E2E_TMP/msg
n_msg=0
# mail FROM TO SUBJECT BODY [IN-REPLY-TO]: send one letter to Postfix over
# SMTP and wait until its pipe has run deliver; 0 when it did (status=sent)
mail() {
	n_msg=$((n_msg + 1))
	{
		printf 'From: %s\nTo: %s\nSubject: %s\n' "$1" "$2" "$3"
		printf 'Date: %s\n' "$(date -R)"
		printf 'Message-ID: <mship-%d.%s@school21.example.com>\n' \
			"$n_msg" "$$"
		[ -z "${5:-}" ] || printf 'In-Reply-To: <%s>\n' "$5"
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n'
		printf 'Content-Transfer-Encoding: 8bit\n\n%s\n' "$4"
	} >"$msg"
	e2e_mta_deliver "$1" "$2" "$msg"
}

# reply_to_letter FROM FILE: a plain Reply to FILE (to its Reply-To, else
# From), with "Re:" and the letter quoted, as a mail client writes it
reply_to_letter() {
	local to subj mid quoted
	to=$(e2e_header "$2" Reply-To)
	[ -n "$to" ] || to=$(e2e_header "$2" From)
	to=$(e2e_addr "$to")
	subj=$(e2e_header "$2" Subject)
	mid=$(e2e_header "$2" Message-ID | tr -d '<>')
	quoted=$(e2e_body "$2" | sed 's/^/> /')
	mail "$1" "$to" "Re: $subj" \
		"$(printf 'Да, подтверждаю.\n\n%s пишет:\n%s' "$list" "$quoted")" \
		"$mid"
}

# keep FILE: a copy of an outbox letter that outlives e2e_outbox_clear
keep() {
	cp "$1" "$E2E_TMP/letter" && printf '%s\n' "$E2E_TMP/letter"
}

members() {
	e2e_metodist members list "$list" 2>&1
}

# --- subscribe, confirm by a plain Reply ------------------------------------
mail "$u" "$list+subscribe@$D" "подписаться" "подписаться"
is "$?" 0 "subscribe: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$u")" 1 "subscribe: one letter to the address"
f=$(keep "$(e2e_outbox_for "$u")")
rt=$(e2e_addr "$(e2e_header "$f" Reply-To)")
like "$rt" "^$list\\+confirm-[0-9a-f]{32}@$D\$" \
	"the confirmation's Reply-To is $list+confirm-TOKEN"
is "$(e2e_addr "$(e2e_header "$f" From)")" "$list-request@$D" \
	"the confirmation comes from $list-request"
like "$(e2e_header "$f" Auto-Submitted)" 'auto-replied' \
	"the confirmation is an auto-reply"
like "$(e2e_body "$f")" "${rt//+/\\+}" \
	"the confirmation names the address to reply to"
unlike "$(members)" "$u" "not a member before confirming"

e2e_outbox_clear
reply_to_letter "$u" "$f"
is "$?" 0 "confirming reply: deliver exits 0 (pipe status=sent)"
like "$(members)" "^$u	normal" "the confirming reply adds the member"
is "$(e2e_outbox_count_for "$u")" 1 "one letter answers the confirmation"
f=$(e2e_outbox_for "$u")
like "$(e2e_body "$f")" "$list@$D" "the welcome gives the list's address"
like "$(e2e_body "$f")" "Способ получения писем" "the welcome is in Russian"

e2e_outbox_clear
mail "$coord" "$list@$D" "Материалы к совещанию" "Коллеги, материалы."
is "$(e2e_outbox_count_for "$u")" 1 "a post to the list reaches the new member"

# --- delivery mode ---------------------------------------------------------
e2e_outbox_clear
mail "$u" "$list-request@$D" "Re: [Математика] вопрос" "режим дайджест"
like "$(members)" "^$u	digest" "режим дайджест sets the digest mode"
f=$(e2e_outbox_for "$u")
like "$(e2e_body "$f")" "дайджест" "the summary says the mode"

# --- a forged token ----------------------------------------------------------
before=$(members)
e2e_outbox_clear
forged=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
mail "$stranger" "$list+confirm-$forged@$D" "Re: подтвердить" "Да"
is "$?" 0 "forged token: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$stranger")" 1 "a forged token gets an answer"
f=$(e2e_outbox_for "$stranger")
like "$(e2e_body "$f")" "Такого кода подтверждения нет" \
	"the answer says the code is unknown"
is "$(members)" "$before" "a forged token changes nothing"

# --- unsubscribe, confirmed by reply --------------------------------------
e2e_outbox_clear
mail "$u" "$list-request@$D" "отписаться" ""
is "$(e2e_outbox_count_for "$u")" 1 "unsubscribe: a confirmation letter"
f=$(keep "$(e2e_outbox_for "$u")")
like "$(e2e_addr "$(e2e_header "$f" Reply-To)")" \
	"^$list\\+confirm-[0-9a-f]{32}@$D\$" "its Reply-To carries the token"
like "$(members)" "$u" "still a member before confirming"
e2e_outbox_clear
reply_to_letter "$u" "$f"
unlike "$(members)" "$u" "the confirming reply removes the member"
is "$(e2e_outbox_count_for "$u")" 1 "a goodbye arrives"
f=$(e2e_outbox_for "$u")
like "$(e2e_body "$f")" "$list\\+subscribe@$D" "the goodbye names the way back"

# --- the site address ------------------------------------------------------
e2e_member_add "$list" "$stranger" "Пётр Иванов"
e2e_outbox_clear
mail "$stranger" "$site" "мои" "списки"
is "$(e2e_outbox_count_for "$stranger")" 1 "which/lists: one summary"
f=$(e2e_outbox_for "$stranger")
body=$(e2e_body "$f")
like "$body" "участник списков" "which answers"
like "$body" "$list@$D" "which names the sender's list"
nlists=$(find "$E2E_LISTS_DIR" -name '*.conf' | grep -c .)
is "$(printf '%s\n' "$body" | grep -cE "^ +[a-z0-9-]+@$D\$")" \
	"$nlists" "lists names every list"

# --- the MTA path ------------------------------------------------------------
is "$(e2e_pipe_results | grep -c 'status=sent')" "$n_msg" \
	"Postfix piped all $n_msg letters to metodist, each with status=sent"
unlike "$(e2e_pipe_results)" 'status=(bounced|deferred)' \
	"no letter was bounced or deferred by Postfix"

e2e_done

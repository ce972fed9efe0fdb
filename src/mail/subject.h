/*
 * subject: the part of a Subject that names a conversation.
 *
 * Contract: subject_key() returns a new string: the decoded UTF-8 Subject
 * without any leading run of reply and forward prefixes (Re:, RE[2]:,
 * Re^3:, Fwd:, Fw:, AW:, WG:, SV:, Ответ:, Отв:, Пересл:, "Re :" ...) and
 * list tags ("[Математика]"), wherever they are mixed, lower-cased (ASCII
 * and Cyrillic, ё as е) with runs of white space made one space and the
 * ends trimmed.  Two posts of one conversation give the same key however
 * their clients decorated the Subject.  The key of an empty or
 * all-decoration Subject is "".  subject_is_reply() tells whether the
 * Subject began with a reply or forward prefix (tags aside).
 */
#ifndef METODIST_SUBJECT_H
#define METODIST_SUBJECT_H

char	*subject_key(const char *subject);
int	 subject_is_reply(const char *subject);

#endif

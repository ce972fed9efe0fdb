#!/bin/bash
# Pipe every message of a corpus through `metodist deliver`:
#   tests/corpus-check.sh CORPUS_DIR METODIST_BINARY
#
# Each message goes to an open list, as an MTA's pipe would give it.  It
# passes when deliver exits 0 (or refuses it permanently with a reason:
# 69 too large, 65 over a bound of [limits]), no sanitizer or crash report appears, and the message
# is not lost: afterwards the spool is empty and the database has recorded
# an outcome for every message taken.  Ends with "corpus: N passed, N failed".
set -u

corpus=$1
metodist=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp -r "$top/conf" "$top/templates" "$work/"
sed -i -e 's/^mode = .*/mode = never/' \
	-e 's/^replies_per_day = .*/replies_per_day = 100000/' \
	-e 's/^posts_per_hour = .*/posts_per_hour = 100000/' \
	-e 's/^list_posts_per_hour = .*/list_posts_per_hour = 1000000/' \
	"$work/conf/metodist.conf"
cfg=$work/conf/metodist.conf
"$metodist" -c "$cfg" init >/dev/null || { echo "corpus: init failed"; exit 1; }
list=$(grep -l '^policy = open' "$work"/conf/lists.d/*.conf | head -1)
list=$(basename "$list" .conf)
"$metodist" -c "$cfg" members add "$list" reader@school.example.org >/dev/null

passed=0 failed=0 taken=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
while IFS= read -r -d '' f; do
	"$metodist" -c "$cfg" deliver -f corpus@school.example.org \
		"$list@lists.example.org" <"$f" >"$work/out" 2>&1
	rc=$?
	if grep -qE 'Sanitizer|runtime error:|Segmentation|Aborted' \
	    "$work/out" || { [ "$rc" -ne 0 ] && [ "$rc" -ne 69 ] && [ "$rc" -ne 65 ]; }; then
		echo "not ok - ${f#$corpus/} (exit $rc)"
		sed 's/^/#   /' "$work/out" | head -20
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
		[ "$rc" -eq 0 ] && taken=$((taken + 1))
		[ "$rc" -eq 65 ] && echo "# refused: ${f#$corpus/}: $(cat "$work/out")"
	fi
done < <(find "$corpus" -type f \( -name '*.eml' -o -name '*.msg' \
	-o -name '*.txt' -o -name '*.mbox' \) ! -name 'README*' \
	! -name 'EXPECTED*' -print0 | sort -z)

left=$(find "$work/var/spool/new" "$work/var/spool/cur" -type f | wc -l)
recorded=$(sqlite3 "$work/var/metodist.db" 'SELECT count(*) FROM processed')
posts=$(sqlite3 "$work/var/metodist.db" 'SELECT count(*) FROM posts')
echo "# $taken messages taken, $recorded outcomes recorded, $posts archived, $left left in the spool"
if [ "$left" -ne 0 ] || [ "$recorded" -ne "$taken" ]; then
	echo "not ok - messages lost or left unprocessed"
	failed=$((failed + 1))
else
	echo "ok - every message taken has an outcome"
	passed=$((passed + 1))
fi
echo "corpus: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/bash
# The whole test suite: tests/run-all.sh BUILD_DIR
#
# Unit tests (Check, through `make check`), the quickstart smoke test
# against the running daemon, the end-to-end tests with a real Postfix,
# the corpus check when a corpus is at hand ($CORPUS, default
# ../shared/corpus), the daemon and the pipe under valgrind (the plain
# build), a short run of every fuzz target, and
# `make distcheck`.  Ends with one line:
# "N passed, N failed" (", N skipped" when something could not run).
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$1" && pwd)
passed=0 failed=0 skipped=0

count() {	# count PASSED FAILED
	passed=$((passed + $1)); failed=$((failed + $2))
}

# "N passed, N failed" somewhere in a suite's output.
count_from() {
	local line p f
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	if [ -z "$line" ]; then
		echo "not ok - $2 printed no result line"
		count 0 1
		return
	fi
	p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
	f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
	count "$p" "$f"
}

unit_tests() {
	local log checks fails errs
	echo "# unit tests (make check)"
	make -C "$build" -s check >"$build/unit.out" 2>&1
	for log in "$build"/tests/unit/check_*.log; do
		[ -f "$log" ] || continue
		grep -E 'Checks: [0-9]+' "$log" | tail -1 | sed 's/^/# /'
		grep -E ':[EF]:' "$log" | head -20
		checks=$(grep -oE 'Checks: [0-9]+' "$log" | tail -1 |
			grep -oE '[0-9]+')
		fails=$(grep -oE 'Failures: [0-9]+' "$log" | tail -1 |
			grep -oE '[0-9]+')
		errs=$(grep -oE 'Errors: [0-9]+' "$log" | tail -1 |
			grep -oE '[0-9]+')
		if [ -z "$checks" ]; then
			echo "not ok - $(basename "$log" .log) crashed"
			tail -20 "$log"
			count 0 1
			continue
		fi
		count $((checks - fails - errs)) $((fails + errs))
	done
}

smoke_quickstart() {
	local out=$top/var/outbox/new before n i
	echo "# quickstart smoke test (SMTP on 127.0.0.1:2525)"
	before=$(grep -l '^Delivered-To: teacher2@school2.example.org' \
		"$out"/* 2>/dev/null | wc -l)
	if ! swaks --server 127.0.0.1:2525 --from teacher1@school1.example.org \
	    --to math@lists.example.org --header "Subject: Проверка связи" \
	    --body "Коллеги, это проверка." >"$build/smoke.out" 2>&1; then
		echo "not ok - swaks to the quickstart daemon failed"
		tail -5 "$build/smoke.out"
		count 0 1
		return
	fi
	for i in $(seq 1 50); do
		n=$(grep -l '^Delivered-To: teacher2@school2.example.org' \
			"$out"/* 2>/dev/null | wc -l)
		[ "$n" -gt "$before" ] && break
		sleep 0.2
	done
	if [ "$n" -gt "$before" ]; then
		echo "ok - a post through the quickstart daemon reached a member"
		count 1 0
	else
		echo "not ok - no copy reached teacher2 within 10 s"
		tail -5 "$top/var/log/metodistd.log"
		count 0 1
	fi
}

e2e_tests() {
	echo "# end-to-end tests (Postfix in front)"
	bash "$top/tests/e2e/run.sh" "$build" >"$build/e2e.out" 2>&1
	cat "$build/e2e.out"
	count_from "$build/e2e.out" e2e
}

corpus_check() {
	local corpus=${CORPUS:-$top/../shared/corpus}
	if [ ! -d "$corpus" ]; then
		echo "# corpus check skipped: no corpus at $corpus"
		skipped=$((skipped + 1))
		return
	fi
	echo "# corpus check ($corpus)"
	bash "$top/tests/corpus-check.sh" "$corpus" "$build/metodist" \
		>"$build/corpus.out" 2>&1
	tail -15 "$build/corpus.out"
	count_from "$build/corpus.out" corpus
}

# A minute per target, two at a time: about ten minutes for twenty.
fuzz_short() {
	echo "# fuzz targets: regressions, then ${FUZZ_SECONDS:-60} s each"
	FUZZ_JOBS=2 FUZZ_BUILD="$build/fuzz" bash "$top/tests/fuzz/run.sh" \
		"${FUZZ_SECONDS:-60}" >"$build/fuzz.out" 2>&1
	grep -E '^[a-z0-9]+: |^fuzz' "$build/fuzz.out" | tail -30
	count_from "$build/fuzz.out" fuzz
}

# The daemon and the pipe under valgrind, with the plain build the
# quickstart made (valgrind cannot run sanitized programs).
valgrind_check() {
	echo "# valgrind: the delivery path in the quickstart's plain build"
	bash "$top/tests/valgrind.sh" "$top/build" >"$build/valgrind.out" 2>&1
	cat "$build/valgrind.out"
	if grep -q '^valgrind: skipped' "$build/valgrind.out"; then
		skipped=$((skipped + 1))
		return
	fi
	count_from "$build/valgrind.out" valgrind
}

distcheck() {
	echo "# make distcheck"
	if make -C "$build" -s distcheck >"$build/distcheck.out" 2>&1; then
		echo "ok - make distcheck"
		count 1 0
	else
		echo "not ok - make distcheck"
		tail -30 "$build/distcheck.out"
		count 0 1
	fi
}

unit_tests
smoke_quickstart
e2e_tests
corpus_check
valgrind_check
fuzz_short
distcheck

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]

#!/bin/bash
# Run the end-to-end tests: tests/e2e/run.sh BUILD_DIR
#
# Prepares the host (setup.sh), then runs every tests/e2e/t-*.sh with
# METODIST=BUILD_DIR/metodist, prints each script's TAP output, and ends with
# "e2e: N passed, N failed".  A script that dies (no plan line, or a non-zero
# exit without any "not ok") counts as one failure.  E2E_ONLY=t-post.sh runs
# one script; E2E_TIMEOUT bounds each script (seconds, default 300, or
# what the script's "# e2e-timeout: N" line asks).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ "$#" -ne 1 ]; then
	printf 'usage: %s BUILD_DIR\n' "$0" >&2
	exit 2
fi
build=$(cd "$1" 2>/dev/null && pwd) || {
	printf 'e2e: no such build directory: %s\n' "$1" >&2
	exit 2
}
METODIST=$build/metodist
export METODIST
if [ ! -x "$METODIST" ]; then
	printf 'e2e: %s is not built\n' "$METODIST" >&2
	printf 'e2e: 0 passed, 1 failed\n'
	exit 1
fi

if ! "$here/setup.sh"; then
	printf 'e2e: setup failed\n'
	printf 'e2e: 0 passed, 1 failed\n'
	exit 1
fi

passed=0
failed=0
for t in "$here"/t-*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t")
	if [ -n "${E2E_ONLY:-}" ] && [ "$name" != "$E2E_ONLY" ]; then
		continue
	fi
	printf '# %s\n' "$name"
	# A script may ask for more time with a "# e2e-timeout: SECONDS" line.
	limit=$(sed -n 's/^# e2e-timeout: *\([0-9][0-9]*\)$/\1/p' "$t" | head -n 1)
	out=$(timeout -k 10 "${E2E_TIMEOUT:-${limit:-300}}" bash "$t" 2>&1 </dev/null)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -cE '^ok [0-9]+')
	f=$(printf '%s\n' "$out" | grep -cE '^not ok [0-9]+')
	passed=$((passed + p))
	failed=$((failed + f))
	if ! printf '%s\n' "$out" | grep -qE '^1\.\.[0-9]+$'; then
		printf 'not ok - %s died before its plan (exit %d)\n' "$name" "$rc"
		failed=$((failed + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		printf 'not ok - %s exited %d\n' "$name" "$rc"
		failed=$((failed + 1))
	fi
done

printf 'e2e: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]

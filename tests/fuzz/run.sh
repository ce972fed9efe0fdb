#!/bin/sh
#
# run.sh: build if needed, then run every libFuzzer target for SECONDS.
#
# Contract: each target first replays its regressions
# (tests/data/fuzz-regressions/NAME-*), then fuzzes for SECONDS seconds
# from its seed corpus (hand-made seeds in tests/fuzz/seeds/NAME and the
# project's test data, read only; new inputs go to $FUZZ_BUILD/corpus/NAME).
# One line per target: "NAME: ok" or "NAME: FAILED" with libFuzzer's last
# cov:, ft:, exec/s and run count; the run ends with
# "fuzz: N passed, N failed" and exits 1 when any failed.  A crash, a
# sanitizer report, a timeout (10 s per input) or an out-of-memory is a
# failure; the input that caused it is kept in $FUZZ_BUILD/crashes/NAME/
# and named on the line; the full log is $FUZZ_BUILD/logs/NAME.log.
# Regressions replay with FUZZ_STRICT=1 (semantic checks abort, see
# fuzz.h); fuzzing uses the caller's FUZZ_STRICT, off by default.
# Without clang or its fuzzer runtime it exits 2 with a clear message.
#
# Usage: tests/fuzz/run.sh SECONDS [TARGET ...]
#	tests/fuzz/run.sh --seeds TARGET	prints the seed directories
#	FUZZ_JOBS=2 runs two targets at a time (default 1);
#	FUZZ_BUILD=dir builds and keeps everything there (/tmp/metodist-fuzz).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD:-/tmp/metodist-fuzz}
export FUZZ_BUILD="$out"

# The seed directories of one target, beyond tests/fuzz/seeds/NAME.
fuzz_seed_dirs() {
	d="$top/tests/data"
	case $1 in
	message)	echo "$d/mail $d/commands $d/bounces" ;;
	header)		echo "$d/mail" ;;
	dsn)		echo "$d/bounces $d/mail" ;;
	command)	echo "$d/commands" ;;
	csv)		echo "$d/registry" ;;
	ini)		echo "$top/conf $top/conf/lists.d" ;;
	replyscan)	echo "$here/seeds/moderate $here/seeds/review $d/commands" ;;
	esac
}

# Run one target; print its line; exit 0 when it passed.
fuzz_one() {
	name=$1
	secs=$2
	bin="$out/bin/$name"
	log="$out/logs/$name.log"
	crashes="$out/crashes/$name"
	corpus="$out/corpus/$name"
	mkdir -p "$crashes" "$corpus" "$out/logs"
	: >"$log"
	failed=0
	what=""

	regs=$(ls "$top/tests/data/fuzz-regressions/$name"-* 2>/dev/null)
	if [ -n "$regs" ]; then
		if ! FUZZ_STRICT=1 "$bin" -runs=1 \
		    -artifact_prefix="$crashes/replay-" $regs >>"$log" 2>&1; then
			failed=1
			what="regression fails"
		fi
	fi
	seeds=""
	for s in "$here/seeds/$name" $(fuzz_seed_dirs "$name"); do
		[ -d "$s" ] && seeds="$seeds $s"
	done
	echo "=== fuzzing $secs s" >>"$log"
	"$bin" "$corpus" $seeds -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="$crashes/" >>"$log" 2>&1
	if [ $? -ne 0 ]; then
		failed=1
		art=$(ls -t "$crashes" 2>/dev/null | head -1)
		what="${what:+$what; }crash: $crashes/$art"
	fi
	cov=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 |
	    sed -E 's/.*(cov: [0-9]+) (ft: [0-9]+).*exec\/s: ([0-9]+).*/\1 \2 exec\/s: \3/')
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$failed" = 0 ]; then
		echo "$name: ok ${cov:-no stats} runs: ${runs:-?}"
	else
		echo "$name: FAILED ($what) ${cov:-} (log: $log)"
	fi
	return "$failed"
}

case ${1:-} in
--one)	fuzz_one "$2" "$3"; exit $? ;;
--seeds) echo "$here/seeds/$2" $(fuzz_seed_dirs "$2"); exit 0 ;;
''|*[!0-9]*)
	echo "usage: $0 SECONDS [TARGET ...]" >&2
	exit 2 ;;
esac
secs=$1
shift

"$here/build.sh" || exit 2

if [ $# -gt 0 ]; then
	targets="$*"
else
	targets=$(ls "$out/bin")
fi
results="$out/results.$$"
: >"$results"
for t in $targets; do
	[ -x "$out/bin/$t" ] || { echo "$t: FAILED (no such target)" >>"$results"; continue; }
	echo "$t"
done | xargs -P "${FUZZ_JOBS:-1}" -I{} "$0" --one {} "$secs" >>"$results"
cat "$results"
pass=$(grep -c ': ok' "$results")
fail=$(grep -c ': FAILED' "$results")
rm -f "$results"
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

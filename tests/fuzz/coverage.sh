#!/bin/sh
#
# coverage.sh: how much of its code each fuzz target's corpus reaches.
#
# Contract: builds every target of tests/fuzz/fuzz_*.c (or those named)
# with clang's source-based coverage (-fprofile-instr-generate
# -fcoverage-mapping, no sanitizers, no libFuzzer) linked to replay.c, a
# main() that runs the target once per input file; replays the target's
# corpus ($FUZZ_BUILD/corpus/NAME, what run.sh grew) with its seeds and
# regressions; and prints, per target, the line and region coverage
# (llvm-cov report) of the files the target is written for (the .c files
# behind the project headers fuzz_NAME.c includes), then the same over
# every project file the inputs reached at all.  Objects, binaries and
# profiles go to $FUZZ_BUILD/cov; the per-file table of what was reached
# to $FUZZ_BUILD/cov/NAME.txt.  The corpora are only read.  Needs clang,
# llvm (llvm-profdata, llvm-cov) and python3.
#
# Usage: tests/fuzz/coverage.sh [TARGET ...]
#	FUZZ_BUILD=dir where run.sh keeps its corpora (/tmp/metodist-fuzz)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD:-/tmp/metodist-fuzz}
CC=${CC:-clang}
jobs=${FUZZ_JOBS:-2}
cov="$out/cov"

die() {
	echo "fuzz coverage: $*" >&2
	exit 2
}

# The clang release's own llvm-profdata and llvm-cov (clang-14: -14).
ver=$("$CC" --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
profdata=llvm-profdata cov_tool=llvm-cov
for t in profdata cov_tool; do
	eval "base=\$$t"
	if command -v "$base-$ver" >/dev/null 2>&1; then
		eval "$t=$base-$ver"
	elif ! command -v "$base" >/dev/null 2>&1; then
		die "$base not found (Debian: apt-get install llvm)"
	fi
done

# build.sh makes config.h and checks the compiler and the libraries.
"$here/build.sh" >/dev/null || exit 2
pkgs="libetpan sqlite3 libcurl libpcre2-8 libidn2 libpsl nettle libical expat gnutls"
pkg_cflags=$(pkg-config --cflags $pkgs)
pkg_libs="$(pkg-config --libs $pkgs | tr ' ' '\n' | grep -v '^-specs=' |
    tr '\n' ' ') -lstemmer -pthread"
CFLAGS_COV="-std=gnu11 -g -O1 -fprofile-instr-generate -fcoverage-mapping
    -Wno-unused-parameter -I$top/src -I$out/cfg -I$here
    -DMETODIST_SYSCONFDIR=\"/etc/metodist\" $pkg_cflags"
export CC CFLAGS_COV cov top

srcs=$(awk '
	/^libmetodist_a_SOURCES[ \t]*=/ { on = 1; sub(/^[^=]*=/, "") }
	on { cont = sub(/\\[ \t]*$/, ""); print; if (!cont) on = 0 }
    ' "$top/Makefile.am" | tr ' \t' '\n\n' | grep '\.c$')
mkdir -p "$cov/obj" "$cov/bin" "$cov/prof"
newest_h=$(ls -t $(find "$top/src" -name '*.h') "$out/cfg/config.h" | head -1)
echo "$srcs" | xargs -P "$jobs" -I{} sh -c '
	src="$top/{}"
	obj="$cov/obj/$(echo "{}" | tr / _ | sed "s/\.c$/.o/")"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$1" -nt "$obj" ]
	then
		$CC $CFLAGS_COV -c "$src" -o "$obj" || exit 255
	fi
' sh "$newest_h" || die "compiling the library with coverage failed"
objs=""
for s in $srcs; do
	objs="$objs $cov/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
done

# The .c files behind the project headers a target includes: x/y.h stands
# for src/x/y.c and src/x/y-*.c.
target_files() {
	for h in $(sed -n 's/^#include "\([a-z]*\/[a-z0-9_-]*\)\.h"$/\1/p' \
	    "$here/fuzz_$1.c"); do
		for c in "$top/src/$h.c" "$top/src/$h"-*.c; do
			[ -f "$c" ] && echo "$c"
		done
	done
}

# From llvm-cov's JSON summary: "its files" (the paths given after the
# JSON) and every project file with a line run, as line and region
# coverage; the per-file table goes to stdout's first part, to a file.
summarise() {
	python3 - "$@" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
top, txt = sys.argv[2], sys.argv[3]
own = set(sys.argv[4:])
files = [f for f in data["data"][0]["files"]
         if f["filename"].startswith(top + "/src/")]
def total(fs):
    lc = sum(f["summary"]["lines"]["covered"] for f in fs)
    lt = sum(f["summary"]["lines"]["count"] for f in fs)
    rc = sum(f["summary"]["regions"]["covered"] for f in fs)
    rt = sum(f["summary"]["regions"]["count"] for f in fs)
    return "lines %.1f%% (%d/%d), regions %.1f%% (%d/%d)" % (
        100.0 * lc / max(lt, 1), lc, lt, 100.0 * rc / max(rt, 1), rc, rt)
reached = [f for f in files if f["summary"]["lines"]["covered"] > 0]
mine = [f for f in files if f["filename"] in own]
with open(txt, "w") as out:
    for f in sorted(reached, key=lambda f: f["filename"]):
        l, r = f["summary"]["lines"], f["summary"]["regions"]
        out.write("%-40s lines %5d/%5d  regions %5d/%5d\n" % (
            f["filename"][len(top) + 1:], l["covered"], l["count"],
            r["covered"], r["count"]))
print("its files (%s): %s; all %d files reached: %s" % (
    " ".join(f["filename"][len(top) + 5:] for f in mine), total(mine),
    len(reached), total(reached)))
PY
}

if [ $# -gt 0 ]; then
	targets="$*"
else
	targets=$(ls "$here"/fuzz_*.c | sed 's/.*fuzz_\(.*\)\.c$/\1/')
fi
for name in $targets; do
	[ -f "$here/fuzz_$name.c" ] || { echo "$name: no such target"; continue; }
	bin="$cov/bin/$name"
	$CC $CFLAGS_COV "$here/fuzz_$name.c" "$here/replay.c" $objs \
	    $pkg_libs -lm -o "$bin" || die "linking $name failed"
	inputs=""
	for d in "$out/corpus/$name" $("$here/run.sh" --seeds "$name"); do
		[ -e "$d" ] && inputs="$inputs $d"
	done
	inputs="$inputs $(ls "$top/tests/data/fuzz-regressions/$name"-* \
	    2>/dev/null | tr '\n' ' ')"
	raw="$cov/prof/$name.profraw"
	rm -f "$raw"
	n=$(LLVM_PROFILE_FILE="$raw" "$bin" $inputs 2>&1 >/dev/null |
	    sed -n 's/^replay: \([0-9]*\) inputs$/\1/p')
	"$profdata" merge -sparse "$raw" -o "$cov/prof/$name.profdata"
	"$cov_tool" export -summary-only "$bin" \
	    -instr-profile="$cov/prof/$name.profdata" >"$cov/$name.json"
	echo "$name: ${n:-0} inputs; $(summarise "$cov/$name.json" "$top" \
	    "$cov/$name.txt" $(target_files "$name"))"
done

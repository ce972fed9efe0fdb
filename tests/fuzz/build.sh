#!/bin/sh
#
# build.sh: build every libFuzzer target of tests/fuzz/fuzz_*.c.
#
# Contract: compiles the sources of libmetodist_a_SOURCES (read from
# Makefile.am, nothing excluded) and each fuzz_*.c with clang and
# -fsanitize=fuzzer,address,undefined (undefined behaviour aborts, so it
# counts as a crash), with the project's include paths, pkg-config flags
# and -DMETODIST_SYSCONFDIR, into $FUZZ_BUILD (default
# /tmp/metodist-fuzz), one executable per target in $FUZZ_BUILD/bin.
# config.h comes from running the project's configure with CC=clang in
# $FUZZ_BUILD/cfg (never in the source tree); if that fails a minimal one
# is written.  Only what is out of date is rebuilt.  Exits non-zero with a
# clear message when clang or its libFuzzer runtime is missing.
#
# Usage: tests/fuzz/build.sh [-f]	(-f: rebuild everything)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD:-/tmp/metodist-fuzz}
CC=${CC:-clang}
jobs=${FUZZ_JOBS:-2}

case ${1:-} in
-f)	rm -rf "$out/obj" "$out/bin" ;;
esac

die() {
	echo "fuzz build: $*" >&2
	exit 2
}

# --- the compiler and its fuzzer runtime -------------------------------
command -v "$CC" >/dev/null 2>&1 ||
    die "$CC not found; install clang (Debian: apt-get install clang" \
	"libclang-rt-14-dev, or set CC=clang-NN)"
case $("$CC" --version 2>/dev/null | head -1) in
*clang*) ;;
*)	die "$CC is not clang; libFuzzer needs clang (set CC=clang)" ;;
esac
mkdir -p "$out/obj" "$out/bin" "$out/cfg"
probe="$out/cfg/probe"
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
    '{ (void)d; (void)n; return 0; }' >"$probe.c"
"$CC" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" \
    >"$probe.log" 2>&1 ||
    die "$CC cannot link -fsanitize=fuzzer,address,undefined (the" \
	"libFuzzer runtime libclang_rt.fuzzer is missing; Debian: apt-get" \
	"install libclang-rt-14-dev, or libclang-common-14-dev on" \
	"bookworm); see $probe.log"

# --- the libraries -----------------------------------------------------
pkgs="libetpan sqlite3 libcurl libpcre2-8 libidn2 libpsl nettle libical expat gnutls"
command -v pkg-config >/dev/null 2>&1 || die "pkg-config not found"
pkg_cflags=$(pkg-config --cflags $pkgs) ||
    die "pkg-config does not know one of: $pkgs"
# -specs= is a gcc-only option libetpan's .pc carries; clang ignores it.
# libstemmer (Snowball) has no .pc file; the mailbox pollers are threads.
pkg_libs="$(pkg-config --libs $pkgs | tr ' ' '\n' | grep -v '^-specs=' |
    tr '\n' ' ') -lstemmer -pthread"

# --- config.h ----------------------------------------------------------
if [ ! -f "$out/cfg/config.h" ]; then
	echo "fuzz build: configure (CC=$CC) in $out/cfg for config.h"
	if ! (cd "$out/cfg" && CC="$CC" "$top/configure" >configure.log 2>&1)
	then
		echo "fuzz build: configure failed (see $out/cfg/configure.log);" \
		    "writing a minimal config.h"
		{
			echo '#define _GNU_SOURCE 1'
			echo '#define PACKAGE "metodist"'
			echo '#define PACKAGE_VERSION "0.0-fuzz"'
			printf '%s\n' '#include <sys/random.h>' \
			    'int main(void) { char b[1];' \
			    'return getrandom(b, 1, 0) != 1; }' \
			    >"$out/cfg/gr.c"
			if "$CC" "$out/cfg/gr.c" -o "$out/cfg/gr" 2>/dev/null
			then
				echo '#define HAVE_GETRANDOM 1'
			fi
		} >"$out/cfg/config.h"
	fi
fi

# --- sources -----------------------------------------------------------
srcs=$(awk '
	/^libmetodist_a_SOURCES[ \t]*=/ { on = 1; sub(/^[^=]*=/, "") }
	on { cont = sub(/\\[ \t]*$/, ""); print; if (!cont) on = 0 }
    ' "$top/Makefile.am" | tr ' \t' '\n\n' | grep '\.c$')
[ -n "$srcs" ] || die "no libmetodist_a_SOURCES in $top/Makefile.am"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS_ALL="-std=gnu11 -g -O1 -fno-omit-frame-pointer $SAN -Wall
    -Wno-unused-parameter -Wno-sign-compare -I$top/src -I$out/cfg
    -I$here -DMETODIST_SYSCONFDIR=\"/etc/metodist\" $pkg_cflags"
export CC CFLAGS_ALL out top

# Newest header: a change to one of the project's rebuilds the library
# (no dependency tracking here; the build takes a minute or two), a change
# to tests/fuzz/fuzz.h only the targets.
newest_h=$(ls -t $(find "$top/src" -name '*.h') "$out/cfg/config.h" |
    head -1)

# --- objects (in parallel) ---------------------------------------------
echo "$srcs" | xargs -P "$jobs" -I{} sh -c '
	src="$top/{}"
	obj="$out/obj/$(echo "{}" | tr / _ | sed "s/\.c$/.o/")"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$1" -nt "$obj" ]
	then
		echo "  CC    {}"
		$CC $CFLAGS_ALL -fsanitize=fuzzer-no-link -c "$src" -o "$obj" ||
		    exit 255
	fi
' sh "$newest_h" || die "compiling the library failed"

objs=""
for s in $srcs; do
	objs="$objs $out/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
done

# --- targets -----------------------------------------------------------
n=0
for f in "$here"/fuzz_*.c; do
	name=$(basename "$f" .c)
	name=${name#fuzz_}
	bin="$out/bin/$name"
	stale=0
	[ -f "$bin" ] || stale=1
	for d in "$f" "$here/fuzz.h" "$newest_h" $objs; do
		[ "$stale" = 1 ] && break
		[ "$d" -nt "$bin" ] && stale=1
	done
	if [ "$stale" = 1 ]; then
		echo "  LD    $name"
		$CC $CFLAGS_ALL -fsanitize=fuzzer "$f" $objs $pkg_libs -lm \
		    -o "$bin" || die "building target $name failed"
	fi
	n=$((n + 1))
done
echo "fuzz build: $n targets in $out/bin"

#!/bin/bash
# Render a page in headless Chromium and check that something was drawn.
#
# Usage: tests/browser/shot.sh PAGE OUT.png [WIDTH,HEIGHT]
#   PAGE is a file path or a URL.  Writes the screenshot to OUT.png and the
#   DOM as Chromium built it to OUT.dom.html, then runs
#   pngcheck.py on the picture.  Exit 0 when the page drew; 1 when the
#   screenshot is missing or blank; 77 when no Chromium is installed (the
#   caller reports "skipped").
#
# Chromium runs with a throw-away profile, no network beyond loopback (the
# proxy is pointed at a closed port), and --no-sandbox only when run as
# root, where its sandbox cannot start.
set -u

page=${1:?usage: shot.sh PAGE OUT.png [WIDTH,HEIGHT]}
out=${2:?usage: shot.sh PAGE OUT.png [WIDTH,HEIGHT]}
size=${3:-1024,1400}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

chrome=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then chrome=$(command -v "$c"); break; fi
done
[ -n "$chrome" ] || { echo "shot.sh: no chromium installed" >&2; exit 77; }

case $page in
*://*) url=$page ;;
/*) url=file://$page ;;
*) url=file://$(pwd)/$page ;;
esac

profile=$(mktemp -d /tmp/metodist-chrome.XXXXXX)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --disable-gpu --hide-scrollbars --mute-audio
	--no-first-run --disable-extensions --disable-background-networking
	--proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>'
	--user-data-dir="$profile" --window-size="$size")
[ "$(id -u)" -eq 0 ] && flags+=(--no-sandbox)

rm -f "$out"
timeout 90 "$chrome" "${flags[@]}" --screenshot="$out" "$url" \
	>"$profile/shot.log" 2>&1
if [ ! -s "$out" ]; then
	echo "shot.sh: chromium wrote no screenshot of $url" >&2
	tail -5 "$profile/shot.log" >&2
	exit 1
fi
timeout 90 "$chrome" "${flags[@]}" \
	--dump-dom "$url" >"${out%.png}.dom.html" 2>>"$profile/shot.log"
python3 "$here/pngcheck.py" "$out"

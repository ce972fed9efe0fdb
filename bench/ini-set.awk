# ini-set.awk — set KEY = VAL in [SEC] of an INI file (added at the end
# of the section, or with a new section, when absent).
# usage: awk -v sec=SEC -v key=KEY -v val=VAL -f ini-set.awk FILE
function flush() { if (insec && !done) { print key " = " val; done = 1 } }
/^\[/ { flush(); insec = ($0 == "[" sec "]"); seen = seen || insec; print; next }
insec && $0 ~ "^[ \t]*" key "[ \t]*=" { print key " = " val; done = 1; next }
{ print }
END { flush(); if (!seen) { print "[" sec "]"; print key " = " val } }

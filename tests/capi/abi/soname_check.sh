#!/usr/bin/env bash
# The loader half of the ABI policy: a host records the soname it was linked
# against (its NEEDED entry) and the loader only ever hands it a library
# under that name. So when the soname moves, a host built for the old one
# cannot load the new library at all, instead of misreading it.
#
#   soname_check.sh OLD_HOST LIBRARY ABI_MAJOR
#
# Checks that LIBRARY carries the soname libhotline.so.ABI_MAJOR, that
# OLD_HOST needs exactly that soname (and has no RPATH/RUNPATH that would
# let it find a library by another route), and that with only a moved
# soname installed (the library under the name libhotline.so.ABI_MAJOR+1)
# the loader refuses to start OLD_HOST.
set -euo pipefail
host=${1:?usage: soname_check.sh OLD_HOST LIBRARY ABI_MAJOR}
library=${2:?usage: soname_check.sh OLD_HOST LIBRARY ABI_MAJOR}
major=${3:?usage: soname_check.sh OLD_HOST LIBRARY ABI_MAJOR}

fail() {
  echo "soname_check: $*" >&2
  exit 1
}

soname=$(readelf -d "$library" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ "$soname" == "libhotline.so.$major" ]] ||
  fail "the library's soname is '$soname', expected libhotline.so.$major"

needed=$(readelf -d "$host" | sed -n 's/.*(NEEDED).*\[\(libhotline[^]]*\)\]/\1/p')
[[ "$needed" == "$soname" ]] ||
  fail "the host needs '$needed' but the library's soname is '$soname'"

if readelf -d "$host" | grep -Eq '\((RPATH|RUNPATH)\)'; then
  fail "the host carries an RPATH/RUNPATH: the loader test below would prove nothing"
fi

moved=$(mktemp -d)
trap 'rm -rf "$moved"' EXIT
cp "$library" "$moved/libhotline.so.$((major + 1))"
if output=$(LD_LIBRARY_PATH="$moved" "$host" 2>&1); then
  fail "the host started with only libhotline.so.$((major + 1)) installed: $output"
fi
grep -q "$needed: cannot open shared object file" <<<"$output" ||
  fail "the host failed, but not in the loader: $output"

echo "soname: the host needs $needed, the library is $soname; a moved soname is refused"

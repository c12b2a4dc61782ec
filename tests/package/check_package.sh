#!/usr/bin/env bash
# Builds the .deb and checks it as a user would meet it: metadata, the files it installs, and the
# binary extracted from it running `--version` and `info` on the demo project.
set -euo pipefail
BUILD=$1 SOURCE=$2
cd "$BUILD"
cpack -G DEB >/dev/null
deb=$(ls -t "$BUILD"/concord_*.deb | head -1)
fail() { echo "FAIL: $*" >&2; exit 1; }

info=$(dpkg-deb -I "$deb")
grep -q '^ Package: concord$' <<<"$info" || fail "package name"
# Dependencies come from dpkg-shlibdeps (Qt, SQLite, libc), plus the platform plugins by hand.
for dep in libqt6widgets6 libsqlite3-0 libc6 qt6-qpa-plugins; do
    grep -q "Depends:.*$dep" <<<"$info" || fail "Depends lacks $dep: $(grep Depends <<<"$info")"
done

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/concord \
         ./usr/share/applications/org.concordeval.Concord.desktop \
         ./usr/share/metainfo/org.concordeval.Concord.metainfo.xml \
         ./usr/share/mime/packages/org.concordeval.Concord.xml \
         ./usr/share/icons/hicolor/scalable/apps/org.concordeval.Concord.svg \
         ./usr/share/icons/hicolor/48x48/apps/org.concordeval.Concord.png \
         ./usr/share/icons/hicolor/256x256/apps/org.concordeval.Concord.png \
         ./usr/share/man/man1/concord.1; do
    grep -qx "$f" <<<"$files" || fail "package lacks $f"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root"
bin="$tmp/root/usr/bin/concord"
"$bin" --version | grep -q '^concord ' || fail "--version"
"$bin" new "$tmp/demo.concord" >/dev/null
"$bin" import "$tmp/demo.concord" "$SOURCE/resources/demo/demo.jsonl" >/dev/null
"$bin" info "$tmp/demo.concord" --json | grep -q '"items":' || fail "info on the demo project"

grep -q 'MimeType=application/x-concord-project;' "$tmp/root/usr/share/applications/org.concordeval.Concord.desktop" \
    || fail "desktop entry lacks the MIME type"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$tmp/root/usr/share/applications/org.concordeval.Concord.desktop"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$tmp/root/usr/share/metainfo/org.concordeval.Concord.metainfo.xml"
fi
man -l "$tmp/root/usr/share/man/man1/concord.1" >/dev/null 2>&1 || groff -man -Tutf8 "$tmp/root/usr/share/man/man1/concord.1" >/dev/null 2>&1 || true
echo "package OK: $deb"

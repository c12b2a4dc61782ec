#!/usr/bin/env bash
# Builds the .deb and checks it as a user would meet it: metadata, the files it installs, and the
# binary extracted from it running `--version` and `info` on the demo project.
set -euo pipefail
BUILD=$1 SOURCE=$2
cd "$BUILD"
cpack -G "DEB;TGZ" >/dev/null
deb=$(ls -t "$BUILD"/concord_*.deb | head -1)
tgz=$(ls -t "$BUILD"/concord_*.tar.gz | head -1)
fail() { echo "FAIL: $*" >&2; exit 1; }
arch=$(dpkg --print-architecture)
[[ $(basename "$deb") == concord_*_"$arch".deb ]] || fail "package name $(basename "$deb") lacks _$arch"
[[ $(basename "$tgz") == concord_*_"$arch".tar.gz ]] || fail "archive name $(basename "$tgz") lacks _$arch"

info=$(dpkg-deb -I "$deb")
grep -q '^ Package: concord$' <<<"$info" || fail "package name"
# Dependencies come from dpkg-shlibdeps (Qt, SQLite, libc), plus the platform plugins by hand.
for dep in libqt6widgets6 libqt6printsupport6 libqt6keychain1 libsqlite3-0 libcurl4 libc6 qt6-qpa-plugins; do
    grep -q "Depends:.*$dep" <<<"$info" || fail "Depends lacks $dep: $(grep Depends <<<"$info")"
done

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/concord \
         ./usr/share/applications/org.concordeval.Concord.desktop \
         ./usr/share/metainfo/org.concordeval.Concord.metainfo.xml \
         ./usr/share/mime/packages/org.concordeval.Concord.xml \
         ./usr/share/icons/hicolor/scalable/apps/org.concordeval.Concord.svg \
         ./usr/share/man/man1/concord.1; do
    grep -qx "$f" <<<"$files" || fail "package lacks $f"
done
for size in 16 24 32 48 64 128 256 512; do
    grep -qx "./usr/share/icons/hicolor/${size}x${size}/apps/org.concordeval.Concord.png" <<<"$files" \
        || fail "package lacks the ${size}x${size} icon"
done
# The archive holds the same tree.
archived=$(tar -tzf "$tgz")
grep -q '/bin/concord$' <<<"$archived" || fail "$tgz lacks bin/concord"
grep -q '/share/man/man1/concord.1$' <<<"$archived" || fail "$tgz lacks the man page"
grep -q '/share/applications/org.concordeval.Concord.desktop$' <<<"$archived" || fail "$tgz lacks the desktop entry"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root"
bin="$tmp/root/usr/bin/concord"
"$bin" --version | grep -q '^concord ' || fail "--version"
"$bin" new "$tmp/demo.concord" >/dev/null
"$bin" import "$tmp/demo.concord" "$SOURCE/resources/demo/demo.jsonl" >/dev/null
demo_items=$(grep -c '"kind":"item"' "$SOURCE/resources/demo/demo.jsonl")
"$bin" info "$tmp/demo.concord" --json | grep -q "\"items\":$demo_items," \
    || fail "info on the demo project does not count its $demo_items items: $("$bin" info "$tmp/demo.concord" --json)"

grep -q 'MimeType=application/x-concord-project;' "$tmp/root/usr/share/applications/org.concordeval.Concord.desktop" \
    || fail "desktop entry lacks the MIME type"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$tmp/root/usr/share/applications/org.concordeval.Concord.desktop"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$tmp/root/usr/share/metainfo/org.concordeval.Concord.metainfo.xml"
fi
# The man page is the CLI help: a title, and every subcommand the help lists.
man1="$tmp/root/usr/share/man/man1/concord.1"
[ -f "$man1" ] || man1="${man1}.gz"
manpage=$(if [[ $man1 == *.gz ]]; then zcat "$man1"; else cat "$man1"; fi)
grep -q '^\.TH CONCORD 1' <<<"$manpage" || fail "man page has no .TH CONCORD 1 title"
for command in new import export info agreement judge compare report screenshot; do
    grep -q "$command" <<<"$manpage" || fail "man page does not describe '$command'"
done
if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z <<<"$manpage" 2>"$tmp/groff.err" || fail "groff cannot render the man page"
fi

# The MIME type claims a Concord project under any name, and not another SQLite file.
if command -v update-mime-database >/dev/null && command -v gio >/dev/null; then
    mkdir -p "$tmp/xdg/mime/packages"
    cp "$tmp/root/usr/share/mime/packages/org.concordeval.Concord.xml" "$tmp/xdg/mime/packages/"
    cp /usr/share/mime/packages/freedesktop.org.xml "$tmp/xdg/mime/packages/" 2>/dev/null || true
    update-mime-database "$tmp/xdg/mime" >/dev/null 2>&1
    cp "$tmp/demo.concord" "$tmp/renamed.db"
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()" \
        "$tmp/other.db"
    mime() { XDG_DATA_HOME="$tmp/xdg" XDG_DATA_DIRS="$tmp/xdg" gio info -a standard::content-type "$1" \
        | sed -n 's/^ *standard::content-type: //p'; }
    [ "$(mime "$tmp/demo.concord")" = application/x-concord-project ] || fail "demo.concord is $(mime "$tmp/demo.concord")"
    [ "$(mime "$tmp/renamed.db")" = application/x-concord-project ] || fail "a renamed project is $(mime "$tmp/renamed.db")"
    [ "$(mime "$tmp/other.db")" != application/x-concord-project ] || fail "another SQLite file is claimed"
fi
echo "package OK: $deb"

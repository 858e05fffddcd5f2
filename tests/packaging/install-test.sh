#!/usr/bin/env bash
# Installs the built KBatch .deb on this machine with apt-get, checks it as a user would meet it, and removes it.
#
#   tests/packaging/install-test.sh [BUILD_DIR]     (default build/release; make the package first with
#                                                    `cmake --workflow --preset package`)
#
# Checks, each of which fails the script: the package's control fields (computed Depends, libsecret, Recommends,
# Suggests, section, version = the CMake project version) and the tarball's contents; the installed files; the
# versions kbatch-cli and kbatch print; that the man pages cover every option `--help` lists; a sandbox send of the
# installed sample template with --verify, read back by kcat; desktop-file-validate, appstreamcli validate and the
# MIME type on the installed files; the kbatch window under Xvfb; and finally that removing and purging the package
# leaves none of its files behind. Needs root (or sudo) for apt-get. Exit status: 0 all checks passed, 1 a check
# failed, 2 cannot run (no package, or kbatch already installed: this script never replaces a real installation).
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build/release}
build=$(cd "$build" 2>/dev/null && pwd) ||
  { echo "install-test: build directory '${1:-build/release}' not found" >&2; exit 2; }
app_id=io.github.kbatch.kbatch

say() { echo "install-test: $*"; }
ok() { echo "install-test: ok: $*"; }
fail() {
  echo "install-test: FAIL: $*" >&2
  exit 1
}
cannot() {
  echo "install-test: cannot run: $*" >&2
  exit 2
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
for tool in apt-get dpkg-deb kcat xvfb-run xwininfo xprop desktop-file-validate appstreamcli man lexgrog file \
  python3; do
  command -v "$tool" >/dev/null || cannot "$tool not found (run packaging/install-deps.sh)"
done

# The packages of this source tree's version (older ones may lie next to them).
project_version=$(sed -n 's/^project(KBatch VERSION \([0-9.]*\).*/\1/p' "$here/CMakeLists.txt")
[ -n "$project_version" ] || cannot "no project(KBatch VERSION ...) in $here/CMakeLists.txt"
shopt -s nullglob
debs=("$build"/kbatch_"$project_version"_*.deb)
tgzs=("$build"/kbatch-"$project_version"-*.tar.gz)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] ||
  cannot "expected one kbatch_${project_version}_*.deb in $build, found ${#debs[@]} (cmake --workflow --preset package)"
[ ${#tgzs[@]} -eq 1 ] || cannot "expected one kbatch-$project_version-*.tar.gz in $build, found ${#tgzs[@]}"
deb=${debs[0]}
tgz=${tgzs[0]}

installed() { dpkg-query -W -f='${Status}' kbatch 2>/dev/null | grep -q "install ok installed"; }
if installed || [ -e /usr/bin/kbatch ] || [ -e /usr/bin/kbatch-cli ]; then
  cannot "kbatch is already installed here (dpkg or /usr/bin); remove it first, this test will not replace it"
fi

tmp=$(mktemp -d)
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  # Whatever happened above, never leave the package behind.
  if dpkg-query -W kbatch >/dev/null 2>&1; then
    echo "install-test: cleanup: purging kbatch" >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get purge -y -qq kbatch >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
# The programs run with a private home so that nothing of the user's (profiles, templates, settings) is read or
# changed.
mkdir -p "$tmp/home" "$tmp/runtime"
chmod 700 "$tmp/runtime"
user_env=(env HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
  XDG_CACHE_HOME="$tmp/home/.cache" XDG_RUNTIME_DIR="$tmp/runtime")

# ---- the package files, before installing ------------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
version=$(field Version)
[ "$(field Package)" = kbatch ] || fail "Package is '$(field Package)', expected kbatch"
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "Version '$version' is not the CMake project version (X.Y.Z)"
[ "$version" = "$project_version" ] || fail "package Version $version differs from project() VERSION $project_version"
[ "$(field Section)" = devel ] || fail "Section is '$(field Section)', expected devel"
[ -n "$(field Maintainer)" ] || fail "no Maintainer field"
[ -n "$(field Homepage)" ] || fail "no Homepage field"
depends=$(field Depends)
say "Depends: $depends"
# Computed by dpkg-shlibdeps: versioned library packages, not a hand-written list.
# librdkafka is either the system's (librdkafka1) or, on Debian 12, built in statically: then the package depends on
# what that static copy links instead (TLS, SASL, zstd, lz4, zlib, curl).
if grep -Eq "(^|, )librdkafka1 " <<<"$depends"; then
  rdkafka_deps=(librdkafka1)
else
  rdkafka_deps=(libssl3 libsasl2-2 libzstd1 liblz4-1 zlib1g libcurl4)
fi
for lib in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6keychain1 \
  "${rdkafka_deps[@]}"; do
  grep -Eq "(^|, )${lib//+/\\+} \(>= [^)]+\)" <<<"$depends" || fail "Depends lacks a computed, versioned '$lib' entry"
done
# Loaded at run time, so named by hand: QtKeychain's libsecret, and the SVG icon plugins.
for lib in libsecret-1-0 libqt6svg6; do
  grep -Eq "(^|, )$lib(,|$| )" <<<"$depends" || fail "Depends lacks $lib"
done
grep -q "gnome-keyring | kwalletmanager" <<<"$(field Recommends)" ||
  fail "Recommends lacks gnome-keyring | kwalletmanager"
grep -q "kcat" <<<"$(field Suggests)" || fail "Suggests lacks kcat"
ok "control fields of $(basename "$deb") (version $version)"

tar_list=$(tar -tzf "$tgz")
for f in bin/kbatch bin/kbatch-cli share/man/man1/kbatch-cli.1.gz share/man/man1/kbatch.1.gz \
  share/kbatch/templates/orders-smoke.kbatch.json share/applications/$app_id.desktop; do
  grep -Eq "^[^/]+/$f$" <<<"$tar_list" || fail "$(basename "$tgz") lacks $f"
done
ok "tarball contents of $(basename "$tgz")"

# ---- install ---------------------------------------------------------------------------------------------------
say "apt-get install -y $deb"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$deb" >"$tmp/apt-install.log" 2>&1 ||
  { cat "$tmp/apt-install.log" >&2; fail "apt-get install of $deb failed"; }
installed || fail "dpkg does not report kbatch installed after apt-get install"
ok "installed"

expected_files=(/usr/bin/kbatch /usr/bin/kbatch-cli
  /usr/share/kbatch/templates/orders-smoke.kbatch.json /usr/share/kbatch/templates/binary-and-nulls.kbatch.json
  /usr/share/kbatch/templates/user-events-generated.kbatch.json
  /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml
  /usr/share/mime/packages/$app_id.xml /usr/share/icons/hicolor/scalable/apps/$app_id.svg
  /usr/share/man/man1/kbatch.1.gz /usr/share/man/man1/kbatch-cli.1.gz /usr/share/doc/kbatch/README.md
  /usr/share/doc/kbatch/docs/cli.md /usr/share/doc/kbatch/docs/user-guide.md
  /usr/share/doc/kbatch/docs/template-format.md
  /usr/share/doc/kbatch/docs/template-format.schema.json /usr/share/doc/kbatch/docs/screenshots/main-after-send.png
  /usr/share/doc/kbatch/copyright)
for f in "${expected_files[@]}"; do
  [ -f "$f" ] || fail "$f not installed"
done
for size in 16 24 32 48 64 128 256; do
  png=/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
  [ -f "$png" ] || fail "$png not installed"
  file "$png" | grep -q "PNG image data, $size x $size," || fail "$png is not a ${size}x$size PNG: $(file -b "$png")"
done
ok "installed files, icons at every size"

# The copyright file: KBatch's licence, and with librdkafka built in, its licences and upstream's LICENSES.txt.
copyright=/usr/share/doc/kbatch/copyright
grep -q "^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" "$copyright" ||
  fail "$copyright is not in the machine-readable format"
grep -Eq "^License: Apache-2.0$" "$copyright" || fail "$copyright does not name KBatch's licence, Apache-2.0"
if [ "${rdkafka_deps[0]}" != librdkafka1 ]; then
  for phrase in "librdkafka - Apache Kafka C driver library" "LICENSE.cjson" "LICENSE.lz4" "LICENSE.snappy" \
    "Files: librdkafka/src/cJSON.c"; do
    grep -Fq "$phrase" "$copyright" || fail "$copyright lacks librdkafka's licences ('$phrase')"
  done
fi
ok "copyright file ($(wc -l <"$copyright") lines)"

# ---- versions: one version, the CMake project's ------------------------------------------------------------------
cli_output=$("${user_env[@]}" /usr/bin/kbatch-cli --version) || fail "kbatch-cli --version exited $?"
say "kbatch-cli --version: $cli_output"
cli_version=$(head -n1 <<<"$cli_output")
cli_rdkafka=$(sed -n 2p <<<"$cli_output")
[[ $cli_version =~ ^kbatch-cli\ ([0-9.]+)\ \(librdkafka\ ([0-9.]+),\ Qt\ ([0-9.]+)\)$ ]] ||
  fail "kbatch-cli --version printed '$cli_version', expected 'kbatch-cli X.Y.Z (librdkafka A.B.C, Qt D.E.F)'"
[ "${BASH_REMATCH[1]}" = "$version" ] || fail "kbatch-cli says version ${BASH_REMATCH[1]}, the package is $version"
rdkafka_version=${BASH_REMATCH[2]}
if [ "${rdkafka_deps[0]}" = librdkafka1 ]; then
  rdkafka_pkg=$(dpkg-query -W -f='${Version}' librdkafka1)
  [[ $rdkafka_pkg == "$rdkafka_version"* ]] ||
    fail "kbatch-cli reports librdkafka $rdkafka_version, installed is $rdkafka_pkg"
fi
# Older ones cannot log in with SCRAM to Kafka 4.
[ "$(printf '%s\n' 2.6.1 "$rdkafka_version" | sort -V | head -n1)" = 2.6.1 ] ||
  fail "kbatch-cli runs on librdkafka $rdkafka_version, older than 2.6.1"
qt_version=${BASH_REMATCH[3]}
qt_pkg=$(dpkg-query -W -f='${Version}' libqt6core6)
[[ $qt_pkg == "$qt_version"* ]] || fail "kbatch-cli reports Qt $qt_version, installed is $qt_pkg"
# The second line: how librdkafka is linked and its built-in features (what a bug report needs).
[[ $cli_rdkafka =~ ^librdkafka\ $rdkafka_version\ \((.+)\)\;\ features:\ (.+)$ ]] ||
  fail "kbatch-cli --version's second line is '$cli_rdkafka', expected 'librdkafka A.B.C (LINKAGE); features: ...'"
for feature in ssl sasl_scram sasl_oauthbearer zstd lz4; do
  grep -Eq "(: |, )$feature(,|$)" <<<"$cli_rdkafka" || fail "librdkafka lacks the feature $feature: $cli_rdkafka"
done
gui_version=$("${user_env[@]}" QT_QPA_PLATFORM=offscreen /usr/bin/kbatch --version) || fail "kbatch --version failed"
say "kbatch --version: $gui_version"
expected_gui="kbatch $version (librdkafka $rdkafka_version, Qt $qt_version)"$'\n'"$cli_rdkafka"
[ "$gui_version" = "$expected_gui" ] || fail "kbatch --version printed '$gui_version', expected '$expected_gui'"
ok "versions"

# ---- man pages: found by man, parseable, and covering every option --help lists ------------------------------
for page in kbatch kbatch-cli; do
  path=$(man -w "$page") || fail "man -w $page finds no page"
  [ "$path" = "/usr/share/man/man1/$page.1.gz" ] || fail "man -w $page gives $path"
  lexgrog "$path" >/dev/null || fail "lexgrog cannot parse the NAME section of $path"
  grep -Fq "KBatch $version" <(zcat "$path") || fail "$path does not carry version $version"
done
# Every option and command that --help lists has its man entry (the same check CTest runs on the build tree).
"${user_env[@]}" "$here/tests/packaging/man-covers-help.sh" /usr/bin/kbatch-cli /usr/bin/kbatch /usr/share/man/man1 ||
  fail "the man pages do not cover what --help lists (above)"
ok "man pages (man -w, lexgrog, every --help option and command documented)"

# ---- bad input gets a clear error and exit status 2 --------------------------------------------------------------
set +e
"${user_env[@]}" /usr/bin/kbatch-cli send "$tmp/no-such.kbatch.json" --bootstrap 127.0.0.1:1 >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "kbatch-cli send of a missing template exited $rc, expected 2"
grep -q "no-such.kbatch.json" "$tmp/err" || fail "the error for a missing template does not name it: $(cat "$tmp/err")"
ok "missing template: exit 2, '$(head -n1 "$tmp/err")'"

# ---- the installed sample, sent to the installed sandbox, verified, and read back by kcat ------------------------
template=/usr/share/kbatch/templates/orders-smoke.kbatch.json
"${user_env[@]}" /usr/bin/kbatch-cli sandbox --brokers 3 --partitions 3 --topic orders \
  >"$tmp/sandbox.out" 2>"$tmp/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 1 100); do
  [ -s "$tmp/sandbox.out" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || fail "kbatch-cli sandbox exited early: $(cat "$tmp/sandbox.err")"
  sleep 0.1
done
bootstrap=$(head -n1 "$tmp/sandbox.out")
[[ $bootstrap =~ ^[^,:]+:[0-9]+(,[^,:]+:[0-9]+)*$ ]] || fail "sandbox printed '$bootstrap', not a bootstrap list"
say "sandbox at $bootstrap"
set +e
"${user_env[@]}" /usr/bin/kbatch-cli send "$template" --bootstrap "$bootstrap" --verify --report "$tmp/report.jsonl" \
  >"$tmp/send.out" 2>"$tmp/send.err"
rc=$?
set -e
[ $rc -eq 0 ] || fail "kbatch-cli send --verify exited $rc: $(cat "$tmp/send.err")"
expected=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["messages"]))' "$template")
python3 - "$tmp/report.jsonl" "$expected" <<'EOF' || fail "the send report is not $expected delivered messages"
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
assert len(rows) == int(sys.argv[2]), f"{len(rows)} report lines"
assert sorted(r["index"] for r in rows) == list(range(len(rows))), "indexes"
bad = [r for r in rows if r["status"] != "delivered" or r["persisted"] != "persisted" or r["offset"] < 0]
assert not bad, bad
EOF
kcat -C -q -e -J -b "$bootstrap" -t orders >"$tmp/kcat.jsonl" 2>"$tmp/kcat.err" ||
  fail "kcat failed: $(cat "$tmp/kcat.err")"
python3 - "$tmp/kcat.jsonl" "$template" <<'EOF' || fail "kcat does not read back the template's messages"
import json, sys
# kcat -J writes binary keys and values as raw bytes, so not every line is valid UTF-8.
read = [json.loads(line.decode("utf-8", "replace")) for line in open(sys.argv[1], "rb") if line.strip()]
messages = json.load(open(sys.argv[2]))["messages"]
assert len(read) == len(messages), f"kcat read {len(read)} messages, the template has {len(messages)}"
keys = sorted(m["key"] for m in messages if isinstance(m.get("key"), str))
got = sorted(r["key"] for r in read if r.get("key") in keys)
assert got == keys, f"keys {got} != {keys}"
EOF
ok "sandbox send --verify: $expected messages delivered, verified, and read back by kcat"
kill "$sandbox_pid"
wait "$sandbox_pid" 2>/dev/null || true
sandbox_pid=""

# ---- desktop integration -----------------------------------------------------------------------------------------
desktop=/usr/share/applications/$app_id.desktop
metainfo=/usr/share/metainfo/$app_id.metainfo.xml
out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate $desktop: $out"
[ -z "$out" ] || fail "desktop-file-validate $desktop reports: $out"
grep -qx "Exec=kbatch %f" "$desktop" || fail "$desktop does not start kbatch"
out=$(appstreamcli validate --no-net "$metainfo" 2>&1) || fail "appstreamcli validate $metainfo: $out"
grep -q "<release version=\"$version\"" "$metainfo" || fail "$metainfo has no release entry for $version"
# The whole installed set, as a software centre sees it: metainfo, desktop entry and icon linked up.
dpkg -L kbatch | grep -E "^/usr/share/(applications|metainfo|icons)/.*\.[a-z]+$" >"$tmp/desktop-files"
while read -r f; do
  mkdir -p "$tmp/tree$(dirname "$f")"
  cp "$f" "$tmp/tree$f"
done <"$tmp/desktop-files"
out=$(appstreamcli validate-tree --no-net "$tmp/tree" 2>&1) || fail "appstreamcli validate-tree: $out"
# dpkg triggers ran update-mime-database and update-desktop-database: *.kbatch.json is known and opens in KBatch.
grep -q "x-kbatch-template" /usr/share/mime/globs2 || fail "update-mime-database did not register *.kbatch.json"
grep -q "^application/x-kbatch-template=.*$app_id.desktop" /usr/share/applications/mimeinfo.cache ||
  fail "update-desktop-database did not associate application/x-kbatch-template with $app_id.desktop"
ok "desktop-file-validate, appstreamcli validate and validate-tree, MIME type and its association"

# ---- the window, under Xvfb ------------------------------------------------------------------------------------
# Inside the X session: start kbatch, wait up to 30 s for a top-level window whose name holds "KBatch", record its
# WM_CLASS (the desktop file's StartupWMClass must match it), check kbatch is still running, then stop it.
cat >"$tmp/in-x.sh" <<'EOF'
set -u
/usr/bin/kbatch >"$1/kbatch.log" 2>&1 &
pid=$!
line=""
for _ in $(seq 1 60); do
  if ! kill -0 "$pid" 2>/dev/null; then echo "kbatch exited early"; exit 1; fi
  # Qt also makes small unmapped helper windows named "KBatch": only a viewable one is the main window.
  for id in $(xwininfo -root -tree | grep -E '^\s+0x[0-9a-f]+ "[^"]*KBatch[^"]*"' | awk '{print $1}'); do
    if xwininfo -id "$id" | grep -q "Map State: IsViewable"; then
      line=$(xwininfo -root -tree | grep -E "^\s+$id ")
      break 2
    fi
  done
  sleep 0.5
done
[ -n "$line" ] || { echo "no viewable KBatch window after 30 s"; kill "$pid"; exit 1; }
echo "window: $line"
xprop -id "$id" WM_CLASS
sleep 2
kill -0 "$pid" 2>/dev/null || { echo "kbatch died after showing its window"; exit 1; }
kill "$pid"
wait "$pid"
echo "kbatch exit status after SIGTERM: $?"
exit 0
EOF
set +e
"${user_env[@]}" xvfb-run -a -s "-screen 0 1280x800x24" bash "$tmp/in-x.sh" "$tmp" >"$tmp/x.out" 2>&1
rc=$?
set -e
cat "$tmp/x.out"
[ $rc -eq 0 ] ||
  fail "the kbatch window did not appear under Xvfb (exit $rc); kbatch said: $(tail -n 20 "$tmp/kbatch.log")"
grep -q '^window: ' "$tmp/x.out" || fail "no window line from the X session"
wm_class=$(grep -F 'WM_CLASS' "$tmp/x.out" | sed -n 's/.*= "\([^"]*\)", "\([^"]*\)"$/\2/p')
startup_class=$(sed -n 's/^StartupWMClass=//p' "$desktop")
[ -n "$wm_class" ] && [ "$wm_class" = "$startup_class" ] ||
  fail "the window's WM_CLASS class '$wm_class' does not match StartupWMClass '$startup_class' in $desktop"
ok "kbatch window under Xvfb (WM_CLASS $wm_class)"

# ---- remove and purge: nothing left behind -----------------------------------------------------------------------
DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -q kbatch >"$tmp/apt-remove.log" 2>&1 ||
  { cat "$tmp/apt-remove.log" >&2; fail "apt-get remove kbatch failed"; }
! installed || fail "kbatch still installed after apt-get remove"
# With no conffiles, remove already leaves dpkg nothing to purge (and apt-get purge then cannot find the package);
# purge whatever is left otherwise.
if dpkg-query -W kbatch >/dev/null 2>&1; then
  say "after remove dpkg still has: $(dpkg-query -W -f='${Status}' kbatch); purging"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get purge -y -q kbatch >"$tmp/apt-purge.log" 2>&1 ||
    { cat "$tmp/apt-purge.log" >&2; fail "apt-get purge kbatch failed"; }
fi
! dpkg-query -W kbatch >/dev/null 2>&1 ||
  fail "dpkg still knows kbatch after purge: $(dpkg-query -W -f='${Status}' kbatch)"
for f in "${expected_files[@]}" /usr/share/kbatch /usr/share/doc/kbatch; do
  [ ! -e "$f" ] || fail "$f is still there after purge"
done
ok "removed and purged; /usr/bin/kbatch and every other file are gone"
say "all checks passed"

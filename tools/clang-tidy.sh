#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) over the C++ sources of core/, ui/ and app/, with the compile commands
# of a build that already exists, and fails on any finding. Our headers are checked through the files that include
# them; generated code (moc, resources) and tests/ are not.
#
# Usage: tools/clang-tidy.sh [--since REF] [BUILD_DIR] [FILE...]
#   --since REF  only the sources changed since the merge base of HEAD and REF (committed or not), a changed header
#                through the source of the same name (CI checks the whole tree: see .ci/run for what it costs)
#   BUILD_DIR    a configured build with compile_commands.json (default: build/ci, which `cmake --preset ci` makes)
#   FILE...      only these sources; default: every one
# Environment: CLANG_TIDY (default clang-tidy-14, else clang-tidy), JOBS (default 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
since=
if [ "${1:-}" = --since ]; then
    since=${2:?--since needs a git ref}
    shift 2
fi
build=${1:-$root/build/ci}
[ $# -gt 0 ] && shift
build=$(cd "$build" && pwd)
if [ ! -f "$build/compile_commands.json" ]; then
    echo "clang-tidy.sh: no compile_commands.json in $build (configure a preset first)" >&2
    exit 2
fi
tidy=${CLANG_TIDY:-$(command -v clang-tidy-14 || command -v clang-tidy || true)}
if [ -z "$tidy" ]; then
    echo "clang-tidy.sh: clang-tidy not found (packaging/install-deps.sh installs it)" >&2
    exit 2
fi

cd "$root"
if [ $# -gt 0 ]; then
    files=("$@")
elif [ -n "$since" ]; then
    base=$(git merge-base HEAD "$since")
    mapfile -t files < <(git diff --name-only "$base" -- 'core/*.cpp' 'core/*.h' 'ui/*.cpp' 'ui/*.h' 'app/*.cpp' \
        'app/*.h' | sed 's/\.h$/.cpp/' | sort -u)
    echo "clang-tidy.sh: sources changed since $(git rev-parse --short "$base") ($since)"
else
    mapfile -t files < <(git ls-files 'core/*.cpp' 'ui/*.cpp' 'app/*.cpp')
fi
# Only the files the build compiles: a GUI-less build has no ui/ entries, and a file it does not compile cannot be
# checked with its real flags.
mapfile -t files < <(python3 - "$build/compile_commands.json" "${files[@]}" <<'EOF'
import json, os, sys
known = {os.path.realpath(e["file"]) for e in json.load(open(sys.argv[1]))}
for f in sys.argv[2:]:
    if os.path.realpath(f) in known:
        print(f)
EOF
)
if [ ${#files[@]} -eq 0 ]; then
    echo "clang-tidy.sh: nothing to check"
    exit 0
fi

echo "clang-tidy.sh: $($tidy --version | grep -o 'version [0-9.]*'), ${#files[@]} files, build $build, ${JOBS:-2} jobs"
# One file per clang-tidy process, JOBS at a time, each file's messages printed in one piece when it is done (so the
# two jobs' messages never interleave). WarningsAsErrors in .clang-tidy makes any finding fail its file, and xargs
# then this script. The count of warnings suppressed in system headers is noise. GCC-only warning flags in the
# compile commands are not clang's.
tidy_one() {
    local out rc=0
    out=$("$tidy" -p "$build" --quiet "--header-filter=^$root/(core|ui|app)/" --extra-arg=-Wno-unknown-warning-option \
        "$1" 2>&1) || rc=$?
    out=$(grep -v '^[0-9]* warnings\? generated\.$' <<<"$out" || true)
    if [ -n "$out" ]; then printf '%s\n' "$out"; fi
    return "$rc"
}
export -f tidy_one
export tidy build root
start=$SECONDS
if ! printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P "${JOBS:-2}" bash -c 'tidy_one "$1"' _; then
    echo "clang-tidy.sh: findings above (fix them, or a NOLINTNEXTLINE(check) with the reason on the line)" >&2
    exit 1
fi
echo "clang-tidy.sh: clean, ${#files[@]} files in $((SECONDS - start)) s"

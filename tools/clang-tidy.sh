#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) over the C++ sources of core/, ui/ and app/, with the compile commands
# of a build that already exists, and fails on any finding. Our headers are checked through the files that include
# them; generated code (moc, resources) and tests/ are not.
#
# Usage: tools/clang-tidy.sh [BUILD_DIR] [FILE...]
#   BUILD_DIR  a configured build with compile_commands.json (default: build/ci, which `cmake --preset ci` makes)
#   FILE...    only these sources (e.g. `git diff --name-only main -- '*.cpp'`); default: every one
# Environment: CLANG_TIDY (default clang-tidy-14, else clang-tidy), JOBS (default 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
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

echo "clang-tidy.sh: $($tidy --version | grep -o 'version [0-9.]*'), ${#files[@]} files, build $build"
# WarningsAsErrors in .clang-tidy makes any finding fail its file (and xargs then this script). The count of
# warnings suppressed in system headers is noise. GCC-only warning flags in the compile commands are not clang's.
printf '%s\0' "${files[@]}" |
    xargs -0 -n 4 -P "${JOBS:-2}" "$tidy" -p "$build" --quiet \
        "--header-filter=^$root/(core|ui|app)/" --extra-arg=-Wno-unknown-warning-option 2>&1 |
    { grep -v '^[0-9]* warnings\? generated\.$' || true; }
echo "clang-tidy.sh: clean"

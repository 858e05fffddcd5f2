#!/bin/sh
# Saves screenshots of the real kbatch window into docs/screenshots/: a scripted send on the in-process sandbox
# (main window before and after, the detail editor, the dark palette, the empty state), at 1280x800 and again at
# 200 % scaling on a 2560x1600 screen. Needs xvfb-run (Debian: xvfb) and a built kbatch.
# Usage: tools/screenshots.sh [path/to/kbatch]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
kbatch=${1:-$here/build/gui/app/gui/kbatch}
out=$here/docs/screenshots
mkdir -p "$out"

run() {
    # A fresh configuration each time, so the first-start sample template is what the pictures show.
    screen=$1
    shift
    config=$(mktemp -d)
    XDG_CONFIG_HOME=$config XDG_DATA_HOME=$config XDG_CACHE_HOME=$config \
        timeout 120 xvfb-run -a -s "-screen 0 $screen -dpi 96" env "$@" "$kbatch" --screenshot-script "$out"
    rm -rf "$config"
}

run 1280x800x24 KBATCH_SCREENSHOT_SUFFIX=
run 2560x1600x24 QT_SCALE_FACTOR=2 KBATCH_SCREENSHOT_SUFFIX=-200pct
ls -l "$out"

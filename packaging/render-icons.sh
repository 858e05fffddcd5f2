#!/usr/bin/env bash
# Renders the application icon (resources/icons/kbatch.svg) into the hicolor PNG sizes that packaging/CMakeLists.txt
# installs. Run it after changing the SVG and commit the PNGs: they are committed rather than rendered at build time
# so that building needs no librsvg2-bin and every build packages the same bytes (rsvg output differs between
# librsvg versions). Needs rsvg-convert (Debian: librsvg2-bin).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
svg="$here/resources/icons/kbatch.svg"
out="$here/resources/icons/hicolor"
command -v rsvg-convert >/dev/null || { echo "render-icons: rsvg-convert not found (apt-get install librsvg2-bin)" >&2; exit 2; }
[ -f "$svg" ] || { echo "render-icons: $svg not found" >&2; exit 2; }
for size in 16 24 32 48 64 128 256; do
  mkdir -p "$out/${size}x${size}"
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio --format png \
    --output "$out/${size}x${size}/io.github.kbatch.kbatch.png" "$svg"
done
echo "render-icons: wrote $(find "$out" -name '*.png' | wc -l) PNGs under ${out#"$here"/}"

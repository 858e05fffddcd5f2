#!/usr/bin/env bash
# Starts the built-in sandbox cluster, publishes the sample template to it with read-back verification, shows what
# kcat (an independent client) reads, and keeps the sandbox running for you until Ctrl+C.
# Usage: packaging/try-sandbox.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
build=${1:-build/release}
cli="$build/app/kbatch-cli"
here=$(cd "$(dirname "$0")/.." && pwd)
sample="$here/resources/templates/orders-smoke.kbatch.json"
[ -x "$cli" ] || { echo "try-sandbox: $cli not found; build first (see README.md)" >&2; exit 2; }

out=$(mktemp)
"$cli" sandbox --brokers 3 --partitions 3 --topic orders >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 100); do [ -s "$out" ] && break; sleep 0.1; done
bootstrap=$(head -n1 "$out")
echo "== sandbox running at $bootstrap"
echo "== kbatch-cli send $(basename "$sample") --bootstrap $bootstrap --verify --report -"
"$cli" send "$sample" --bootstrap "$bootstrap" --verify --report -
echo "== what kcat reads from topic 'orders':"
kcat -C -q -e -J -b "$bootstrap" -t orders
echo
echo "== The sandbox keeps running at $bootstrap; point kcat or kbatch-cli at it. Ctrl+C stops it."
wait $pid

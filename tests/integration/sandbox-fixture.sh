#!/usr/bin/env bash
# CTest fixture: starts `kbatch-cli sandbox` as a separate process (up) or stops it (down).
# up writes the bootstrap list to STATE_DIR/bootstrap; the sandbox's stderr goes to STATE_DIR/sandbox.log.
# Usage: sandbox-fixture.sh up|down KBATCH_CLI STATE_DIR
set -euo pipefail
action=$1 cli=$2 dir=$3
mkdir -p "$dir"
case "$action" in
  up)
    "$0" down "$cli" "$dir" || true
    rm -f "$dir/bootstrap" "$dir/sandbox.out"
    # A FIFO-less way to keep stdin open: the sandbox ignores end of input, so /dev/null is fine.
    setsid "$cli" sandbox --brokers 3 --partitions 3 --topic m1 --topic orders \
      </dev/null >"$dir/sandbox.out" 2>"$dir/sandbox.log" &
    echo $! >"$dir/sandbox.pid"
    for _ in $(seq 1 100); do
      if [ -s "$dir/sandbox.out" ]; then
        head -n1 "$dir/sandbox.out" >"$dir/bootstrap"
        echo "sandbox up at $(cat "$dir/bootstrap") (pid $(cat "$dir/sandbox.pid"))"
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/sandbox.pid")" 2>/dev/null; then break; fi
      sleep 0.1
    done
    echo "sandbox did not start; its log:" >&2
    cat "$dir/sandbox.log" >&2 || true
    exit 1
    ;;
  down)
    if [ -f "$dir/sandbox.pid" ]; then
      pid=$(cat "$dir/sandbox.pid")
      if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$dir/sandbox.pid"
    fi
    ;;
  *) echo "usage: $0 up|down KBATCH_CLI STATE_DIR" >&2; exit 2 ;;
esac

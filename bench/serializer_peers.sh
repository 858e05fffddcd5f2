#!/usr/bin/env bash
# Issue 16's encode figures beside their peer: bench_formats' Protobuf case (JSON text of a 10-field message to framed
# bytes) and JSON Schema case (JSON text of a 10-field object validated and framed), and Python confluent-kafka's
# ProtobufSerializer and JSONSerializer doing the same work on the same rows against the real registry
# (bench/serializer_peers.py). No producer on either side. The four runs rotate from round to round so that other
# people's load on the machine hits each alike.
#
#   bench/serializer_peers.sh BUILD_DIR [ROWS] [ROUNDS]     e.g. bench/serializer_peers.sh build/ci 1000000 3
#   PEER_ROWS=200000 bench/serializer_peers.sh ...          fewer rows for the Python peer (rows/s still compare)
#   CASES="kbatch-protobuf peer-protobuf" bench/serializer_peers.sh ...   only some of the four runs
#
# Needs the registry (tests/registry/registry), protoc, and the registry tests' venv (BUILD_DIR/tests/registry/pyenv,
# made by `ctest -R pyenv_up`). Both sides start from the rows `bench_formats --dump` writes, so they encode the same
# rows under the same schemas. Prints one line per run, then the medians and the ratios; all on loopback.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "$1" && pwd)"
rows="${2:-1000000}"
rounds="${3:-3}"
peer_rows="${PEER_ROWS:-$rows}"
bench="$build/bench/bench_formats"
python="$build/tests/registry/pyenv/python"
work="$(mktemp -d)"
trap '"$here/../tests/registry/registry" down "$work/registry" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

"$here/../tests/registry/registry" up "$work/registry" >/dev/null
ccompat="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ccompat"])' "$work/registry/registry.json")"
"$bench" "$(( rows > peer_rows ? rows : peer_rows ))" --dump "$work"
protoc -I "$work" -I /usr/include --python_out="$work" "$work/order.proto"

run() { # run -> "rows_per_wall_s rows_per_cpu_s"
    local out
    case "$1" in
      kbatch-protobuf) out="$("$bench" "$rows" --only protobuf)" ;;
      kbatch-jsonschema) out="$("$bench" "$rows" --only jsonschema)" ;;
      peer-protobuf) out="$("$python" "$here/serializer_peers.py" "$ccompat" "$work" protobuf "$peer_rows")" ;;
      peer-jsonschema) out="$("$python" "$here/serializer_peers.py" "$ccompat" "$work" jsonschema "$peer_rows")" ;;
      *) echo "serializer_peers: unknown run $1" >&2; return 1 ;;
    esac || return 1 # a failed run is no figure (set -e does not reach into v=$(run ...))
    if grep -q 'ROW COUNT WRONG' <<<"$out"; then echo "$out" >&2; return 1; fi
    # bench_formats: the wall figure on the first line, the CPU figure on the second; the peer: both on one line.
    local wall cpu
    wall="$(grep -o 'rows_per_s=[0-9]*' <<<"$out" | head -n1 | cut -d= -f2)"
    cpu="$(grep -o 'rows_per_cpu_s=[0-9]*' <<<"$out" | head -n1 | cut -d= -f2)"
    [[ -n "$wall" && -n "$cpu" ]] || { echo "$out" >&2; return 1; }
    echo "$wall $cpu"
}

all_cases="${CASES:-kbatch-protobuf peer-protobuf kbatch-jsonschema peer-jsonschema}"
declare -A walls cpus
echo "rows: kbatch $rows, peer $peer_rows; $(nproc) cores; registry $ccompat"
for r in $(seq 1 "$rounds"); do
  read -r -a order <<<"$all_cases"; shift_by=$(( (r - 1) % ${#order[@]} ))
  order=("${order[@]:$shift_by}" "${order[@]:0:$shift_by}")
  for c in "${order[@]}"; do
    v=$(run "$c") || { echo "serializer_peers: the $c run failed (above)" >&2; exit 1; }
    read -r wall cpu <<<"$v"
    walls[$c]+="$wall "; cpus[$c]+="$cpu "
    printf 'round %d %-18s %9d rows/s wall %9d rows/CPU s (load %s)\n' "$r" "$c" "$wall" "$cpu" \
      "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A med
for c in $all_cases; do
  med[$c]=$(median ${walls[$c]})
  printf 'median %-18s %9d rows/s wall %9d rows/CPU s\n' "$c" "${med[$c]}" "$(median ${cpus[$c]})"
done
for f in protobuf jsonschema; do
  [[ -n "${med[kbatch-$f]:-}" ]] || continue
  verdict=$([[ "${med[kbatch-$f]}" -ge 500000 ]] && echo "met" || echo "NOT met")
  ratio=""
  [[ -n "${med[peer-$f]:-}" ]] && ratio="; $(python3 -c "print(f'{${med[kbatch-$f]} / ${med[peer-$f]}:.1f}')")x the Python peer"
  echo "$f: kbatch median ${med[kbatch-$f]} rows/s wall, target 500000 $verdict$ratio"
done

#!/usr/bin/env bash
# Issue 15's send figures: `kbatch-cli send` of N Avro rows through the Schema Registry against the same rows sent
# as plain JSON bytes, both to the sandbox; and Python confluent-kafka's AvroSerializer producing the same rows as
# the peer. Rounds alternate the three so that other people's load on the machine hits each alike.
#
#   bench/schema_send.sh BUILD_DIR [ROWS] [ROUNDS]      e.g. bench/schema_send.sh build/ci 1000000 3
#   CASES="json avro" bench/schema_send.sh ...          only some of json, avro, peer
#   EXPLICIT=1 bench/schema_send.sh ...                  the rows written out in the templates (each with its own id
#                                                        and uuid), not one generator row
#
# Needs the registry (tests/registry/registry) and the registry tests' venv (BUILD_DIR/tests/registry/pyenv, made by
# `ctest -R pyenv_up`). Prints one line per run and the medians; everything runs on loopback.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "$1" && pwd)"
rows="${2:-1000000}"
rounds="${3:-3}"
cli="$build/app/kbatch-cli"
python="$build/tests/registry/pyenv/python"
work="$(mktemp -d)"
trap '"$here/../tests/registry/registry" down "$work/registry" >/dev/null 2>&1 || true;
      [ -f "$work/sandbox.pid" ] && kill "$(cat "$work/sandbox.pid")" 2>/dev/null; rm -rf "$work"' EXIT

"$here/../tests/registry/registry" up "$work/registry" >/dev/null
ccompat="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ccompat"])' "$work/registry/registry.json")"
setsid "$cli" sandbox --brokers 1 --partitions 4 </dev/null >"$work/sandbox.out" 2>"$work/sandbox.log" &
echo $! >"$work/sandbox.pid"
for _ in $(seq 1 100); do [ -s "$work/sandbox.out" ] && break; sleep 0.1; done
bootstrap="$(head -n1 "$work/sandbox.out")"

# A 10-field record; the generated rows vary in their id and uuid like the benchmark rows of bench_schema.
schema='{"type":"record","name":"Event","namespace":"kbatch.bench","fields":[
 {"name":"id","type":"string"},{"name":"uid","type":"string"},{"name":"kind","type":"string"},
 {"name":"count","type":"int"},{"name":"total","type":"long"},{"name":"ratio","type":"double"},
 {"name":"ok","type":"boolean"},{"name":"note","type":["null","string"],"default":null},
 {"name":"region","type":"string"},{"name":"source","type":"string"}]}'
value='{"id":"e-{{seq}}","uid":"{{uuid}}","kind":"click","count":42,"total":1234567890123,"ratio":0.25,"ok":true,"note":"n","region":"eu-west-1","source":"kbatch-bench"}'
python3 - "$work" "$rows" "$value" "$schema" "${EXPLICIT:-0}" <<'PY'
import json, sys, uuid
work, rows, value, schema, explicit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] == "1"
if explicit:
    messages = []
    for i in range(1, rows + 1):
        v = json.loads(value.replace("{{seq}}", str(i)).replace("{{uuid}}", str(uuid.uuid4())))
        messages.append({"key": None, "value": {"json": v}})
else:
    messages = [{"key": None, "value": {"json": json.loads(value)}, "generate": {"count": rows}}]
base = {"format": "kbatch-template", "topic": "bench", "producer": {"lingerMs": 5, "properties": {"batch.size": "1000000"}}}
json.dump(dict(base, version=1, messages=messages), open(f"{work}/json.kbatch.json", "w"))
json.dump(dict(base, version=2, serialization={"value": {"kind": "avro", "autoRegister": True, "schema": schema}},
               messages=messages), open(f"{work}/avro.kbatch.json", "w"))
PY
cat >"$work/peer.py" <<'PY'
import sys, time, uuid
from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
bootstrap, registry, topic, rows, schema = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
serialize = AvroSerializer(SchemaRegistryClient({"url": registry}), schema)
p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True, "linger.ms": 5,
              "batch.size": 1000000, "queue.buffering.max.messages": 2000000})
ctx = SerializationContext(topic, MessageField.VALUE)
start = time.monotonic()
for i in range(1, rows + 1):
    v = {"id": f"e-{i}", "uid": str(uuid.uuid4()), "kind": "click", "count": 42, "total": 1234567890123,
         "ratio": 0.25, "ok": True, "note": "n", "region": "eu-west-1", "source": "kbatch-bench"}
    while True:
        try:
            p.produce(topic, value=serialize(v, ctx))
            break
        except BufferError:
            p.poll(0.05)
    p.poll(0)
p.flush()
print(f"{rows / (time.monotonic() - start):.0f}")
PY

run() { # case -> msg/s of the whole process (wall clock)
    local topic="bench-$1-$RANDOM$RANDOM" start end
    start=$(date +%s.%N)
    case "$1" in
      json) "$cli" send "$work/json.kbatch.json" --bootstrap "$bootstrap" --topic "$topic" --quiet ;;
      avro) "$cli" send "$work/avro.kbatch.json" --bootstrap "$bootstrap" --topic "$topic" --registry "$ccompat" --allow-register --quiet ;;
      peer) "$python" "$work/peer.py" "$bootstrap" "$ccompat" "$topic" "$rows" "$schema" >/dev/null ;;
    esac || return 1 # a failed send is no figure (set -e does not reach into v=$(run ...))
    end=$(date +%s.%N)
    python3 -c "print(round($rows / ($end - $start)))"
}
declare -A all
for r in $(seq 1 "$rounds"); do
  read -r -a order <<<"${CASES:-json avro peer}"; shift_by=$(( (r - 1) % ${#order[@]} ))
  order=("${order[@]:$shift_by}" "${order[@]:0:$shift_by}")
  for c in "${order[@]}"; do
    v=$(run "$c") || { echo "schema_send: the $c run failed (above)" >&2; exit 1; }
    all[$c]+="$v "
    echo "round $r $c $v msg/s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
for c in ${CASES:-json avro peer}; do
  echo "median $c $(printf '%s\n' ${all[$c]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') msg/s"
done

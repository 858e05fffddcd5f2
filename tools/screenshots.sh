#!/bin/sh
# Saves screenshots of the real kbatch window into docs/screenshots/: a scripted send on the in-process sandbox
# (main window before and after, the detail editor, the dark palette, the empty state), at 1280x800 and again at
# 200 % scaling on a 2560x1600 screen. Needs xvfb-run (Debian: xvfb) and a built kbatch.
# With KBATCH_SCREENSHOT_REGISTRY set to a Schema Registry's API base (the registry test fixture's "ccompat" URL,
# say), it also registers an Avro schema for the topic "orders", a Protobuf schema for "order-events" and a JSON
# Schema for "customers" there and takes the typed-rows pictures (a typed row, its bytes, its schema, a row that does
# not fit; a Protobuf row through the registry; a Protobuf row from .proto files beside the template, unframed; a
# JSON Schema row and one that does not fit). Registering the same schema again
# keeps its id, so a registry may be reused; one that holds an incompatible schema under those subjects refuses it.
# Usage: [KBATCH_SCREENSHOT_REGISTRY=http://127.0.0.1:PORT/apis/ccompat/v7] tools/screenshots.sh [path/to/kbatch]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
kbatch=${1:-$here/build/gui/app/gui/kbatch}
out=$here/docs/screenshots
mkdir -p "$out"

registry=${KBATCH_SCREENSHOT_REGISTRY:-}
topic=${KBATCH_SCREENSHOT_TOPIC:-orders}
protobuf_topic=${KBATCH_SCREENSHOT_PROTOBUF_TOPIC:-order-events}
json_topic=${KBATCH_SCREENSHOT_JSONSCHEMA_TOPIC:-customers}
if [ -n "$registry" ]; then
    schema='{"type":"record","name":"Order","namespace":"com.example.shop","fields":[
      {"name":"id","type":"string"},
      {"name":"customer","type":"string"},
      {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
        {"name":"sku","type":"string"},{"name":"qty","type":"int"}]}}},
      {"name":"total","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
      {"name":"placed","type":{"type":"long","logicalType":"timestamp-millis"}},
      {"name":"note","type":["null","string"],"default":null}]}'
    body=$(printf '%s' "$schema" | python3 -c 'import json,sys; print(json.dumps({"schema": sys.stdin.read()}))')
    curl -fsS -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' --data "$body" \
        "$registry/subjects/$topic-value/versions"
    echo
    # Two messages in the file: the second is sent, so the frame's message-index path is [1], not the single 0.
    proto='syntax = "proto3";
package shop.events;

message Header {
  string source = 1;
  int64 sent_at_ms = 2;
}

message OrderPlaced {
  string id = 1;
  string customer = 2;
  repeated Item items = 3;
  int64 total_cents = 4;

  message Item {
    string sku = 1;
    int32 qty = 2;
  }
}
'
    body=$(printf '%s' "$proto" |
        python3 -c 'import json,sys; print(json.dumps({"schemaType": "PROTOBUF", "schema": sys.stdin.read()}))')
    curl -fsS -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' --data "$body" \
        "$registry/subjects/$protobuf_topic-value/versions"
    echo
    json_schema='{"$schema":"http://json-schema.org/draft-07/schema#","title":"Customer","type":"object",
      "required":["id","name","address"],"additionalProperties":false,
      "properties":{
        "id":{"type":"string","pattern":"^c-[0-9]+$"},
        "name":{"type":"string","minLength":1},
        "email":{"type":"string"},
        "address":{"$ref":"#/definitions/Address"},
        "tags":{"type":"array","items":{"type":"string"}}},
      "definitions":{"Address":{"type":"object","required":["city","postcode"],
        "properties":{"city":{"type":"string"},"postcode":{"type":"string"}}}}}'
    body=$(printf '%s' "$json_schema" |
        python3 -c 'import json,sys; print(json.dumps({"schemaType": "JSON", "schema": sys.stdin.read()}))')
    curl -fsS -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' --data "$body" \
        "$registry/subjects/$json_topic-value/versions"
    echo
fi

run() {
    # A fresh configuration each time, so the first-start sample template is what the pictures show.
    screen=$1
    shift
    config=$(mktemp -d)
    XDG_CONFIG_HOME=$config XDG_DATA_HOME=$config XDG_CACHE_HOME=$config \
        timeout 120 xvfb-run -a -s "-screen 0 $screen -dpi 96" \
        env KBATCH_SCREENSHOT_REGISTRY="$registry" KBATCH_SCREENSHOT_TOPIC="$topic" \
        KBATCH_SCREENSHOT_PROTOBUF_TOPIC="$protobuf_topic" KBATCH_SCREENSHOT_JSONSCHEMA_TOPIC="$json_topic" "$@" \
        "$kbatch" --screenshot-script "$out"
    rm -rf "$config"
}

run 1280x800x24 KBATCH_SCREENSHOT_SUFFIX=
run 2560x1600x24 QT_SCALE_FACTOR=2 KBATCH_SCREENSHOT_SUFFIX=-200pct
ls -l "$out"

"""The Python peer of bench_formats' Protobuf and JSON Schema cases (issue 16), run by bench/serializer_peers.sh.

    python serializer_peers.py REGISTRY_URL CASES_DIR CASE ROWS        CASE: protobuf | jsonschema

CASES_DIR is what `bench_formats ROWS --dump DIR` wrote (order.proto, order.schema.json, protobuf.jsonl,
jsonschema.jsonl) plus, for protobuf, order_pb2.py from `protoc --python_out`. The same work as KBatch's side: from
the JSON text of a row to the framed bytes, no producer. protobuf: json_format.Parse into the generated class, then
confluent-kafka's ProtobufSerializer; jsonschema: json.loads, then its JSONSerializer (which validates, as KBatch
does). The schema is registered, and the first row is read back by confluent-kafka's own deserializer and compared,
before the clock starts; the rows are read from the file before it too, as bench_formats makes its rows first.
Prints one line: case, rows, wall ms, rows per wall second, rows per CPU second (this process).
"""
import json
import os
import sys
import time

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def main():
    registry, cases, case, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(os.path.join(cases, case + ".jsonl")) as f:
        lines = [line for _, line in zip(range(rows), f)]
    if len(lines) != rows:
        sys.exit(f"serializer_peers.py: {case}.jsonl has {len(lines)} rows, not {rows}")
    client = SchemaRegistryClient({"url": registry})
    # A topic per run, so that every run registers its schema afresh (outside the timing) under its own subject.
    ctx = SerializationContext(f"peer-{case}-{os.getpid()}", MessageField.VALUE)

    if case == "protobuf":
        from google.protobuf import json_format

        sys.path.insert(0, cases)
        from order_pb2 import Order

        serialize = ProtobufSerializer(Order, client, {"auto.register.schemas": True})

        def encode(line):
            return serialize(json_format.Parse(line, Order()), ctx)

        def check(framed, line):
            got = ProtobufDeserializer(Order, {"use.deprecated.format": False})(framed, ctx)
            return got == json_format.Parse(line, Order())
    elif case == "jsonschema":
        with open(os.path.join(cases, "order.schema.json")) as f:
            schema = f.read()
        serialize = JSONSerializer(schema, client, conf={"auto.register.schemas": True})

        def encode(line):
            return serialize(json.loads(line), ctx)

        def check(framed, line):
            return JSONDeserializer(schema)(framed, ctx) == json.loads(line)
    else:
        sys.exit(f"serializer_peers.py: unknown case {case}")

    first = encode(lines[0])  # registers the schema: not timed
    if first[:1] != b"\0" or not check(first, lines[0]):
        sys.exit(f"serializer_peers.py: {case}: the first row does not read back as it was written: {first[:16]!r}")

    wall, cpu = time.perf_counter(), time.process_time()
    framed_bytes = 0
    for line in lines:
        framed_bytes += len(encode(line))  # a row that does not fit raises: no figure
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{case} rows={rows} ms={wall * 1000:.0f} rows_per_s={rows / wall:.0f} rows_per_cpu_s={rows / cpu:.0f} "
          f"bytes_per_row={framed_bytes / rows:.1f}")


if __name__ == "__main__":
    main()

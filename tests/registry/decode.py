#!/usr/bin/env python3
"""Reads every message of a topic and decodes it with confluent-kafka's own Schema Registry deserializers.

This is the tests' independent witness for Schema Registry framed data: everything here is confluent-kafka's code
(Consumer, SchemaRegistryClient, AvroDeserializer, ProtobufDeserializer, JSONDeserializer, and its parser of the
frame's schema id); this script only wires them together and prints the result. Run it with the venv's python
(tests/registry/pyenv up).

    decode.py --bootstrap HOST:PORT --registry URL --topic TOPIC [--key FORMAT] [--value FORMAT]
              [--proto-dir DIR] [--key-type NAME] [--value-type NAME] [--registry-conf NAME=VALUE]... [--timeout S]

FORMAT is avro, protobuf, json, string (UTF-8) or bytes (printed as base64); the defaults are --key string and
--value avro. For protobuf, DIR holds the *_pb2.py modules that protoc generated (--python_out=DIR) and NAME is the
message's full name (package.Message). The deserializers fetch the writer's schema by the id in the frame from
URL (the Confluent-compatible API, e.g. http://127.0.0.1:PORT/apis/ccompat/v7); --registry-conf passes settings to
SchemaRegistryClient (basic.auth.user.info=USER:PASSWORD, bearer.auth.*, ssl.ca.location=FILE, ...).
One adapter sits between them and Apicurio: see RegistryClient.

Prints one JSON object per message, ordered by partition and offset:
    {"partition": 0, "offset": 3, "timestamp": 1767225600000, "key": "k1", "value": {...},
     "value_schema_id": 2, "value_message_indexes": [1]}
"<field>_schema_id" is there for avro, protobuf and json; "<field>_message_indexes" for protobuf. Avro decimals
are printed as strings, dates and times in ISO 8601, bytes in base64; Protobuf messages as protobuf's JSON mapping
with the .proto field names. A message that does not decode prints {"partition", "offset", "error"} instead; the exit
status is then 1. It is 1 too when the topic is missing or not read to its end within the timeout.
"""
import argparse
import base64
import datetime
import decimal
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

import attrs
from google.protobuf import descriptor_pb2
from confluent_kafka import Consumer, KafkaError, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient, prefix_schema_id_deserializer
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
from confluent_kafka.schema_registry.serde import SchemaId
from confluent_kafka.serialization import MessageField, SerializationContext, StringDeserializer

FORMATS = ("avro", "protobuf", "json", "string", "bytes")
SCHEMA_TYPES = {"avro": "AVRO", "protobuf": "PROTOBUF", "json": "JSON"}
# Only the Confluent frame (magic byte, id, payload): a schema id in a header must not stand in for a missing frame.
FRAME_ONLY = {"schema.id.deserializer": prefix_schema_id_deserializer}


class RegistryClient(SchemaRegistryClient):
    """confluent-kafka's client, plus protoc for .proto text that Apicurio returns where a descriptor was asked for.

    confluent-kafka reads a Protobuf schema only in the "serialized" form (a base64 FileDescriptorProto), and asks
    for it with ?format=serialized, which Confluent's registry honours. Apicurio 2.4 ignores the parameter and returns
    a schema as it was registered, so one registered as .proto text (as most producers do) comes back as text and
    confluent-kafka fails ("Wire format was corrupt"). Here protoc compiles such a text, with the texts of the
    schemas it imports (its references), into the serialized form. Serialized schemas and every other schema pass
    through untouched; decoding stays confluent-kafka's.
    """

    def __init__(self, conf):
        super().__init__(conf)
        self._compiled = {}

    def get_schema(self, schema_id, subject_name=None, fmt=None, reference_format=None):
        schema = super().get_schema(schema_id, subject_name, fmt, reference_format)
        return self._serialized(schema) if fmt == "serialized" else schema

    def get_version(self, subject_name, version="latest", deleted=False, fmt=None):
        registered = super().get_version(subject_name, version, deleted, fmt)
        if fmt != "serialized":
            return registered
        return attrs.evolve(registered, schema=self._serialized(registered.schema))

    def get_latest_version(self, subject_name, fmt=None):
        return self.get_version(subject_name, "latest", False, fmt)

    def _serialized(self, schema):
        if schema.schema_type != "PROTOBUF" or is_serialized_descriptor(schema.schema_str):
            return schema
        key = (schema.schema_str, tuple((r.name, r.subject, r.version) for r in schema.references or ()))
        if key not in self._compiled:
            with tempfile.TemporaryDirectory() as tmp:
                self._write_with_imports(tmp, "registry_schema.proto", schema)
                includes = ["-I" + tmp] + (["-I/usr/include"] if os.path.isdir("/usr/include/google/protobuf") else [])
                out = os.path.join(tmp, "set.pb")
                run = subprocess.run(["protoc", *includes, "--descriptor_set_out=" + out, "registry_schema.proto"],
                                     capture_output=True, text=True)
                if run.returncode != 0:
                    raise ValueError("protoc cannot compile the registry's .proto text: " + run.stderr.strip())
                with open(out, "rb") as f:
                    compiled = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file[0]
            self._compiled[key] = base64.b64encode(compiled.SerializeToString()).decode()
        return attrs.evolve(schema, schema_str=self._compiled[key])

    def _write_with_imports(self, tmp, name, schema):
        path = os.path.join(tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(schema.schema_str)
        for ref in schema.references or ():
            if not os.path.exists(os.path.join(tmp, ref.name)):
                self._write_with_imports(tmp, ref.name, self.get_version(ref.subject, ref.version, True).schema)


def is_serialized_descriptor(text):
    try:
        descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(text, validate=True))
        return True
    except Exception:  # not base64, or not a descriptor: text
        return False


def protobuf_class(proto_dir, full_name):
    from google.protobuf import descriptor_pool, message_factory

    sys.path.insert(0, proto_dir)
    for root, _, files in os.walk(proto_dir):
        for name in sorted(files):
            if name.endswith("_pb2.py"):
                rel = os.path.relpath(os.path.join(root, name[:-3]), proto_dir)
                importlib.import_module(rel.replace(os.sep, "."))
    return message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(full_name))


def make_deserializer(fmt, registry, proto_dir, type_name):
    if fmt == "avro":
        return AvroDeserializer(registry, conf=FRAME_ONLY)
    if fmt == "json":
        return JSONDeserializer(None, schema_registry_client=registry, conf=FRAME_ONLY)
    if fmt == "protobuf":
        if not proto_dir or not type_name:
            raise SystemExit("decode.py: protobuf needs --proto-dir and the message type (--key-type/--value-type)")
        return ProtobufDeserializer(protobuf_class(proto_dir, type_name), dict(FRAME_ONLY),
                                    schema_registry_client=registry)
    if fmt == "string":
        return StringDeserializer("utf_8")
    return lambda data, ctx: None if data is None else base64.b64encode(data).decode()


def to_json(value):
    from google.protobuf import json_format
    from google.protobuf.message import Message

    if isinstance(value, Message):
        return json_format.MessageToDict(value, preserving_proto_field_name=True)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    raise TypeError("cannot print %r" % type(value))


def read_all(bootstrap, topic, timeout):
    """Every message of every partition, from the first offset to the end as it was when reading started."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "kbatch-decode-%s" % uuid.uuid4().hex,
                         "enable.auto.commit": False, "auto.offset.reset": "earliest",
                         "enable.partition.eof": True})
    deadline = time.monotonic() + timeout
    try:
        meta = consumer.list_topics(topic, timeout=timeout).topics.get(topic)
        if meta is None or meta.error is not None:
            raise SystemExit("decode.py: topic %s: %s" % (topic, meta.error if meta else "not found"))
        todo, assignment = set(), []
        for p in sorted(meta.partitions):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=timeout)
            if high > low:
                todo.add(p)
                assignment.append(TopicPartition(topic, p, low))
        consumer.assign(assignment)
        messages = []
        while todo:
            if time.monotonic() > deadline:
                raise SystemExit("decode.py: partitions %s of %s not read to the end within %s s"
                                 % (sorted(todo), topic, timeout))
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    todo.discard(msg.partition())
                    continue
                raise SystemExit("decode.py: %s" % msg.error())
            messages.append(msg)
        return sorted(messages, key=lambda m: (m.partition(), m.offset()))
    finally:
        consumer.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--registry", required=True, help="URL of the Confluent-compatible API")
    ap.add_argument("--topic", required=True)
    ap.add_argument("--key", choices=FORMATS, default="string")
    ap.add_argument("--value", choices=FORMATS, default="avro")
    ap.add_argument("--proto-dir")
    ap.add_argument("--key-type")
    ap.add_argument("--value-type")
    ap.add_argument("--registry-conf", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args()

    conf = {"url": args.registry}
    conf.update(item.split("=", 1) for item in args.registry_conf)
    registry = RegistryClient(conf)
    fields = [("key", MessageField.KEY, args.key, make_deserializer(args.key, registry, args.proto_dir,
                                                                     args.key_type)),
              ("value", MessageField.VALUE, args.value, make_deserializer(args.value, registry, args.proto_dir,
                                                                           args.value_type))]
    failed = False
    for msg in read_all(args.bootstrap, args.topic, args.timeout):
        line = {"partition": msg.partition(), "offset": msg.offset(), "timestamp": msg.timestamp()[1]}
        try:
            for name, field, fmt, deserialize in fields:
                data = msg.key() if field == MessageField.KEY else msg.value()
                line[name] = deserialize(data, SerializationContext(msg.topic(), field, msg.headers()))
                if fmt in SCHEMA_TYPES and data is not None:
                    frame = SchemaId(SCHEMA_TYPES[fmt])
                    prefix_schema_id_deserializer(data, None, frame)
                    line[name + "_schema_id"] = frame.id
                    if fmt == "protobuf":
                        line[name + "_message_indexes"] = frame.message_indexes
        except Exception as e:  # any failure of the library's decoding is the finding: report it, go on
            line = {"partition": msg.partition(), "offset": msg.offset(), "error": "%s: %s" % (type(e).__name__, e)}
            failed = True
        print(json.dumps(line, default=to_json, ensure_ascii=False), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

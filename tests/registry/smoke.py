#!/usr/bin/env python3
"""The registry chain end to end, without any KBatch code (CTest: tst_registry_smoke, label "registry").

For Avro, Protobuf and JSON Schema in turn: register a schema through the Confluent-compatible API with plain HTTP,
produce one message framed by confluent-kafka's serializer (told to use that registered schema) to the real Kafka
broker, read it back with decode.py and compare with the value written out by hand here, and the frame's schema id
with the id the registration answered. Then check that decode.py fails on what it must refuse, and that the auth
proxy answers 401 to a wrong password, lets the right one through, and refuses a certificate for another host.

    smoke.py --broker-state DIR --registry-state DIR --work DIR

Runs with the venv's python (tests/registry/pyenv). Exit status 0 when every check passed, 1 otherwise; each check
prints one line, "ok" or "FAIL" and why.
"""
import argparse
import base64
import datetime
import decimal
import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka.schema_registry import SchemaRegistryClient, SchemaRegistryError
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree for decode.py
sys.path.insert(0, HERE)
from decode import RegistryClient  # noqa: E402  (the same client decode.py uses: see its docstring)

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
failures = []


def check(name, ok, detail=""):
    print("%s: %s%s" % ("ok" if ok else "FAIL", name, "" if ok else "\n    " + str(detail).replace("\n", "\n    ")),
          flush=True)
    if not ok:
        failures.append(name)
    return ok


def http(method, url, body=None, auth=None, headers=None):
    """(status, parsed JSON body or text) of one request; never raises for an HTTP error status."""
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", CONTENT_TYPE)
    req.add_header("Accept", CONTENT_TYPE)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text, hdrs = r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as e:
        status, text, hdrs = e.code, e.read().decode(), e.headers
    try:
        return status, json.loads(text), hdrs
    except ValueError:
        return status, text, hdrs


class Chain:
    def __init__(self, args):
        with open(os.path.join(args.broker_state, "listeners.json")) as f:
            self.bootstrap = json.load(f)["plaintext"]
        with open(os.path.join(args.registry_state, "registry.json")) as f:
            self.reg = json.load(f)
        self.ccompat = self.reg["ccompat"]
        self.work = args.work
        self.run = "registry-smoke-" + secrets.token_hex(4)  # fresh topics and subjects: reruns do not interfere
        self.producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 0})
        self.admin = AdminClient({"bootstrap.servers": self.bootstrap})

    def topic(self, kind):
        name = "%s-%s" % (self.run, kind)
        for future in self.admin.create_topics([NewTopic(name, 1, 1)], operation_timeout=30).values():
            future.result(60)
        return name

    def register(self, subject, schema):
        status, body, _ = http("POST", "%s/subjects/%s/versions" % (self.ccompat, subject), schema)
        if not check("register %s (HTTP %s %s)" % (subject, status, body), status == 200 and "id" in body, body):
            raise SystemExit(1)
        return body["id"]

    def produce(self, topic, key, value):
        results = []
        self.producer.produce(topic, key=key.encode(), value=value, on_delivery=lambda e, m: results.append(e))
        self.producer.flush(60)
        check("produce to %s" % topic, results == [None], results)

    def decode(self, topic, value_format, *extra, registry=None, conf=()):
        cmd = [sys.executable, os.path.join(HERE, "decode.py"), "--bootstrap", self.bootstrap,
               "--registry", registry or self.ccompat, "--topic", topic, "--value", value_format, *extra]
        for c in conf:
            cmd += ["--registry-conf", c]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
        return run.returncode, lines, run.stderr

    def expect_one(self, what, topic, value_format, expected_value, schema_id, *extra, **kw):
        rc, lines, err = self.decode(topic, value_format, *extra, **kw)
        if not check("%s: decode.py exit 0, one message" % what, rc == 0 and len(lines) == 1, (rc, lines, err)):
            return None
        line = lines[0]
        check("%s: key" % what, line.get("key") == "k-1", line)
        check("%s: value as written" % what, line.get("value") == expected_value,
              "got      %s\nexpected %s" % (json.dumps(line.get("value"), sort_keys=True),
                                            json.dumps(expected_value, sort_keys=True)))
        check("%s: frame's schema id %s is the registered id %s" % (what, line.get("value_schema_id"), schema_id),
              line.get("value_schema_id") == schema_id, line)
        return line


def avro(chain):
    schema = {
        "type": "record", "name": "Order", "namespace": "kbatch.smoke",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
            {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "note", "type": ["null", "string"], "default": None},
            {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
            {"name": "lines", "type": {"type": "array", "items": {
                "type": "record", "name": "Line", "fields": [{"name": "sku", "type": "string"},
                                                             {"name": "qty", "type": "int"}]}}},
            {"name": "tags", "type": {"type": "map", "values": "string"}},
        ],
    }
    topic = chain.topic("avro")
    schema_id = chain.register(topic + "-value", {"schema": json.dumps(schema)})  # no schemaType: AVRO
    status, body, _ = http("GET", "%s/schemas/ids/%d" % (chain.ccompat, schema_id))
    check("GET /schemas/ids/%d gives the schema back" % schema_id,
          status == 200 and json.loads(body["schema"]) == schema, (status, body))
    serializer = AvroSerializer(SchemaRegistryClient({"url": chain.ccompat}), json.dumps(schema),
                                conf={"auto.register.schemas": False, "use.latest.version": True})
    value = {"id": "o-1", "amount": decimal.Decimal("12.50"),
             "at": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc), "note": None, "status": "PAID",
             "lines": [{"sku": "A-7", "qty": 2}], "tags": {"gift": "yes"}}
    chain.produce(topic, "k-1", serializer(value, SerializationContext(topic, MessageField.VALUE)))
    expected = {"id": "o-1", "amount": "12.50", "at": "2026-01-01T00:00:00+00:00", "note": None, "status": "PAID",
                "lines": [{"sku": "A-7", "qty": 2}], "tags": {"gift": "yes"}}
    chain.expect_one("avro", topic, "avro", expected, schema_id)
    return topic, schema_id, expected


def protobuf(chain):
    proto_src = os.path.join(HERE, "proto")
    gen = os.path.join(chain.work, "pb2")
    os.makedirs(gen, exist_ok=True)
    subprocess.run(["protoc", "-I", proto_src, "--python_out=" + gen, "kbatch_smoke.proto", "money.proto"],
                   check=True)
    sys.path.insert(0, gen)
    import kbatch_smoke_pb2

    # As a producer that knows only .proto files registers them: the import first, under its file name, then the
    # schema that names it in "references".
    with open(os.path.join(proto_src, "money.proto")) as f:
        money_schema = {"schemaType": "PROTOBUF", "schema": f.read()}
    chain.register("money.proto", money_schema)
    status, money, _ = http("POST", chain.ccompat + "/subjects/money.proto", money_schema)  # which version is it?
    check("look up money.proto's version (HTTP %s)" % status, status == 200 and "version" in money, money)
    topic = chain.topic("protobuf")
    with open(os.path.join(proto_src, "kbatch_smoke.proto")) as f:
        schema_id = chain.register(topic + "-value", {
            "schemaType": "PROTOBUF", "schema": f.read(),
            "references": [{"name": "money.proto", "subject": "money.proto", "version": money["version"]}]})
    status, body, _ = http("GET", "%s/subjects/%s-value/versions/latest" % (chain.ccompat, topic))
    check("the registered version lists its reference",
          status == 200 and body.get("references") == [{"name": "money.proto", "subject": "money.proto",
                                                         "version": money["version"]}], (status, body))
    serializer = ProtobufSerializer(kbatch_smoke_pb2.Order, RegistryClient({"url": chain.ccompat}),
                                    {"auto.register.schemas": False, "use.latest.version": True})
    message = kbatch_smoke_pb2.Order(id="o-2", qty=[1, 2], tags={"a": "b"}, card="4111")
    message.total.currency, message.total.units = "EUR", 5
    framed = serializer(message, SerializationContext(topic, MessageField.VALUE))
    check("protobuf frame: magic, id, then index path [1] (02 02)",
          framed[:7] == b"\x00" + schema_id.to_bytes(4, "big") + b"\x02\x02", framed[:8].hex())
    chain.produce(topic, "k-1", framed)
    expected = {"id": "o-2", "qty": [1, 2], "tags": {"a": "b"}, "card": "4111",
                "total": {"currency": "EUR", "units": "5"}}  # protobuf's JSON mapping: int64 as a string
    line = chain.expect_one("protobuf", topic, "protobuf", expected, schema_id,
                            "--proto-dir", gen, "--value-type", "kbatch.smoke.Order")
    if line:
        check("protobuf: message index path [1]", line.get("value_message_indexes") == [1], line)


def json_schema(chain):
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#", "title": "Payment", "type": "object",
        "properties": {"id": {"type": "string"}, "amount": {"type": "number"}, "paid": {"type": "boolean"},
                       "items": {"type": "array", "items": {"type": "string"}}},
        "required": ["id", "amount"], "additionalProperties": False,
    }
    topic = chain.topic("json")
    schema_id = chain.register(topic + "-value", {"schemaType": "JSON", "schema": json.dumps(schema)})
    serializer = JSONSerializer(json.dumps(schema), SchemaRegistryClient({"url": chain.ccompat}),
                                conf={"auto.register.schemas": False, "use.latest.version": True})
    value = {"id": "p-1", "amount": 12.5, "paid": True, "items": ["x", "y"]}
    chain.produce(topic, "k-1", serializer(value, SerializationContext(topic, MessageField.VALUE)))
    chain.expect_one("json", topic, "json", dict(value), schema_id)


def refusals(chain, avro_id):
    """decode.py must fail on what is not a valid frame: a witness that cannot fail proves nothing."""
    topic = chain.topic("bad")
    chain.produce(topic, "k-1", b'{"id": "o-1"}')  # JSON, no frame
    chain.produce(topic, "k-1", b"\x00" + (avro_id + 100000).to_bytes(4, "big") + b"\x02")  # unknown schema id
    rc, lines, err = chain.decode(topic, "avro")
    check("decode.py exits 1 on an unframed value and on an unknown schema id",
          rc == 1 and len(lines) == 2 and all("error" in line for line in lines), (rc, lines, err))


def auth_proxy(chain, avro_topic, avro_id, avro_expected):
    auth = chain.reg["auth"]
    user, password = next(iter(auth["users"].items()))
    subjects = "%s/subjects" % auth["http"]
    status, body, headers = http("GET", subjects)
    check("proxy without credentials: 401 with a Basic challenge",
          status == 401 and "Basic" in " ".join(headers.get_all("WWW-Authenticate") or []), (status, body))
    status, body, _ = http("GET", subjects, auth=user + ":wrong-" + password)
    check("proxy, wrong password: 401", status == 401, (status, body))
    status, body, _ = http("GET", subjects, auth=user + ":" + password)
    check("proxy, right password: 200 and the subjects", status == 200 and avro_topic + "-value" in body,
          (status, body))
    status, body, _ = http("GET", subjects, headers={"Authorization": "Bearer " + auth["token"]})
    check("proxy, bearer token: 200", status == 200, (status, body))
    reader, ro_password = next(iter(auth["readonly_users"].items()))
    status, body, _ = http("POST", "%s/subjects/%s-ro-value/versions" % (auth["http"], chain.run),
                           {"schema": '"string"'}, auth=reader + ":" + ro_password)
    check("proxy, read-only user registering: 403", status == 403, (status, body))

    try:
        SchemaRegistryClient({"url": auth["http"], "basic.auth.user.info": user + ":nope"}).get_subjects()
        check("confluent-kafka's client, wrong password: SchemaRegistryError 401", False, "no error")
    except SchemaRegistryError as e:
        check("confluent-kafka's client, wrong password: SchemaRegistryError 401", e.http_status_code == 401, e)

    creds = "basic.auth.user.info=%s:%s" % (user, password)
    rc, lines, err = chain.decode(avro_topic, "avro", registry=auth["https"],
                                  conf=[creds, "ssl.ca.location=" + auth["ca"]])
    check("decode.py through the proxy over TLS (basic auth, test CA)",
          rc == 0 and len(lines) == 1 and lines[0].get("value") == avro_expected
          and lines[0].get("value_schema_id") == avro_id, (rc, lines, err))
    rc, lines, err = chain.decode(avro_topic, "avro", registry=auth["https_wrong_host"],
                                  conf=[creds, "ssl.ca.location=" + auth["ca"]])
    said = (err + json.dumps(lines)).lower()
    check("decode.py refuses a certificate for another host name",
          rc == 1 and "certificate verify failed" in said and "mismatch" in said, (rc, lines, err[-800:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--broker-state", required=True)
    ap.add_argument("--registry-state", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    chain = Chain(args)
    print("broker %s, registry %s, topics %s-*" % (chain.bootstrap, chain.ccompat, chain.run), flush=True)
    avro_topic, avro_id, avro_expected = avro(chain)
    protobuf(chain)
    json_schema(chain)
    refusals(chain, avro_id)
    auth_proxy(chain, avro_topic, avro_id, avro_expected)
    print("%d check(s) failed: %s" % (len(failures), "; ".join(failures)) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

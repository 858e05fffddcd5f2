#!/usr/bin/env python3
"""The expected bytes of tst_avrocodec, written by fastavro (not by KBatch) for the same values.

Run once with the registry tests' venv, which has fastavro (tests/registry/pyenv up DIR; DIR/python known_bytes.py),
and the hex pasted into tst_avrocodec.cpp (encodesKnownBytes) and order-full.fastavro.hex. fastavro 1.13.1 wrote
them. Where KBatch deliberately writes other bytes (a decimal of -128 unscaled: Java's one byte 80, where fastavro
writes ff 80), the test says so.
"""
import os
import io, json, decimal, uuid, datetime as dt
import fastavro
from fastavro import parse_schema, schemaless_writer

def enc(schema, value):
    s = parse_schema(schema)
    b = io.BytesIO(); schemaless_writer(b, s, value); return b.getvalue().hex()

UTC = dt.timezone.utc
cases = [
 ("null", "null", None),
 ("boolean-true", "boolean", True),
 ("int-1", "int", 1),
 ("int-minus-1", "int", -1),
 ("int-max", "int", 2147483647),
 ("int-min", "int", -2147483648),
 ("long-big", "long", -5000000000),
 ("long-max", "long", 9223372036854775807),
 ("float", "float", 0.5),
 ("double", "double", 12.25),
 ("string", "string", "héllo"),
 ("bytes", "bytes", b"\x00\xffA"),
 ("fixed", {"type":"fixed","name":"F","size":3}, b"abc"),
 ("enum", {"type":"enum","name":"E","symbols":["A","B","C"]}, "C"),
 ("array", {"type":"array","items":"int"}, [1,2,3]),
 ("map", {"type":"map","values":"long"}, {"a":1}),
 ("union-null", ["null","string"], None),
 ("union-string", ["null","string"], "x"),
 ("decimal-bytes", {"type":"bytes","logicalType":"decimal","precision":9,"scale":2}, decimal.Decimal("12.50")),
 ("decimal-bytes-negative", {"type":"bytes","logicalType":"decimal","precision":9,"scale":2}, decimal.Decimal("-1.28")),
 ("decimal-bytes-128", {"type":"bytes","logicalType":"decimal","precision":9,"scale":0}, decimal.Decimal("128")),
 ("decimal-bytes-zero", {"type":"bytes","logicalType":"decimal","precision":9,"scale":2}, decimal.Decimal("0.00")),
 ("decimal-fixed", {"type":"fixed","name":"M","size":8,"logicalType":"decimal","precision":18,"scale":4}, decimal.Decimal("-3.1416")),
 ("decimal-big", {"type":"bytes","logicalType":"decimal","precision":38,"scale":10}, decimal.Decimal("1234567890123456789012345678.0123456789")),
 ("uuid", {"type":"string","logicalType":"uuid"}, uuid.UUID("123e4567-e89b-12d3-a456-426614174000")),
 ("date", {"type":"int","logicalType":"date"}, dt.date(2026,1,1)),
 ("date-before-1970", {"type":"int","logicalType":"date"}, dt.date(1969,12,31)),
 ("time-millis", {"type":"int","logicalType":"time-millis"}, dt.time(12,34,56,789000)),
 ("time-micros", {"type":"long","logicalType":"time-micros"}, dt.time(12,34,56,789012)),
 ("timestamp-millis", {"type":"long","logicalType":"timestamp-millis"}, dt.datetime(2026,1,1,0,0,0,123000,tzinfo=UTC)),
 ("timestamp-millis-before-1970", {"type":"long","logicalType":"timestamp-millis"}, dt.datetime(1969,12,31,23,59,59,999000,tzinfo=UTC)),
 ("timestamp-micros", {"type":"long","logicalType":"timestamp-micros"}, dt.datetime(2026,1,1,0,0,0,1,tzinfo=UTC)),
 ("local-timestamp-millis", {"type":"long","logicalType":"local-timestamp-millis"}, dt.datetime(2026,1,1,0,0,0,500000)),
 ("local-timestamp-micros", {"type":"long","logicalType":"local-timestamp-micros"}, dt.datetime(2026,1,1,0,0,0,1)),
]
for name, schema, value in cases:
    print(name, enc(schema, value))

full = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'order-full.avsc')))
value = {"id":"o-1","qty":3,"seq":-5000000000,"ratio":0.5,"price":12.25,"paid":True,"nothing":None,"raw":b"\x00\xffA","hash":b"abcd","status":"PAID","note":"gift",
 "customer":{"name":"Ann","address":{"city":"Paris","zip":"75001"}},
 "lines":[{"sku":"A-7","qty":2},{"sku":"B-1","qty":-1}],"tags":{"gift":"yes","k":""},
 "amount":decimal.Decimal("12.50"),"fixedAmount":decimal.Decimal("-3.1416"),"uid":uuid.UUID("123e4567-e89b-12d3-a456-426614174000"),
 "day":dt.date(2026,1,1),"timeMs":dt.time(12,34,56,789000),"timeUs":dt.time(12,34,56,789012),
 "atMs":dt.datetime(2026,1,1,0,0,0,123000,tzinfo=UTC),"atUs":dt.datetime(2026,1,1,0,0,0,1,tzinfo=UTC),
 "localMs":dt.datetime(2026,1,1,0,0,0,500000),"localUs":dt.datetime(2026,1,1,0,0,0,1),
 "choice":("com.example.Status","SHIPPED"),"source":"kbatch"}
print("full", enc(full, value))

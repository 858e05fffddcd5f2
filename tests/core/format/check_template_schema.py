#!/usr/bin/env python3
"""Validates the sample templates against docs/template-format.schema.json, and checks that the schema rejects
each template in the invalid fixtures directory. Needs python3-jsonschema (Debian) / jsonschema >= 4 (pip).

usage: check_template_schema.py SCHEMA SAMPLES_DIR INVALID_DIR
"""
import glob
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("python3 module 'jsonschema' is missing: install the Debian package python3-jsonschema", file=sys.stderr)
    sys.exit(1)


def main():
    schema_path, samples_dir, invalid_dir = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failures = 0

    samples = sorted(glob.glob(os.path.join(samples_dir, "*.kbatch.json")))
    if len(samples) < 2:
        print(f"expected sample templates in {samples_dir}", file=sys.stderr)
        failures += 1
    for path in samples:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = list(validator.iter_errors(doc))
        for e in errors:
            print(f"{path}: {'/'.join(str(p) for p in e.absolute_path)}: {e.message}", file=sys.stderr)
        failures += bool(errors)
        print(f"{'FAIL' if errors else 'ok  '} valid   {os.path.basename(path)}")

    invalid = sorted(glob.glob(os.path.join(invalid_dir, "*.kbatch.json")))
    if not invalid:
        print(f"expected invalid templates in {invalid_dir}", file=sys.stderr)
        failures += 1
    for path in invalid:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        rejected = not validator.is_valid(doc)
        failures += not rejected
        print(f"{'ok  ' if rejected else 'FAIL'} invalid {os.path.basename(path)}")

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Text that is not ASCII must never be read as Latin-1: QLatin1String("—"), QLatin1Char('é'), fromLatin1("…")
and "…"_L1 take the UTF-8 bytes of the source file one by one, so "failed — not persisted" shows as
"failed â\x80\x94 not persisted". Such literals belong in QStringLiteral() or tr(). Checks every C++ file of the
programs (core, ui, app); exit status 1 with one line per literal found."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
STRING = r'"(?:[^"\\\n]|\\.)*"'
CHAR = r"'(?:[^'\\\n]|\\.)+'"
patterns = [
    # QLatin1String("..."), QLatin1StringView("..."), QLatin1Char('.'), QString::fromLatin1("..."), with any
    # whitespace (line breaks included) before the literal and adjacent literals concatenated.
    re.compile(r'\b(?:QLatin1String(?:View)?|QLatin1Char|fromLatin1)\s*\(\s*((?:(?:' + STRING + r'|' + CHAR +
               r')\s*)+)'),
    re.compile(r'(' + STRING + r'|' + CHAR + r')_L1\b'),
]
found = []
for top in ('core', 'ui', 'app'):
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        for name in files:
            if not name.endswith(('.cpp', '.h')):
                continue
            path = os.path.join(dirpath, name)
            text = open(path, encoding='utf-8').read()
            for pattern in patterns:
                for m in pattern.finditer(text):
                    literal = m.group(1)
                    # A character beyond ASCII, written as itself or as the escapes of its UTF-8 bytes.
                    if any(ord(c) > 0x7f for c in literal) or re.search(r'\\x[89a-fA-F][0-9a-fA-F]', literal):
                        line = text.count('\n', 0, m.start()) + 1
                        found.append(f'{os.path.relpath(path, root)}:{line}: non-ASCII text read as Latin-1: '
                                     f'{m.group(0).strip()} (use QStringLiteral or tr)')
for f in found:
    print(f)
sys.exit(1 if found else 0)

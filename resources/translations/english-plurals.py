#!/usr/bin/env python3
"""English plural forms for kbatch_en.ts.

English is the source language, so the only strings that need a "translation" are the plural ones: tr("%n row(s)",
nullptr, n) shows "(s)" literally unless a translator supplies the singular and plural forms. This fills them in
(after `update_translations` has added new plural strings) and, with --check, fails if any is missing (a CTest).

    resources/translations/english-plurals.py [--check] [kbatch_en.ts]
"""
import html
import re
import sys

SINGULAR_FIXES = [
    ("(s) fail ", " fails "),
    ("(they timed out", "(it timed out"),
    ("Resending them", "Resending it"),
]


def forms(source):
    singular = source
    for a, b in SINGULAR_FIXES:
        singular = singular.replace(a, b)
    singular = singular.replace("(s)", "")
    singular = re.sub(r"(%L?n) rows\b", r"\1 row", singular)
    plural = source.replace("(s)", "s")
    return singular, plural


MESSAGE = re.compile(r'(<message numerus="yes">.*?<source>(.*?)</source>.*?)(<translation[^>]*>.*?</translation>)',
                     re.S)


def filled(translation):
    texts = re.findall(r"<numerusform>(.*?)</numerusform>", translation, re.S)
    return len(texts) == 2 and all(texts) and not any("(s)" in t for t in texts)


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    check = "--check" in sys.argv[1:]
    path = args[0] if args else __file__.rsplit("/", 1)[0] + "/kbatch_en.ts"
    text = open(path, encoding="utf-8").read()
    missing = []

    def fill(match):
        head, source, translation = match.group(1), match.group(2), match.group(3)
        if filled(translation):
            return match.group(0)
        missing.append(html.unescape(source))
        indent = re.search(r"\n(\s*)<numerusform", translation)
        pad = indent.group(1) if indent else " " * 12
        end_pad = pad[:-4] if len(pad) >= 4 else ""
        singular, plural = forms(html.unescape(source))
        body = "".join(f"\n{pad}<numerusform>{escape(f)}</numerusform>" for f in (singular, plural))
        return f"{head}<translation>{body}\n{end_pad}</translation>"

    result = MESSAGE.sub(fill, text)
    if check:
        if missing:
            print(f"{path}: plural strings without English forms (run {sys.argv[0]}):", file=sys.stderr)
            for source in missing:
                print("  " + source.replace("\n", " "), file=sys.stderr)
            return 1
        print(f"{path}: every plural string has its English forms")
        return 0
    if result != text:
        open(path, "w", encoding="utf-8").write(result)
    return 0


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace(
        '"', "&quot;")


if __name__ == "__main__":
    sys.exit(main())

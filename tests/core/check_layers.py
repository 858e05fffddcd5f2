#!/usr/bin/env python3
"""The house rules of docs/architecture.md, checked on the includes: dependencies point one way (app -> ui -> core,
and between core's modules only as core/CMakeLists.txt links them), librdkafka only inside core/kafka, and core never
sees Qt Widgets. Exit status 1 with one line per breach."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
ALLOWED = {  # core module -> core modules it may include (itself always)
    'model': set(),
    'format': {'model'},
    'generate': {'model', 'format'},
    'kafka': {'model'},
    'profiles': {'model'},
    'send': {'model', 'format', 'generate', 'kafka'},
    'schema': {'model', 'format', 'generate'},
}
include = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
breaches = []


def check(path, rel):
    text = open(path, encoding='utf-8', errors='replace').read()
    parts = rel.split('/')
    for inc in include.findall(text):
        if os.path.basename(inc) in ('rdkafka.h', 'rdkafka_mock.h', 'rdkafkacpp.h') and \
                not rel.startswith(('core/kafka/', 'bench/compare/')):
            breaches.append(f'{rel}: includes {inc}: librdkafka belongs to core/kafka only')
        if parts[0] == 'core':
            module = parts[1]
            if inc.startswith(('ui/', 'app/')) or re.match(r'Q(Widget|Dialog|MainWindow|Application|Action)\b', inc) \
                    or inc.startswith('QtWidgets'):
                breaches.append(f'{rel}: includes {inc}: core never depends on the window')
            m = re.match(r'core/(\w+)/', inc)
            if m and m.group(1) != module and m.group(1) not in ALLOWED.get(module, set()):
                breaches.append(f'{rel}: includes {inc}: core/{module} may use only '
                                f'{", ".join(sorted(ALLOWED.get(module, set()))) or "itself"}')
        if parts[0] == 'ui' and inc.startswith('app/'):
            breaches.append(f'{rel}: includes {inc}: ui never depends on the programs')
        if rel.startswith('app/cli/') and (inc.startswith('ui/') or inc.startswith('QtWidgets') or inc == 'QWidget'):
            breaches.append(f'{rel}: includes {inc}: kbatch-cli never links the window')


for top in ('core', 'ui', 'app', 'bench'):
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        for f in files:
            if f.endswith(('.h', '.cpp')):
                full = os.path.join(dirpath, f)
                check(full, os.path.relpath(full, root).replace(os.sep, '/'))
for b in breaches:
    print(b)
sys.exit(1 if breaches else 0)

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""include-cycles.py DIR... - modules that import each other, in a circle

A module is NAME.c with NAME.h (and its private header, NAME_int.h).  Module A imports B when A.c or A.h
includes B.h ("..." includes, resolved from the including file).  Prints
each strongly connected set of two or more modules, one per line, and
exits 1 if there is any: a circle means two files that cannot be read,
changed or tested one without the other.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module_of(path):
    """NAME.c and NAME.h; a private header NAME_int.h, NAME-int.h or
    NAMEint.h belongs to NAME when NAME.c exists"""
    stem = os.path.splitext(os.path.normpath(path))[0]
    for suffix in ("_int", "-int", "int"):
        if stem.endswith(suffix) and os.path.exists(stem[:-len(suffix)] + ".c"):
            return stem[:-len(suffix)]
    return stem


def main(dirs):
    files = []
    for d in dirs:
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                files.append(os.path.join(d, name))
    graph = {}
    for f in files:
        mod = module_of(f)
        graph.setdefault(mod, set())
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for inc in INCLUDE.findall(text):
            target = module_of(os.path.join(os.path.dirname(f), inc))
            if target != mod and os.path.exists(target + ".h"):
                graph[mod].add(target)
    # Tarjan's strongly connected components
    index, low, stack, on, sccs = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                sccs.append(sorted(scc))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    for scc in sccs:
        print("import circle: " + " ".join(scc))
    return 1 if sccs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

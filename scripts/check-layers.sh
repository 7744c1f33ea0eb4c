#!/usr/bin/env bash
# Layering check, run by scripts/test.sh before the build: every #include and
# every target_link_libraries edge between the source folders below must be in
# ALLOWED. Usage: check-layers.sh [ROOT] (default: this repository).
# Exit 0 with one summary line, or 1 listing each offending edge.
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
exec python3 - "$root" <<'EOF'
import os, re, sys

root = os.path.abspath(sys.argv[1])
# A layer may always use itself. tests and bench may use anything.
R = {"replay", "replay/policy", "replay/graph", "replay/compare", "replay/evidence", "replay/analysis",
     "replay/alerts"}
ALLOWED = {
    "model": set(),
    "replay/policy": {"model"},
    "replay/graph": {"model"},
    "replay/compare": {"model", "replay/policy", "replay/graph"},
    "replay/evidence": {"model", "replay/policy", "replay/graph"},
    "replay/analysis": {"model", "replay/policy"},
    "replay/alerts": {"model", "replay/policy", "replay/analysis"},
    "replay": {"model"} | R,  # the rw_replay aggregate of the five
    "app/text": {"model"} | R,
    "app/pdf": set(),
    "views/models": {"model", "app/text"} | R,
    "views/session": {"model"} | R,
    "views": {"views/models", "views/session", "model", "app/text", "app/pdf"} | R,
    "app/cli": {"model", "app/text", "app/pdf"} | R,
    "app/gui": {"views", "views/models", "views/session", "model", "app/text", "app/pdf"} | R,
    "app/layout": {"model", "replay/graph"},
    "tests": None,
    "bench": None,
}
# Edges that may be included but never linked: the CLI includes the PDF
# module's C interface (app/pdf/reportpdfplugin.h) and loads rw-report-pdf at
# run time, so that aisecops-replay starts without Qt Gui.
NO_LINK = {("app/cli", "app/pdf")}
# The core and the CLI stay headless (no Qt6::Gui); Widgets only where windows are made.
NO_GUI = {"model", "app/text", "app/cli", "views/models", "views/session"} | R
WIDGETS_OK = {"views", "app/gui"}
# Sockets only where a subsystem's purpose is one (alert delivery); a layer
# that links Qt Network by habit could open one on a forensic workstation.
NETWORK_OK = {"replay/alerts", "tests", "bench"}
SOURCES = (".h", ".hpp", ".hh", ".cpp", ".cc", ".cxx")

def skip_dir(d):
    return d.startswith(".") or d == "build" or d.startswith("build-") or d.endswith("_autogen")

def layer_of(rel):
    best = None
    for l in ALLOWED:
        if (rel == l or rel.startswith(l + "/")) and (best is None or len(l) > len(best)):
            best = l
    return best

def allowed(a, b):
    return a == b or ALLOWED[a] is None or b in ALLOWED[a]

files, cmakes = [], []
for l in ALLOWED:
    for d, dirs, names in os.walk(os.path.join(root, l)):
        dirs[:] = [x for x in dirs if not skip_dir(x)]
        rel_d = os.path.relpath(d, root)
        if layer_of(rel_d) != l:
            continue  # a nested layer (app/cli under app) is walked on its own
        files += [os.path.join(rel_d, n) for n in names if n.endswith(SOURCES)]
        cmakes += [os.path.join(rel_d, n) for n in names if n == "CMakeLists.txt"]
if os.path.isfile(os.path.join(root, "app/CMakeLists.txt")):  # the app/* targets
    cmakes.append("app/CMakeLists.txt")

# Includes are qualified from the project root ("model/workspace.h"), the one
# include directory every target has; a bare or relative name that happens to
# resolve next to the includer hides the edge, so it is an error too.
headers = {f for f in files if f.endswith((".h", ".hpp", ".hh"))}
errors, n_inc, n_link = [], 0, 0
by_name = {}
for h in headers:
    by_name.setdefault(os.path.basename(h), set()).add(h)
for name, hs in sorted(by_name.items()):
    if len({layer_of(h) for h in hs}) > 1:
        errors.append(f"{min(hs)}:1: ambiguous header name {name}, also in {', '.join(sorted(hs)[1:])}")
inc_re = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
for f in sorted(files):
    src = layer_of(f)
    with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
        for no, line in enumerate(fh, 1):
            m = inc_re.match(line)
            if not m:
                continue
            name = m.group(1)
            if name in headers:
                hits = [name]
            else:
                hits = [h for h in headers if h.endswith("/" + name) or h == name]
                if hits:
                    errors.append(f'{f}:{no}: not qualified from the root (#include "{name}", '
                                  f'write "{sorted(hits)[0]}")')
                    continue
            if not hits:
                continue  # system, third-party or generated header
            n_inc += 1
            layers = sorted({layer_of(h) for h in hits})
            if len(layers) > 1:
                errors.append(f'{f}:{no}: ambiguous, {" or ".join(layers)} (#include "{name}")')
            elif not allowed(src, layers[0]):
                errors.append(f'{f}:{no}: {src} -> {layers[0]} (#include "{name}")')

def cmake_calls(text, cmd):
    text = re.sub(r"#[^\n]*", "", text)
    for m in re.finditer(r"\b(%s)\s*\(([^)]*)\)" % cmd, text):
        yield text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2).split()

# A target's layer is the folder of its sources (app/CMakeLists.txt defines
# targets of four layers); targets named by variables take their file's folder.
KEYWORDS = {"STATIC", "SHARED", "MODULE", "OBJECT", "INTERFACE", "EXCLUDE_FROM_ALL",
            "WIN32", "MACOSX_BUNDLE", "IMPORTED", "GLOBAL", "ALIAS", "PUBLIC",
            "PRIVATE", "LINK_PUBLIC", "LINK_PRIVATE", "LINK_INTERFACE_LIBRARIES"}
targets, texts = {}, {}
for c in sorted(cmakes):
    with open(os.path.join(root, c), encoding="utf-8") as fh:
        texts[c] = fh.read()
    cdir = os.path.dirname(c)
    for no, _, args in cmake_calls(texts[c], r"(?:qt_)?add_(?:library|executable)"):
        if not args or "$" in args[0] or "IMPORTED" in args or "ALIAS" in args:
            continue
        srcs = [a for a in args[1:] if a not in KEYWORDS and "$" not in a]
        layers = {layer_of(os.path.normpath(os.path.join(cdir, s))) for s in srcs} or {layer_of(cdir)}
        if len(layers) != 1 or None in layers:
            errors.append(f"{c}:{no}: target {args[0]} has sources in layers {sorted(map(str, layers))}")
            continue
        targets[args[0]] = layers.pop()

# Direct edges only: ALLOWED is closed under composition, so transitive ones
# follow. Targets not defined in a layer (Qt6::*, cmake/'s flags-only
# rw_settings, ...) are external.
for c in sorted(cmakes):
    for no, _, args in cmake_calls(texts[c], "target_link_libraries"):
        if not args:
            continue
        t = args[0]
        # targets made by functions or loops (rw_add_test, ${t}) take the file's folder
        src = targets.get(t) or layer_of(os.path.dirname(c))
        if src is None:
            errors.append(f"{c}:{no}: cannot tell the layer of target {t}")
            continue
        for lib in args[1:]:
            if lib in KEYWORDS or "$" in lib:
                continue
            n_link += 1
            if lib in targets:
                if not allowed(src, targets[lib]):
                    errors.append(f"{c}:{no}: {src} -> {targets[lib]} (target_link_libraries {t} {lib})")
                elif (src, targets[lib]) in NO_LINK:
                    errors.append(f"{c}:{no}: {src} -> {targets[lib]} is loaded at run time, never linked "
                                  f"(target_link_libraries {t} {lib})")
            elif (lib in ("Qt6::Gui", "Qt6::Widgets") and src in NO_GUI) or \
                 (lib == "Qt6::Widgets" and src not in WIDGETS_OK) or \
                 (lib == "Qt6::Network" and src not in NETWORK_OK):
                errors.append(f"{c}:{no}: {src} -> {lib} (target_link_libraries {t} {lib})")

for e in errors:
    print(e)
if errors:
    print(f"check-layers: {len(errors)} edge(s) outside the allowed layering", file=sys.stderr)
    sys.exit(1)
print(f"check-layers: OK ({len(files)} files, {n_inc} project includes, "
      f"{n_link} link items, {len(targets)} targets)")
EOF

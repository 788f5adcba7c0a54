"""The optimisation pipeline pass by pass, and control-flow graphs (Dispatcher.inspect_passes(),
Dispatcher.inspect_cfg(), and the report's `--show=passes` and `--show=cfg` sections).

Both are computed on request from a compiled function's report: the pipeline runs again on the
report's IR before optimisation (the same passes, in process, with LLVM's pass instrumentation
recording each function after every pass that changed it), and the graphs are drawn by graphviz
(Debian's `graphviz` package) as inline SVG.
"""
import re
import shutil
import subprocess

# A step's diff is cut after this many lines (the report stays readable and bounded).
MAX_DIFF_LINES = 400

_FUNCTION_NAME = re.compile(r"^pv\.(.+)\.(\d+)$")
_ENTRY_NAME = re.compile(r"^pv_entry_(.+)$")


def display_name(symbol):
    """The Python name behind an LLVM function's name: `pv.tri.0` -> `tri`,
    `pv_entry_caller` -> `caller (entry)`."""
    m = _FUNCTION_NAME.match(symbol)
    if m:
        return m.group(1)
    m = _ENTRY_NAME.match(symbol)
    if m:
        return m.group(1) + " (entry)"
    return symbol


def pass_view(report):
    """{"steps": [{"index", "pass", "function", "symbol", "added", "removed", "diff"}],
    "functions": [{"function", "symbol", "runs", "ms", "changed"}], "ms", "opt_level"}, or
    {"error": text}. Steps are the passes that changed a function, in the order they ran."""
    from . import _pyvorin
    ir = report.get("ir") or ""
    if not ir:
        return {"error": "no IR: the function has not been compiled"}
    level = int(report.get("opt_level", 2))
    raw = _pyvorin.pass_steps(ir, level)
    if "error" in raw:
        return {"error": raw["error"]}
    steps = []
    changed = {}
    for i, st in enumerate(raw["steps"], 1):
        diff = st["diff"]
        lines = diff.splitlines()
        if len(lines) > MAX_DIFF_LINES:  # a whole function rewritten: its first lines
            diff = "\n".join(lines[:MAX_DIFF_LINES]) + f"\n... {len(lines) - MAX_DIFF_LINES} more lines of this diff\n"
        steps.append({"index": i, "pass": st["pass"], "symbol": st["function"],
                      "function": display_name(st["function"]), "added": st["added"],
                      "removed": st["removed"], "diff": diff})
        changed[st["function"]] = changed.get(st["function"], 0) + 1
    functions = [{"symbol": name, "function": display_name(name), "runs": st["runs"], "ms": st["ms"],
                  "changed": changed.get(name, 0)}
                 for name, st in raw["functions"].items()]
    return {"steps": steps, "functions": functions, "ms": raw["ms"], "opt_level": level}


def pass_text(view):
    """The pass view as text: a line per pass that changed something, then its diff."""
    if "error" in view:
        return f"passes: {view['error']}"
    out = [f"Optimisation pipeline at -O{view['opt_level']}: {len(view['steps'])} passes changed the IR "
           f"({view['ms']:.1f} ms)"]
    for f in view["functions"]:
        out.append(f"  {f['function']}: {f['runs']} passes ran, {f['changed']} changed it, {f['ms']:.2f} ms")
    for st in view["steps"]:
        out.append(f"\n{st['index']:3}. {st['pass']} on {st['function']}  (+{st['added']} -{st['removed']})")
        out.extend("     " + line for line in st["diff"].splitlines())
    return "\n".join(out)


# ---- control-flow graphs ----

def _dot_quote(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\<").replace(">", "\\>") \
        .replace("{", "\\{").replace("}", "\\}").replace("|", "\\|")


def _source_line(source, line):
    """The text of absolute line `line` of the function's source ({"line", "text"}), or ''."""
    if not source:
        return ""
    lines = source.get("text", "").splitlines()
    k = line - source.get("line", 1)
    return lines[k].strip() if 0 <= k < len(lines) else ""


def _contract(graph):
    """The source-level view of an unoptimised function: without the checks' cold paths, and with
    straight-line chains of blocks (a check's "ok" block after its test) merged into one."""
    blocks = {b["id"]: dict(b, lines=list(b["lines"])) for b in graph["blocks"] if not b["cold"]}
    succ = {i: [] for i in blocks}
    pred = {i: [] for i in blocks}
    for e in graph["edges"]:
        if e["from"] in blocks and e["to"] in blocks:
            succ[e["from"]].append(e)
            pred[e["to"]].append(e)
    entry = graph["blocks"][0]["id"] if graph["blocks"] else None
    changed = True
    while changed:
        changed = False
        for i in [i for i in blocks if i != entry and not pred[i]]:  # unreachable (a dead `after.return`)
            for e in succ[i]:
                pred[e["to"]] = [p for p in pred[e["to"]] if p["from"] != i]
            del blocks[i], succ[i], pred[i]
            changed = True
        for i in list(blocks):
            if i not in blocks or len(succ[i]) != 1:
                continue
            j = succ[i][0]["to"]
            if j == i or j not in blocks or len(pred[j]) != 1 or j == graph["blocks"][0]["id"]:
                continue
            # merge j into i
            for line in blocks[j]["lines"]:
                if line not in blocks[i]["lines"]:
                    blocks[i]["lines"].append(line)
            blocks[i]["instructions"] += blocks[j]["instructions"]
            succ[i] = [dict(e, **{"from": i}) for e in succ[j]]
            for e in succ[j]:
                pred[e["to"]] = [dict(p, **{"from": i}) if p["from"] == j else p for p in pred[e["to"]]]
            del blocks[j], succ[j], pred[j]
            changed = True
    edges = [e for i in blocks for e in succ[i]]
    return list(blocks.values()), edges


def _dot(graph, source, source_level):
    name = display_name(graph["function"])
    lines = [f'digraph "{_dot_quote(name)}" {{',
             '  graph [rankdir=TB, fontname="DejaVu Sans", fontsize=10, nodesep=0.25, ranksep=0.3];',
             '  node [shape=box, style="rounded,filled", fillcolor="#f6f8fa", color="#8c959f", '
             'fontname="DejaVu Sans Mono", fontsize=9];',
             '  edge [fontname="DejaVu Sans", fontsize=8, color="#57606a"];']
    if source_level:
        blocks, edges = _contract(graph)
    else:
        blocks, edges = graph["blocks"], graph["edges"]
    for b in blocks:
        label = [b["name"]]
        if source_level:
            for line in sorted(b["lines"]):
                text = _source_line(source, line)
                label.append(f"{line}: {text}"[:60] if text else f"line {line}")
        else:
            where = ", ".join(str(x) for x in b["lines"][:6]) + (" ..." if len(b["lines"]) > 6 else "")
            label.append(f"{b['instructions']} instructions" + (f"; lines {where}" if where else ""))
        text = "\\l".join(_dot_quote(x) for x in label) + "\\l"
        style = ', style="rounded,dashed", fillcolor="#ffffff", fontcolor="#6e7781"' if b.get("cold") else ""
        lines.append(f'  n{b["id"]} [label="{text}"{style}];')
    for e in edges:
        label = f' [label="{_dot_quote(e["label"])}"]' if e["label"] else ""
        lines.append(f'  n{e["from"]} -> n{e["to"]}{label};')
    lines.append("}")
    return "\n".join(lines)


def _svg(dot_text):
    """SVG text (without its XML prolog) from graphviz's dot, or None with the reason."""
    dot = shutil.which("dot")
    if dot is None:
        return None, "graphviz's `dot` is not installed (Debian: apt-get install graphviz)"
    try:
        done = subprocess.run([dot, "-Tsvg"], input=dot_text.encode(), capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"dot failed: {error}"
    if done.returncode != 0:
        return None, "dot failed: " + done.stderr.decode(errors="replace").strip()[:300]
    svg = done.stdout.decode(errors="replace")
    start = svg.find("<svg")
    return (svg[start:] if start >= 0 else svg), None


def cfg_view(report, source=None):
    """{"functions": [{"function", "symbol", "source_dot", "source_svg", "opt_dot", "opt_svg"}],
    "error"?}: each function's blocks before optimisation (the source-level view: checks' cold
    paths hidden, straight-line blocks merged, labelled with their source lines) and after."""
    from . import _pyvorin
    if not report.get("ir") or not report.get("opt_ir"):
        return {"error": "no IR: the function has not been compiled"}
    source = source or report.get("source")
    before = _pyvorin.cfg_graphs(report["ir"])
    after = _pyvorin.cfg_graphs(report["opt_ir"])
    if isinstance(before, dict) or isinstance(after, dict):
        return {"error": (before if isinstance(before, dict) else after).get("error", "no graph")}
    after_by_name = {g["function"]: g for g in after}
    out = {"functions": []}
    for g in before:
        if _ENTRY_NAME.match(g["function"]):
            continue  # the entry wrapper: unpacks the arguments and calls the function
        entry = {"symbol": g["function"], "function": display_name(g["function"])}
        entry["source_dot"] = _dot(g, source, True)
        entry["source_svg"], error = _svg(entry["source_dot"])
        # after optimisation the function is usually inlined into its entry wrapper
        opt = after_by_name.get(g["function"])
        if opt is None:
            wrappers = [a for a in after if _ENTRY_NAME.match(a["function"]) and
                        display_name(a["function"]).startswith(entry["function"] + " ")]
            opt = wrappers[0] if wrappers else None
        if opt is not None:
            entry["opt_symbol"] = opt["function"]
            entry["opt_dot"] = _dot(opt, source, False)
            entry["opt_svg"], error2 = _svg(entry["opt_dot"])
            error = error or error2
        if error:
            out["error"] = error
        out["functions"].append(entry)
    return out


# ---- what inspect_passes() and inspect_cfg() return ----

def _mini_report(report, key, value, show):
    """A report with this one function and one section, for the notebook's HTML display."""
    big = ("ast", "types", "variables", "object_lines", "ir", "opt_ir", "asm", "line_map", "pass_steps", "cfg")
    entry = {k: v for k, v in report.items() if k not in big}
    entry[key] = value
    return {"version": 1, "options": {"show": [show], "opt_level": report.get("opt_level", 2)},
            "functions": [entry], "comparison": None}


class PassesView:
    """The passes that changed the IR (str(): a text listing with diffs; in a notebook, the
    report's coloured diffs). `steps` and `functions` are the data."""

    def __init__(self, report, view):
        self._report = report
        self.view = view
        self.steps = view.get("steps", [])
        self.functions = view.get("functions", [])

    def __str__(self):
        return pass_text(self.view)

    __repr__ = __str__

    def _repr_html_(self):
        from .magic_render import render_bundle
        return render_bundle(_mini_report(self._report, "pass_steps", self.view, "passes"))["text/html"]


class CfgView:
    """The control-flow graphs (str(): the graphviz sources; in a notebook, the SVG pictures).
    `functions` holds each function's `source_dot`/`source_svg` and `opt_dot`/`opt_svg`."""

    def __init__(self, report, view):
        self._report = report
        self.view = view
        self.functions = view.get("functions", [])

    def __str__(self):
        out = []
        if "error" in self.view:
            out.append(f"cfg: {self.view['error']}")
        for f in self.functions:
            out.append(f"// {f['function']}: source-level blocks\n{f['source_dot']}")
            if f.get("opt_dot"):
                out.append(f"// {f['function']}: optimised IR ({f['opt_symbol']})\n{f['opt_dot']}")
        return "\n\n".join(out)

    __repr__ = __str__

    def _repr_html_(self):
        from .magic_render import render_bundle
        return render_bundle(_mini_report(self._report, "cfg", self.view, "cfg"))["text/html"]

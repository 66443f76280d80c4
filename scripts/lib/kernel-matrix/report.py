#!/usr/bin/env python3
"""Render the kernel-matrix results (OUT/<kernel>/...) into OUT/report.md and OUT/report.html.

Reads per column: status (pass/fail/timeout/crash from the runner), exit-code, seconds,
features.env (probe.sh), output.log and the JUnit XML files under junit/. Prints one summary line
per kernel and exits 1 if any kernel failed (a failing test or command, a test skipped without a
reason, no test results in JUnit mode, a timeout or a crash). Standard library only.
"""
import html
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import OrderedDict

FEATURES = [  # (key in features.env, label)
    ("btf", "BTF"),
    ("kprobes", "kprobes"),
    ("uprobes", "uprobes"),
    ("syscall_tracepoints", "syscall tracepoints"),
    ("ringbuf", "ring buffer"),
    ("bpf_cookie", "BPF cookie"),
    ("prog_tracing", "fentry/fexit"),
    ("lockdown", "lockdown"),
]


def read_env(path):
    env = OrderedDict()
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if "=" in line:
                    k, v = line.split("=", 1)
                    env[k.strip()] = v.strip()
    except OSError:
        pass
    return env


def read_text(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return default


def first_line(text):
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            return line
    return ""


def parse_junit(directory):
    """Returns an ordered dict test-id -> (outcome, detail); outcome in pass/skip/fail."""
    results = OrderedDict()
    if not os.path.isdir(directory):
        return results
    for name in sorted(os.listdir(directory)):
        if not (name.startswith("TEST-") and name.endswith(".xml")):
            continue
        try:
            root = ET.parse(os.path.join(directory, name)).getroot()
        except ET.ParseError as e:
            results["(report %s)" % name] = ("fail", "unreadable JUnit XML: %s" % e)
            continue
        for tc in root.iter("testcase"):
            cls = tc.get("classname", "")
            test = tc.get("name", "")
            tid = "%s.%s" % (cls, test) if cls else test
            outcome, detail = "pass", ""
            failure = tc.find("failure")
            if failure is None:
                failure = tc.find("error")
            skipped = tc.find("skipped")
            if failure is not None:
                outcome = "fail"
                detail = first_line(failure.get("message")) or first_line(failure.text) \
                    or failure.get("type", "failed")
            elif skipped is not None:
                outcome = "skip"
                detail = first_line(skipped.get("message")) or first_line(skipped.text)
                # "org.opentest4j.TestAbortedException: Assumption failed: why" -> "why"
                detail = re.sub(r"^[\w.$]+(Exception|Error): ", "", detail)
                detail = re.sub(r"^Assumption failed: ", "", detail)
            results[tid] = (outcome, detail)
    return results


def main(out_dir):
    run = read_env(os.path.join(out_dir, "run.env"))
    kernels = run.get("kernels", "").split() or sorted(
        d for d in os.listdir(out_dir) if os.path.isdir(os.path.join(out_dir, d)) and not d.startswith("."))
    mode = run.get("mode", "junit")

    cols = []
    for k in kernels:
        d = os.path.join(out_dir, k)
        col = {
            "name": k,
            "status": read_text(os.path.join(d, "status"), "not run"),
            "exit": read_text(os.path.join(d, "exit-code"), ""),
            "seconds": read_text(os.path.join(d, "seconds"), "?"),
            "features": read_env(os.path.join(d, "features.env")),
            "output": read_text(os.path.join(d, "output.log")),
            "tests": parse_junit(os.path.join(d, "junit")),
            "package": run.get("package_" + k) or read_text(os.path.join(d, "package"))
            or ("running kernel" if k == "host" else ""),
        }
        counts = {"pass": 0, "skip": 0, "fail": 0}
        bare_skips = 0
        for outcome, detail in col["tests"].values():
            counts[outcome] += 1
            if outcome == "skip" and not detail:
                bare_skips += 1
        col["counts"] = counts
        problems = []
        st = col["status"]
        if st == "timeout":
            problems.append("timed out after %ss" % run.get("timeout", "?"))
        elif st == "crash":
            problems.append("guest crashed or never reached the command (see %s/serial.log)" % k)
        elif st == "not run":
            problems.append("not run")
        if mode == "junit" and st not in ("timeout", "crash", "not run"):
            if counts["fail"]:
                problems.append("%d failed" % counts["fail"])
            if bare_skips:
                problems.append("%d skipped without a reason" % bare_skips)
            if not col["tests"]:
                problems.append("no test results (exit code %s)" % (col["exit"] or "?"))
            elif col["exit"] not in ("0", "") and not counts["fail"]:
                problems.append("launcher exit code %s" % col["exit"])
        elif mode == "command" and st == "fail":
            problems.append("command exit code %s" % (col["exit"] or "?"))
        col["problems"] = problems
        col["ok"] = not problems
        cols.append(col)

    test_ids = []
    seen = set()
    for col in cols:
        for tid in col["tests"]:
            if tid not in seen:
                seen.add(tid)
                test_ids.append(tid)
    test_ids.sort()

    def kernel_title(col):
        f = col["features"]
        return "%s (%s)" % (col["name"], f.get("kernel", "?"))

    def summary(col):
        c = col["counts"]
        verdict = "PASS" if col["ok"] else ("TIMEOUT" if col["status"] == "timeout" else
                                           "CRASH" if col["status"] == "crash" else "FAIL")
        if mode == "junit":
            what = "%d passed, %d skipped, %d failed" % (c["pass"], c["skip"], c["fail"])
        else:
            what = "command exit code %s" % (col["exit"] or "?")
        extra = ("; " + "; ".join(col["problems"])) if col["problems"] else ""
        return "%-5s %-7s %-22s %s in %ss%s" % (col["name"], verdict, col["features"].get("kernel", "?"),
                                               what, col["seconds"], extra)

    def feature_cells(col):
        f = col["features"]
        rows = [("kernel", f.get("kernel", "?")), ("package", col["package"] or "-"),
                ("libbpf", f.get("libbpf", "?")), ("bpftool", f.get("bpftool", "?"))]
        for key, label in FEATURES:
            if key in f:
                rows.append((label, f[key]))
        rows.append(("wall time", "%s s" % col["seconds"]))
        rows.append(("result", "pass" if col["ok"] else "; ".join(col["problems"])))
        return rows

    def cell(col, tid):
        if tid not in col["tests"]:
            return ("none", "not run")
        outcome, detail = col["tests"][tid]
        if outcome == "pass":
            return ("pass", "pass")
        if outcome == "skip":
            return ("skip", "skip: " + detail if detail else "skip (NO REASON)")
        return ("fail", "FAIL: " + detail)

    # ---- Markdown
    md = ["# Kernel matrix", ""]
    md.append("accel=%s, jobs=%s, vCPUs per guest=%s, timeout=%ss, total wall time %ss" % (
        run.get("accel", "?"), run.get("jobs", "?"), run.get("smp", "?"), run.get("timeout", "?"),
        run.get("total_seconds", "?")))
    md.append("")
    md.append("## Kernels")
    md.append("")
    rows = OrderedDict()
    for col in cols:
        for label, value in feature_cells(col):
            rows.setdefault(label, {})[col["name"]] = value
    md.append("| | " + " | ".join(kernel_title(c) for c in cols) + " |")
    md.append("|---|" + "---|" * len(cols))
    for label, vals in rows.items():
        md.append("| %s | %s |" % (label, " | ".join(mdesc(vals.get(c["name"], "")) for c in cols)))
    md.append("")
    if mode == "junit":
        md.append("## Tests")
        md.append("")
        if test_ids:
            md.append("| test | " + " | ".join(c["name"] for c in cols) + " |")
            md.append("|---|" + "---|" * len(cols))
            for tid in test_ids:
                md.append("| %s | %s |" % (mdesc(tid), " | ".join(mdesc(cell(c, tid)[1]) for c in cols)))
        else:
            md.append("No test results.")
        md.append("")
    md.append("## Output")
    md.append("")
    for col in cols:
        out = col["output"].splitlines()
        tail = out[-15:] if len(out) > 15 else out
        md.append("### %s" % kernel_title(col))
        md.append("")
        md.append("```")
        md.extend(tail or ["(no output)"])
        md.append("```")
        md.append("")
    md.append("## Summary")
    md.append("")
    md.append("```")
    md.extend(summary(c) for c in cols)
    md.append("```")
    md.append("")
    with open(os.path.join(out_dir, "report.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md))

    # ---- HTML
    e = html.escape
    h = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Kernel matrix</title><style>",
         "body{font-family:sans-serif;margin:2em} table{border-collapse:collapse;margin-bottom:2em}",
         "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top;font-size:90%}",
         ".pass{background:#d8f5d0}.skip{background:#fff3c4}.fail{background:#f8c8c8}.none{background:#eee}",
         "pre{background:#f4f4f4;padding:8px;overflow:auto;max-height:20em}</style></head><body>",
         "<h1>Kernel matrix</h1>",
         "<p>%s</p>" % e(md[2])]
    h.append("<h2>Kernels</h2><table><tr><th></th>%s</tr>" % "".join(
        "<th class='%s'>%s</th>" % ("pass" if c["ok"] else "fail", e(kernel_title(c))) for c in cols))
    for label, vals in rows.items():
        h.append("<tr><th>%s</th>%s</tr>" % (e(label), "".join("<td>%s</td>" % e(vals.get(c["name"], ""))
                                                                 for c in cols)))
    h.append("</table>")
    if mode == "junit":
        h.append("<h2>Tests</h2>")
        if test_ids:
            h.append("<table><tr><th>test</th>%s</tr>" % "".join("<th>%s</th>" % e(c["name"]) for c in cols))
            for tid in test_ids:
                h.append("<tr><td>%s</td>%s</tr>" % (e(tid), "".join(
                    "<td class='%s'>%s</td>" % (cls, e(text)) for cls, text in (cell(c, tid) for c in cols))))
            h.append("</table>")
        else:
            h.append("<p>No test results.</p>")
    h.append("<h2>Output</h2>")
    for col in cols:
        out = col["output"].splitlines()
        h.append("<h3>%s</h3><pre>%s</pre>" % (e(kernel_title(col)), e("\n".join(out[-40:]) or "(no output)")))
    h.append("<h2>Summary</h2><pre>%s</pre></body></html>" % e("\n".join(summary(c) for c in cols)))
    with open(os.path.join(out_dir, "report.html"), "w", encoding="utf-8") as f:
        f.write("\n".join(h))

    print("kernel-matrix: report in %s/report.md and report.html" % out_dir)
    for col in cols:
        print(summary(col))
    return 0 if all(c["ok"] for c in cols) else 1


def mdesc(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: report.py OUT_DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))

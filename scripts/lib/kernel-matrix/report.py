#!/usr/bin/env python3
"""Render scripts/kernel-matrix's results into OUT/report.md and OUT/report.html: one row per kernel, one column
per test class, skips with their reasons.

Reads OUT/run.env and, per kernel, OUT/<label>/{kernel,exit-code,seconds,maven.log} and the surefire XML under
OUT/<label>/surefire/. The kernel a row names is what its tests reported: the line the VM runtime prints in each
test's output ("junit.ebpf.remote: vm: Linux 6.1.0-50-amd64 (tcg)"), or for the host row the test JVM's os.version.
A test of a VM row without that line ran in the host JVM (its class is not an @EbpfTest), and the cell says so.
Prints one summary line per kernel; exits 1 when a kernel has a failure, a skip without a reason, no results, or a
failed mvn. Standard library only.
"""
import html
import os
import re
import sys
import xml.etree.ElementTree as ET

RAN_ON = "junit.ebpf.remote: "


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return default


def read_env(path):
    return dict(line.split("=", 1) for line in read(path).splitlines() if "=" in line)


def first_line(text):
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def reason(text):
    """'org.opentest4j.TestAbortedException: skipped on the remote side: junit-ebpf: X' -> 'junit-ebpf: X'"""
    text = first_line(text)
    text = re.sub(r"^[\w.$]+(Exception|Error): ", "", text)
    text = re.sub(r"^skipped on the remote side: ", "", text)
    return re.sub(r"^Assumption failed: ", "", text)


def parse_reports(directory, label):
    """[(class, test, outcome, detail, where)] and the test JVM's os.version."""
    tests, os_version = [], ""
    for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        if not name.endswith(".xml"):
            continue
        try:
            root = ET.parse(os.path.join(directory, name)).getroot()
        except ET.ParseError as e:
            tests.append((name, "(report)", "fail", "unreadable surefire XML: %s" % e, ""))
            continue
        for prop in root.iter("property"):
            if prop.get("name") == "os.version":
                os_version = prop.get("value", "")
        for tc in root.iter("testcase"):
            cls = tc.get("classname", "?").split("$")[0]  # nested classes count for their enclosing class
            test = tc.get("name", "?")
            if test.endswith("(%s)" % label):  # surefire appends the reportNameSuffix
                test = test[:-len(label) - 2]
            outcome, detail = "pass", ""
            bad = tc.find("failure") if tc.find("failure") is not None else tc.find("error")
            skipped = tc.find("skipped")
            if bad is not None:
                outcome = "fail"
                detail = first_line(bad.get("message")) or first_line(bad.text) or bad.get("type", "failed")
            elif skipped is not None:
                outcome = "skip"
                detail = reason(skipped.get("message")) or reason(skipped.text)
            out = "".join(e.text or "" for e in tc.iter("system-out"))
            where = next((line[len(RAN_ON):].strip() for line in out.splitlines() if line.startswith(RAN_ON)), "")
            tests.append((cls, test, outcome, detail, where))
    return tests, os_version


def kernel_row(out_dir, label):
    d = os.path.join(out_dir, label)
    requested = read(os.path.join(d, "kernel"), label)
    tests, os_version = parse_reports(os.path.join(d, "surefire"), label)
    wheres = sorted({t[4] for t in tests if t[4]})
    if requested == "host":
        ran_on = "Linux %s (host)" % os_version if os_version else "host (no report)"
    else:
        ran_on = ", ".join(w[len("vm: "):] if w.startswith("vm: ") else w for w in wheres) or "no test reached a guest"
    classes = {}
    for cls, test, outcome, detail, where in tests:
        c = classes.setdefault(cls, {"pass": 0, "skip": 0, "fail": 0, "in_host_jvm": 0, "skips": {}, "fails": []})
        c[outcome] += 1
        if requested != "host" and not where:
            c["in_host_jvm"] += 1
        if outcome == "skip":
            c["skips"].setdefault(detail or "NO REASON", []).append(test)
        elif outcome == "fail":
            c["fails"].append("%s: %s" % (test, detail))
    exit_code = read(os.path.join(d, "exit-code"), "?")
    problems = []
    fails = sum(c["fail"] for c in classes.values())
    if fails:
        problems.append("%d failed" % fails)
    bare = sum(len(c["skips"].get("NO REASON", [])) for c in classes.values())
    if bare:
        problems.append("%d skipped without a reason" % bare)
    if not tests:
        problems.append("no test results")
    if exit_code != "0" and not fails:
        problems.append("mvn exit code %s (see %s/maven.log)" % (exit_code, label))
    return {"label": label, "requested": requested, "ran_on": ran_on, "classes": classes, "problems": problems,
            "seconds": read(os.path.join(d, "seconds"), "?"), "exit": exit_code,
            "log": read(os.path.join(d, "maven.log")).splitlines(),
            "counts": {k: sum(c[k] for c in classes.values()) for k in ("pass", "skip", "fail")}}


def cell(row, cls):
    c = row["classes"].get(cls)
    if c is None:
        return "none", "not run"
    parts = ["%d passed" % c["pass"]] if c["pass"] else []
    parts += ["%d FAILED: %s" % (c["fail"], "; ".join(c["fails"]))] if c["fail"] else []
    parts += ["%d skipped: %s" % (len(tests), why) for why, tests in c["skips"].items()]
    if c["in_host_jvm"]:
        parts.append("(%d in the host JVM: not @EbpfTest)" % c["in_host_jvm"])
    kind = "fail" if c["fail"] or "NO REASON" in c["skips"] else "skip" if c["skip"] else "pass"
    return kind, "; ".join(parts)


def summary(row):
    c = row["counts"]
    return "%-8s %-5s %-36s %d passed, %d skipped, %d failed in %s s%s" % (
        row["requested"], "PASS" if not row["problems"] else "FAIL", row["ran_on"][:36], c["pass"], c["skip"],
        c["fail"], row["seconds"], "; " + "; ".join(row["problems"]) if row["problems"] else "")


def main(out_dir):
    run = read_env(os.path.join(out_dir, "run.env"))
    labels = run.get("kernels", "").split() or sorted(
        d for d in os.listdir(out_dir) if os.path.isfile(os.path.join(out_dir, d, "kernel")))
    rows = [kernel_row(out_dir, label) for label in labels]
    classes = sorted({cls for row in rows for cls in row["classes"]})
    short = {cls: cls.rsplit(".", 1)[-1] for cls in classes}
    head = "%s; %s at a time on %s cores (load %s); build %s s; total wall time %s s" % (
        run.get("project", "?") + (" (module %s)" % run["module"] if run.get("module") else ""), run.get("jobs", "?"),
        run.get("cores", "?"), run.get("load", "?"), run.get("build_seconds", "?"), run.get("total_seconds", "?"))

    md = ["# Kernel matrix", "", head, "", "| kernel | ran on | wall time | result | " +
          " | ".join(short[c] for c in classes) + " |", "|---" * (len(classes) + 4) + "|"]
    for row in rows:
        md.append("| %s | %s | %s s | %s | %s |" % (
            row["requested"], esc(row["ran_on"]), row["seconds"], esc("; ".join(row["problems"]) or "pass"),
            " | ".join(esc(cell(row, c)[1]) for c in classes)))
    md += ["", "Test classes: " + ", ".join("`%s`" % c for c in classes), ""]
    for row in rows:
        if row["problems"]:
            md += ["## %s: end of maven.log" % row["requested"], "", "```"] + row["log"][-25:] + ["```", ""]
    md += ["## Summary", "", "```"] + [summary(r) for r in rows] + ["```", ""]
    with open(os.path.join(out_dir, "report.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md))

    e = html.escape
    h = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Kernel matrix</title><style>",
         "body{font-family:sans-serif;margin:2em} table{border-collapse:collapse;margin-bottom:2em}",
         "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top;font-size:90%}",
         ".pass{background:#d8f5d0}.skip{background:#fff3c4}.fail{background:#f8c8c8}.none{background:#eee}",
         "pre{background:#f4f4f4;padding:8px;overflow:auto;max-height:20em}</style></head><body>",
         "<h1>Kernel matrix</h1><p>%s</p><table><tr><th>kernel</th><th>ran on</th><th>wall time</th>" % e(head),
         "<th>result</th>%s</tr>" % "".join("<th title='%s'>%s</th>" % (e(c), e(short[c])) for c in classes)]
    for row in rows:
        h.append("<tr><th>%s</th><td>%s</td><td>%s s</td><td class='%s'>%s</td>%s</tr>" % (
            e(row["requested"]), e(row["ran_on"]), e(row["seconds"]), "fail" if row["problems"] else "pass",
            e("; ".join(row["problems"]) or "pass"),
            "".join("<td class='%s'>%s</td>" % (k, e(t)) for k, t in (cell(row, c) for c in classes))))
    h.append("</table>")
    for row in rows:
        if row["problems"]:
            h.append("<h2>%s: end of maven.log</h2><pre>%s</pre>" % (e(row["requested"]),
                                                                     e("\n".join(row["log"][-40:]))))
    h.append("<h2>Summary</h2><pre>%s</pre></body></html>" % e("\n".join(summary(r) for r in rows)))
    with open(os.path.join(out_dir, "report.html"), "w", encoding="utf-8") as f:
        f.write("\n".join(h))

    print("kernel-matrix: report in %s/report.md and report.html" % out_dir)
    for row in rows:
        print(summary(row))
    return 0 if rows and not any(r["problems"] for r in rows) else 1


def esc(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: report.py OUT_DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))

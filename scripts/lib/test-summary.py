#!/usr/bin/env python3
"""Adds up JUnit XML reports under the given directories and prints one plain line:
'<label>: N passed, N failed, N skipped'. Exit status 1 when any test failed or erred."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

label, roots = sys.argv[1], sys.argv[2:]
passed = failed = skipped = 0
files = set()
for root in roots:
    files.update(glob.glob(os.path.join(root, "**", "TEST-*.xml"), recursive=True))
    files.update(glob.glob(os.path.join(root, "**", "junit", "*.xml"), recursive=True))
for f in sorted(files):
    try:
        cases = list(ET.parse(f).getroot().iter("testcase"))
    except ET.ParseError:
        failed += 1
        continue
    for c in cases:
        if c.find("failure") is not None or c.find("error") is not None:
            failed += 1
        elif c.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
print(f"{label}: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)

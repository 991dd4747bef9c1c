#!/usr/bin/env python3
"""The closing lines of ops/test, read from swift test's own xUnit report.

    test-summary.py REPORT LOG STATUS   one run: `tests: N passed, M failed[, K skipped]`
    test-summary.py --failures REPORT…  every test that failed in any of the runs, with how many runs
    test-summary.py --total REPORT…     the counts of all the runs together, as one closing line

When the test process ended before it wrote its report (a crash, or the run's hang guard), the counts are
read from the runner's own lines in LOG (`✔ Test … passed`, `✘ Test … failed`) and a line says so.
"""
import re
import sys
import xml.etree.ElementTree as ElementTree


def read_report(path):
    """[(name, outcome)] for every test case in an xUnit report; None when there is no readable report."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    cases = []
    for case in root.iter("testcase"):
        name = f'{case.get("classname", "")}/{case.get("name", "")}'
        if case.find("failure") is not None or case.find("error") is not None:
            cases.append((name, "failed"))
        elif case.find("skipped") is not None:
            cases.append((name, "skipped"))
        else:
            cases.append((name, "passed"))
    return cases


def read_log(path):
    """[(name, outcome)] from the runner's console lines, for a run that wrote no report."""
    cases = []
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                match = re.match(r"^[✔✘↷] Test (.+?) (passed|failed|skipped)\b", line)
                if match and not match.group(1).startswith("run with"):
                    cases.append((match.group(1), match.group(2)))
    except OSError:
        pass
    return cases


def closing_line(cases):
    passed = sum(1 for _, outcome in cases if outcome == "passed")
    failed = sum(1 for _, outcome in cases if outcome == "failed")
    skipped = sum(1 for _, outcome in cases if outcome == "skipped")
    return f"tests: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")


def main(arguments):
    if arguments and arguments[0] == "--failures":
        runs = [read_report(path) or [] for path in arguments[1:]]
        counts = {}
        for cases in runs:
            for name, outcome in cases:
                if outcome == "failed":
                    counts[name] = counts.get(name, 0) + 1
        if not counts:
            print("ops/test: no test failed in any run")
        for name, times in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            print(f"ops/test: failed in {times} of {len(runs)} runs: {name}")
        return 0
    if arguments and arguments[0] == "--total":
        cases = [case for path in arguments[1:] for case in (read_report(path) or [])]
        print(closing_line(cases))
        return 0
    report, log, status = arguments
    cases = read_report(report)
    if cases is None:
        print(f"ops/test: the test process ended (status {status}) before writing its report; counted from its log")
        cases = read_log(log)
        if status != "0" and not any(outcome == "failed" for _, outcome in cases):
            print("ops/test: no test reported a failure, but the run did not finish: it counts as failed")
    elif status != "0" and not any(outcome == "failed" for _, outcome in cases):
        print(f"ops/test: every test in the report passed, but the test process exited with status {status}")
    print(closing_line(cases))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

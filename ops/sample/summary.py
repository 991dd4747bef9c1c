#!/usr/bin/env python3
"""Prints GET /v1/reports (JSON on stdin) as a table; with --total prints only the counted responses."""
import json
import sys

body = json.load(sys.stdin)
if "--total" in sys.argv:
    print(sum(row.get("responses") or 0 for row in body["reports"]))
    sys.exit(0)
print(f"{'agency':8} {'quarter':10} {'responses':>9} {'trust':>7} {'NPS':>7} {'sentiment':>9}")
for row in body["reports"]:
    quarter = f"FY{row['fiscalYear']} Q{row['quarter']}"
    if row["suppressed"]:
        print(f"{row['agency']:8} {quarter:10} {'(suppressed: fewer than ' + str(body['minimumCellSize']) + ')':>9}")
        continue
    trust = (row.get("trust") or {}).get("share")
    trust_text = f"{trust * 100:6.1f}%" if trust is not None else "      -"
    nps = (row.get("nps") or {}).get("score")  # NPS is {n, promoters, passives, detractors, score, lower, upper}
    sentiment = row.get("meanSentiment")
    print(f"{row['agency']:8} {quarter:10} {row['responses']:>9} {trust_text:>7} "
          f"{(f'{nps:7.1f}' if nps is not None else '      -'):>7} {(f'{sentiment:9.3f}' if sentiment is not None else '        -'):>9}")

#!/usr/bin/env python3
"""Oracle for CivicSentimentTests: runs the real vaderSentiment 3.3.2 package.

Usage:
  oracle_vader.py scores CORPUS.jsonl   -> one JSON line per input line:
        {"id": ..., "neg": HEX, "neu": HEX, "pos": HEX, "compound": HEX}
        (HEX = float.hex(), exact and sign-preserving, so -0.0 survives)
  oracle_vader.py casetable             -> one line per code point whose case flags
        or whitespace status are non-trivial: "CP LOWER_OR_TITLE UPPER SPACE"
  oracle_vader.py rounding N            -> N seeded "HEX DIGITS HEX" lines: x, n, round(x, n)
  oracle_vader.py sha256 FILE...        -> the sha256 of each file, one per line
  oracle_vader.py info                  -> versions (python, unicodedata, vaderSentiment)
Exit status 3 when vaderSentiment is missing or not version 3.3.2.
"""
import json
import sys
import unicodedata


def load_analyzer():
    try:
        from importlib.metadata import version
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:  # pragma: no cover - reported to the Swift test
        sys.stderr.write("vaderSentiment is not installed for %s: %s\n" % (sys.executable, error))
        sys.exit(3)
    found = version("vaderSentiment")
    if found != "3.3.2":
        sys.stderr.write("vaderSentiment %s found, 3.3.2 required\n" % found)
        sys.exit(3)
    return SentimentIntensityAnalyzer()


def scores(path):
    analyzer = load_analyzer()
    out = sys.stdout
    with open(path, encoding="utf-8") as corpus:
        for line in corpus:
            line = line.rstrip("\n")
            if not line:
                continue
            item = json.loads(line)
            result = analyzer.polarity_scores(item["text"])
            out.write(json.dumps({
                "id": item["id"],
                "neg": float(result["neg"]).hex(),
                "neu": float(result["neu"]).hex(),
                "pos": float(result["pos"]).hex(),
                "compound": float(result["compound"]).hex(),
            }) + "\n")


def casetable():
    out = sys.stdout
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        # CPython's str.isupper() fails on a char with the LOWER or TITLE flag and needs one
        # with the UPPER flag. "A" + ch is upper exactly when ch has neither LOWER nor TITLE.
        lower_or_title = not ("A" + ch).isupper()
        upper = ch.isupper()
        space = ch.isspace()
        if lower_or_title or upper or space:
            out.write("%X %d %d %d\n" % (cp, int(lower_or_title), int(upper), int(space)))


def info():
    from importlib.metadata import version
    print(json.dumps({
        "python": sys.version.split()[0],
        "unidata_version": unicodedata.unidata_version,
        "vaderSentiment": version("vaderSentiment"),
    }))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "scores" and len(sys.argv) == 3:
        scores(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "casetable":
        casetable()
    elif len(sys.argv) == 3 and sys.argv[1] == "rounding":
        import math
        import random
        rng = random.Random(1234)
        out = sys.stdout
        for _ in range(int(sys.argv[2])):
            kind = rng.random()
            if kind < 0.4:  # VADER-like proportions and compounds
                a = rng.randint(1, 40) * 0.1 + rng.randint(0, 4) * 0.292
                x = a / (a + rng.randint(0, 30) + rng.random())
            elif kind < 0.7:
                s = rng.uniform(-12, 12)
                x = s / math.sqrt(s * s + 15)
            elif kind < 0.85:  # exact decimal ties and near-ties
                x = (rng.randint(0, 20000) + 0.5) / 10000 * rng.choice([1, -1])
            else:
                x = rng.uniform(-1, 1)
            n = rng.choice([3, 4])
            out.write("%s %d %s\n" % (float(x).hex(), n, float(round(x, n)).hex()))
    elif len(sys.argv) >= 3 and sys.argv[1] == "sha256":
        import hashlib
        for path in sys.argv[2:]:
            with open(path, "rb") as handle:
                print(hashlib.sha256(handle.read()).hexdigest())
    elif len(sys.argv) == 2 and sys.argv[1] == "info":
        info()
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)

#!/usr/bin/env bash
# Benchmarks CivicSentiment's VADER against the Python vaderSentiment 3.3.2 package on the
# same corpus in the same run, on ONE core, checks that every score is identical, and prints
# the Swift linearity table.
#
#   ops/bench/sentiment.sh
#
# Environment:
#   CIVIC_PYTHON         Python with vaderSentiment==3.3.2 (default .runtime/venv/bin/python)
#   SENTIMENT_BENCH_BIN  a prebuilt release SentimentBench (default: swift build -c release here)
#   BENCH_SENTENCES      number of ~17-word sentences (default 20000)
#   BENCH_COMMENTS       number of long comments (default 3000)
#   BENCH_CPU            core to pin both runs to with taskset (default 0)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${CIVIC_PYTHON:-$ROOT/.runtime/venv/bin/python}"
SENTENCES="${BENCH_SENTENCES:-20000}"
COMMENTS="${BENCH_COMMENTS:-3000}"
CPU="${BENCH_CPU:-0}"

if [[ ! -x "$PYTHON" ]]; then
    echo "error: no Python at $PYTHON; set CIVIC_PYTHON to a Python with vaderSentiment==3.3.2" >&2
    exit 1
fi
"$PYTHON" -c 'import importlib.metadata as m, sys; v = m.version("vaderSentiment"); sys.exit(0 if v == "3.3.2" else "vaderSentiment %s found, 3.3.2 required" % v)'

if [[ -n "${SENTIMENT_BENCH_BIN:-}" ]]; then
    BENCH="$SENTIMENT_BENCH_BIN"
else
    swift build --package-path "$ROOT" -c release -j 1 --product SentimentBench >&2
    BENCH="$(swift build --package-path "$ROOT" -c release --show-bin-path)/SentimentBench"
fi

PIN=()
if command -v taskset >/dev/null 2>&1; then PIN=(taskset -c "$CPU"); fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Deterministic corpus: CX-style sentences (~17 words) and long comments (~80+ words).
"$PYTHON" - "$WORK" "$SENTENCES" "$COMMENTS" <<'PY'
import json, random, sys
work, n_sentences, n_comments = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
subjects = ["The agent", "The online form", "The wait", "My caseworker", "The new portal", "The clerk",
            "The appointment system", "Customer support", "The mobile app", "The passport office"]
verbs = ["was", "seemed", "felt", "has been", "is", "was honestly"]
mods = ["", "very", "really", "not", "not very", "extremely", "kind of", "slightly", "so", "never"]
adjs = ["helpful", "slow", "confusing", "easy", "frustrating", "great", "terrible", "fine", "rude",
        "friendly", "efficient", "broken", "useless", "fast", "annoying", "clear", "excellent", "good", "bad"]
tails = ["and I had to call back twice", "but the staff tried their best to help me",
         "and nobody could answer my question about the fee", "so I will use it again next year",
         "which made the whole renewal take much longer than expected", "and the instructions were clear enough",
         "though the website kept logging me out", "and I am grateful for the quick response"]
openers = ["", "", "Honestly,", "Today", "When I renewed online", "Last week", "Overall", "To be fair,"]
ends = [".", "!", ".", "!!!", "?", ".", " :)", " 👍", ".", " :("]
def sentence():
    words = [rng.choice(openers), rng.choice(subjects).lower() if rng.random() < 0.3 else rng.choice(subjects),
             rng.choice(verbs), rng.choice(mods), rng.choice(adjs), rng.choice(tails)]
    return " ".join(w for w in words if w) + rng.choice(ends)
with open(work + "/sentences.jsonl", "w") as f:
    for i in range(n_sentences):
        f.write(json.dumps({"id": i, "text": sentence()}, ensure_ascii=False) + "\n")
with open(work + "/comments.jsonl", "w") as f:
    for i in range(n_comments):
        f.write(json.dumps({"id": i, "text": " ".join(sentence() for _ in range(rng.randint(3, 7)))}, ensure_ascii=False) + "\n")
PY

# Python reference: one pass, timed around polarity_scores only, scores in repr form.
python_bench() {
    "${PIN[@]}" "$PYTHON" - "$1" "$2" "$3" <<'PY'
import json, sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
corpus, out_path, label = sys.argv[1], sys.argv[2], sys.argv[3]
texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8") if line.strip()]
analyzer = SentimentIntensityAnalyzer()
for t in texts[:200]:
    analyzer.polarity_scores(t)
start = time.perf_counter()
results = [analyzer.polarity_scores(t) for t in texts]
elapsed = time.perf_counter() - start
words = sum(len(t.split()) for t in texts)
with open(out_path, "w") as out:
    for r in results:
        out.write("%r %r %r %r\n" % (r["neg"], r["neu"], r["pos"], r["compound"]))
print("python %s: %d texts, %.1f words avg: %.0f texts/s, %.0f words/s" % (label, len(texts), words / len(texts), len(texts) / elapsed, words / elapsed))
PY
}

status=0
for kind in sentences comments; do
    py_line="$(python_bench "$WORK/$kind.jsonl" "$WORK/$kind.python.txt" "$kind")"
    sw_line="$("${PIN[@]}" "$BENCH" --corpus "$WORK/$kind.jsonl" --scores "$WORK/$kind.swift.txt" --label "$kind")"
    echo "$py_line"
    echo "$sw_line"
    py_rate="$(sed -E 's/.*: ([0-9]+) texts\/s.*/\1/' <<<"$py_line")"
    sw_rate="$(sed -E 's/.*: ([0-9]+) texts\/s.*/\1/' <<<"$sw_line")"
    awk -v s="$sw_rate" -v p="$py_rate" -v k="$kind" 'BEGIN { printf "ratio %s: swift/python = %.1fx\n", k, s / p }'
    if cmp -s "$WORK/$kind.python.txt" "$WORK/$kind.swift.txt"; then
        echo "scores $kind: identical ($(wc -l <"$WORK/$kind.swift.txt") texts)"
    else
        echo "scores $kind: DIFFERENT" >&2
        diff <(paste -d'|' "$WORK/$kind.python.txt" "$WORK/$kind.swift.txt") /dev/null | head -5 >&2 || true
        status=1
    fi
done

"${PIN[@]}" "$BENCH" --linearity
exit $status

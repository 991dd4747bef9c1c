#!/usr/bin/env python3
"""Writes Libraries/CivicSentiment/Resources/empath_subset.tsv from Empath 0.89's categories.tsv.

The subset keeps, for a few Empath categories, only the terms that name or directly express
the emotion (Empath's lists were grown from word embeddings and contain many associations:
`anger` holds "fear", "sadness", "underlying", ...). Every kept term must exist in the
original category, and the output keeps Empath's own format (category TAB term TAB term ...)
and term order, so the subset is auditable against upstream.

    pip download --no-deps empath==0.89 && tar xzf empath-0.89.tar.gz
    python3 curate_empath_subset.py empath-0.89/empath/data/categories.tsv > ../../Libraries/CivicSentiment/Resources/empath_subset.tsv
"""
import hashlib
import sys

EXPECTED_SHA256 = "592c6974c183b65b56248628316631f938c29c2ab90334022cdbfdcda45ef1f7"

KEEP = {
    "anger": "angered anger furious fury hateful hatred indignant indignation infuriate infuriated "
             "outrage resentment wrath seething loathe animosity hostility",
    "rage": "rage enraged livid irate fuming angry angrily",
    "fear": "afraid fear fearful frightened frightening frightful frighten fright panic panicked panicky "
            "scared terrified terrifying terror dread horrified anxiety paranoia trepidation",
    "nervousness": "nervous nervousness anxious worried worrying worry worrisome uneasy unease apprehensive "
                   "apprehension jittery jumpy paranoid",
    "sadness": "sad sadness saddened unhappy unhappiness depressed depressing miserable misery sorrow sorrowful "
               "grief grieve heartache heartbreaking heartbreak despair despairing hopelessness dejected "
               "despondent forlorn mournful mourning mourn gloom",
    "joy": "joy joyful joyous happiness elated jubilant gleeful overjoyed euphoria delight elation",
    "cheerfulness": "cheerful cheerfully happy happily delighted ecstatic cheery glee enjoyment",
    "disappointment": "disappointment disappoint dissatisfied dissatisfaction unsatisfied displeased "
                      "disgruntled dismayed dejected",
    "confusion": "confusion confused confuse befuddled stumped clueless puzzled bewildered bewilderment "
                 "baffled perplexed mystified puzzling puzzlement flustered dumbfounded unsure",
    "irritability": "irritable irritated irritating irritate annoyed annoyance annoy frustrated frustration "
                    "frustrate aggravated aggravating aggravation exasperated infuriating irked vexed "
                    "impatient impatience grumpy cranky",
    "exasperation": "exasperation exasperated frustrated frustration frustrate annoyed irritated",
    "politeness": "grateful gratitude appreciative",
    "optimism": "thankful appreciate appreciation",
    "giving": "thank thankful gratitude",
}

data = open(sys.argv[1], "rb").read()
digest = hashlib.sha256(data).hexdigest()
if digest != EXPECTED_SHA256:
    sys.exit("categories.tsv sha256 %s, expected %s (Empath 0.89)" % (digest, EXPECTED_SHA256))
categories = {}
for line in data.decode("utf-8").rstrip("\n").split("\n"):
    fields = line.split("\t")
    categories[fields[0]] = fields[1:]

for name, keep in KEEP.items():
    wanted = keep.split()
    missing = [t for t in wanted if t not in categories[name]]
    if missing:
        sys.exit("not in Empath category %s: %s" % (name, missing))
    kept = []
    for term in categories[name]:
        if term in wanted and term not in kept:
            kept.append(term)
    sys.stdout.write("\t".join([name] + kept) + "\n")

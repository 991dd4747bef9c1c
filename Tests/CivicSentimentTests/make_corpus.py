#!/usr/bin/env python3
"""Builds Data/oracle_corpus.jsonl, the committed corpus for the VADER oracle test.

Deterministic (fixed seed). Needs only the Python standard library plus the VADER lexicon
file (path as argument) to draw lexicon words and emoticons from. The texts are constructed
for this test: no real customer data.

    python3 make_corpus.py ../../Libraries/CivicSentiment/Resources/vader_lexicon.txt > Data/oracle_corpus.jsonl
"""
import json
import random
import sys

rng = random.Random(20240611)

lexicon_path = sys.argv[1]
with open(lexicon_path, encoding="utf-8") as handle:
    lexicon = [line.strip().split("\t")[0] for line in handle.read().rstrip("\n").split("\n") if line]
words = [w for w in lexicon if w.isalpha()]
emoticons = [w for w in lexicon if not any(c.isalpha() for c in w) or not w.isalnum()]

BOOSTERS = ["absolutely", "very", "really", "so", "extremely", "totally", "incredibly", "quite", "hella",
            "most", "more", "barely", "hardly", "kinda", "sorta", "slightly", "somewhat", "little",
            "less", "almost", "occasionally", "kind-of", "sort-of", "friggin", "utterly"]
NEGATIONS = ["not", "never", "don't", "dont", "isn't", "wasn't", "can't", "cannot", "without", "nothing",
             "nor", "none", "nope", "rarely", "seldom", "despite", "ain't", "won't", "wouldn't", "doesn't",
             "don’t", "isn’t", "DON'T", "Not", "NEVER", "uh-uh", "uhuh"]
RULE_WORDS = ["no", "No", "NO", "or", "nor", "but", "But", "BUT", "but,", "least", "at", "very", "kind", "of",
              "sort", "just", "enough", "the", "shit", "bomb", "bad", "ass", "bus", "stop", "yeah", "right",
              "kiss", "death", "to", "die", "for", "beating", "heart", "so", "this", "never", "without", "doubt"]
SUBJECTS = ["The service", "The website", "The clerk", "This form", "The new portal", "My caseworker",
            "The call center", "The wait", "The passport office", "The appointment system", "Login.gov",
            "The survey", "Customer support", "The agent", "The process", "The mobile app", "It", "I", "We"]
VERBS = ["was", "is", "seemed", "felt", "has been", "looked", "got", "became"]
CX_WORDS = ["helpful", "slow", "confusing", "easy", "frustrating", "great", "terrible", "fine", "okay",
            "rude", "friendly", "efficient", "broken", "useless", "fast", "awesome", "annoying",
            "disappointing", "clear", "complicated", "excellent", "horrible", "good", "bad", "nice",
            "thanks", "thank", "love", "hate", "like", "happy", "sad", "angry", "worried", "glad", "kind"]
PUNCT = [".", "!", "!!", "!!!", "!!!!", "!!!!!", "?", "??", "???", "????", "?!", "!?", "...", ",", ";",
         ":", "…", "—", "‼", "！", "？", ";)", ":)", ":-(", ":D", ":P", "<3", "</3", ":/", ""]
EMOJI = ["😀", "😂", "😍", "😡", "😢", "👍", "👎", "🙏", "❤", "❤️", "💔", "🔥", "🎉", "😞", "😊",
         "👍🏽", "👍🏿", "🙏🏻", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇺🇸", "🇬🇧", "1️⃣", "#️⃣", "✅", "❌",
         "💯", "🤬", "😤", "🤔", "😕", "🥰", "🤷‍♀️", "🤦🏼‍♂️", "👌", "🆗", "🙅", "🆒", "🆓", "🔛", "🆙",
         "🏻", "\u200d", "\ufe0f", "©", "®", "™", "☹", "☺", "♥", "⭐", "🌟"]
ODD_SPACE = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u001c", "\u001d", "\u001e", "\u001f", "\u0085",
             "\u2028", "\u2029", "\u3000", "\u2003", "\u202f", "\u205f", "\u1680", "\u200b", "\ufeff",
             "\u180e", "\u2060", "\x0b", "\x0c"]
UNICODE_BITS = ["“great”", "‘good’", "great…", "great—really", "don’t like", "can’t stand", "café",
                "naïve", "résumé", "\u037e)", ";)", "\u212aind of good", "O\u212a", "\u212aILL", "İSTANBUL",
                "ǅ", "ǲ", "ÀB", "ß", "ẞ", "Σ", "ΣΑΣ", "ﬁne", "ＧＯＯＤ", "good\u0301", "goo\u0064",
                "LOVE😍", "😀great", "great😀", "good❤️", "I ❤ it", "I ❤️ it", "¡great!", "¿good?",
                "«nice»", "„bad“", "‹ok›", "(good)", "[bad]", "{nice}", "'good'", '"bad"', "good's",
                "it's", "won't", "shan't", "n't", "N'T", "NOT", "Ｎｏｔ", "good/bad", "good-bad",
                "good_bad", "@good", "#bad", "$nice$", "%happy%", "good.", "ok.", "OK!", "no.", "No,",
                "so,", ":-)", ":-D", "d:", "x-d", "XD", "xD", "lol", "LOL", "lmao", "o.o", "O.o", ":-Þ",
                ":þ", ":p", ":P", "=D", "=-D", "(:", "):", "</3", "<3", "\\o/", "^_^", "-_-", ">:(",
                "( '}{' )", "fed up", "screwed up", "can't stand"]
CX_COMMENTS = [
    "I waited on hold for two hours and nobody called me back.",
    "The online form kept timing out, very frustrating!!!",
    "Thank you so much for helping me renew my passport, the agent was wonderful.",
    "Not bad, but the instructions were confusing.",
    "I'm not sure what documents I need, the website doesn't say.",
    "Great experience overall 👍",
    "Honestly the worst customer service I've ever had. Never again.",
    "The clerk was kind of rude but the process was quick.",
    "At least the staff were friendly.",
    "I can't thank you enough for the help with my benefits claim!",
    "Why is this so hard??? I just want to update my address.",
    "It's ok I guess. Nothing special.",
    "Login.gov locked me out three times. I'm furious.",
    "The new appointment system is AMAZING, so much easier than before!",
    "I was disappointed that nobody could answer my question.",
    "Very helpful and patient, thanks!",
    "The app crashes every time I try to upload a photo :(",
    "No complaints, everything worked as expected.",
    "I'm confused about the difference between the two forms.",
    "Yeah right, 'quick and easy' my foot.",
    "The wait time was to die for... NOT.",
    "Kiss of death for my application, apparently.",
    "The bus stop outside the office is closed.",
    "This portal is the bomb!",
    "Without doubt the best government website I've used.",
    "It was never so easy to file.",
    "I don't hate it, but I don't love it either.",
    "Worried that my documents got lost in the mail.",
    "Sadly my request was denied without explanation.",
    "Grateful for the quick response from the team 🙏",
]


def join(tokens):
    out = []
    for token in tokens:
        out.append(token)
        out.append(rng.choice(ODD_SPACE) if rng.random() < 0.08 else " ")
    return "".join(out[:-1])


def maybe_caps(word):
    r = rng.random()
    if r < 0.12:
        return word.upper()
    if r < 0.2:
        return word.capitalize()
    if r < 0.23:
        return "".join(c.upper() if rng.random() < 0.5 else c for c in word)
    return word


def template_sentence():
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS)]
    if rng.random() < 0.35:
        parts.append(rng.choice(NEGATIONS))
    if rng.random() < 0.45:
        parts.append(rng.choice(BOOSTERS))
    parts.append(maybe_caps(rng.choice(CX_WORDS + words[:0] + [rng.choice(words)])))
    if rng.random() < 0.3:
        parts += [rng.choice(["but", "and", "or", "yet", "BUT", "but,"]), rng.choice(VERBS),
                  rng.choice(BOOSTERS + [""]), maybe_caps(rng.choice(CX_WORDS))]
    text = join([p for p in parts if p]) + rng.choice(PUNCT)
    if rng.random() < 0.15:
        text += " " + rng.choice(EMOJI)
    return text


def fuzz_sentence(length):
    pool = []
    for _ in range(length):
        r = rng.random()
        if r < 0.28:
            pool.append(maybe_caps(rng.choice(words)))
        elif r < 0.45:
            pool.append(maybe_caps(rng.choice(RULE_WORDS)))
        elif r < 0.55:
            pool.append(maybe_caps(rng.choice(BOOSTERS)))
        elif r < 0.65:
            pool.append(rng.choice(NEGATIONS))
        elif r < 0.72:
            pool.append(rng.choice(emoticons))
        elif r < 0.78:
            pool.append(rng.choice(EMOJI))
        elif r < 0.84:
            pool.append(rng.choice(UNICODE_BITS))
        elif r < 0.9:
            pool.append(maybe_caps(rng.choice(CX_WORDS)) + rng.choice(PUNCT))
        else:
            pool.append(rng.choice(["the", "a", "it", "was", "is", "I", "A", "we", "service", "form", "123",
                                    "2024", "ok", "okay", "yeah", "right", "like", "kind", "of", "no"]))
    text = join(pool)
    if rng.random() < 0.3:
        text += rng.choice(PUNCT)
    if rng.random() < 0.1:
        text = rng.choice(ODD_SPACE) + text + rng.choice(ODD_SPACE)
    return text


def glue_emoji(text):
    # Emoji glued to words, multiple in a row, at start/end.
    pieces = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(pieces))
        e = "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 3)))
        pieces[i] = e + pieces[i] if rng.random() < 0.5 else pieces[i] + e
    return " ".join(pieces)


def idiom_sentence():
    idioms = ["the shit", "the bomb", "bad ass", "badass", "yeah right", "kiss of death", "to die for",
              "beating heart", "bus stop", "kind of", "sort of", "just enough", "without doubt",
              "never so", "never this", "at least", "very least", "least", "no or", "no nor"]
    before = [rng.choice(words + RULE_WORDS) for _ in range(rng.randint(0, 4))]
    after = [rng.choice(words + RULE_WORDS + CX_WORDS) for _ in range(rng.randint(0, 4))]
    tokens = before + rng.choice(idioms).split(" ") + after
    return join([maybe_caps(t) for t in tokens]) + rng.choice(PUNCT)


def long_text(n_words):
    tokens = []
    while len(tokens) < n_words:
        tokens += fuzz_sentence(rng.randint(5, 25)).split(" ")
        if rng.random() < 0.5:
            tokens += template_sentence().split(" ")
    return " ".join(tokens[:n_words])


items = []


def add(kind, text):
    items.append({"id": "c%05d-%s" % (len(items) + 1, kind), "text": text})


# Fixed edge cases.
for text in ["", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u001c", "\u001c\u001d\u001e\u001f", "\u3000",
             "\u2028\u2029", "\u200b", "\ufeff", "\u0085", " \t\n\x0b\x0c\r ", "!", "?", "!!!", "???", "?!?!",
             ".", "...", "a", "I", "A", "OK", "ok", "Ok", "oK", "no", "NO", "No!", "but", "BUT", "least",
             "kind of", "sort of", "good", "GOOD", "GOOD!!!", "GOOD !!!", "GOOD 123", "GOOD :)", "Good!!",
             "😀", "😀😀", "😀 😀", "👍🏽", "❤️", "❤", "🇺🇸", "👨‍👩‍👧‍👦", "\u212a", "\u037e)", ";)",
             "I \u2764\ufe0f it", "I \u2764 it", "\u2764\ufe0f\u2764\ufe0f", "good\u00a0bad", "good\u001cbad",
             "good\u200bbad", "good\u3000bad", "good\u2028bad", "good\u0085bad", "good\ufeff", "\ufeffgood",
             "no no good", "no no no", "NO good", "not not good", "never so good", "never this bad",
             "why is this good", "why is that good", "without doubt good", "without a doubt good",
             "at least good", "very least good", "least good", "the least good thing",
             "it was kind of bad", "kind of good", "this is the shit", "the shit", "that party was the bomb",
             "it was to die for good", "kiss of death", "yeah right good", "a bad ass movie",
             "GREAT but", "but GREAT", "good but bad but good", "bad but bad", "good good but good good",
             "I don't like it", "I don’t like it", "I dont like it", "I DON'T LIKE IT", "I DON'T like it"]:
    add("edge", text)

for text in CX_COMMENTS:
    add("cx", text)
    add("cx-upper", text.upper())
    add("cx-lower", text.lower())
    add("cx-emoji", glue_emoji(text))

for _ in range(700):
    add("template", template_sentence())
for _ in range(700):
    add("fuzz", fuzz_sentence(rng.randint(1, 30)))
for _ in range(300):
    add("idiom", idiom_sentence())
for _ in range(250):
    add("emoji", glue_emoji(template_sentence() if rng.random() < 0.5 else fuzz_sentence(rng.randint(2, 12))))
for _ in range(150):
    # "but" value-matching quirk: repeated values before and after "but".
    w = rng.choice(words)
    v = rng.choice(words)
    pattern = [w, v, w, "but", v, w, rng.choice(BOOSTERS), v, w]
    rng.shuffle(pattern)
    add("but-quirk", join(pattern) + rng.choice(PUNCT))
for _ in range(100):
    # Multi-paragraph comments of 40–400 words.
    add("comment", long_text(rng.randint(40, 400)))
for n in (1000, 2500, 4000, 6000):
    add("long", long_text(n))
add("long-but", long_text(3000) + " but " + long_text(3000))

for item in items:
    sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
sys.stderr.write("%d items\n" % len(items))

#!/usr/bin/env python3
"""Writes a deterministic sample of survey responses (JSON lines) from three agencies, with a few
malformed ones, for the local stack. Usage: make_sample.py COUNT [SEED] > sample.jsonl
Prints the expected figures to stderr as one JSON object."""
import datetime
import json
import random
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 600
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
agencies = [("IRS", "free-file"), ("SSA", "retirement-benefits"), ("VA", "health-care-enrollment")]
channels = ["web", "mobile", "phone", "in-person", "email", "chat"]
# Comments are composed from three fragment lists by the base-12 digits of the response's index, shuffled by a
# multiplier coprime with 12**3 so every fragment turns up early: the first 1,728 comments all differ and
# survey-intake's repeated_text spam signal (3 copies per agency) never flags the sample.
tasks = [
    "Filing my return", "Renewing my benefits", "Booking the appointment", "Updating my address",
    "Checking my claim status", "Uploading the documents", "Signing in to my account", "Finding the right form",
    "Calling the help line", "Paying my balance", "Changing my direct deposit", "Requesting a replacement card",
]
experiences = [
    "was quick and the instructions were clear", "took far too long and nobody called me back",
    "was easy once I found the right page", "kept timing out, which was really frustrating",
    "went smoothly and the staff were kind", "was confusing because the wording is vague", "worked on the first try",
    "was slow, but it got done in the end", "failed twice before it finally went through", "was simple and I felt respected",
    "left me waiting on hold for over an hour", "was fine, though the page looked dated",
]
remarks = [
    "Thank you!", "Please fix the search.", "I would recommend it to a friend.", "Not happy at all.",
    "Much better than last year.", "The help text could be shorter.", "Great service overall!", "I am disappointed.",
    "Nothing special.", "Keep up the good work.", "I had to ask my daughter for help.", "Please add a way to save progress.",
]


def comment(index):
    k = index * 1103 % 1728
    return f"{tasks[k % 12]} {experiences[k // 12 % 12]}. {remarks[k // 144]}"


malformed_kinds = ["not_json", "missing_agency", "trust_out_of_range", "unknown_schema", "wrong_type"]
expected = {"valid": 0, "rejected": 0, "byAgency": {}}
for index in range(count):
    agency, service = agencies[index % 3]
    event = {
        "schema": "cx.feedback.submitted/1",
        "eventId": f"sample-{index:06d}",
        "occurredAt": (now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 5))).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "agency": agency,
        "service": service,
        "channel": rng.choice(channels),
        "level": "transaction",
        "form": "a11-v2",
        "answers": {"trust": {"scale": "thumbs", "value": rng.choice([0, 1, 1, 1])}, "recommend": rng.randint(0, 10)},
        "locale": "en-US",
    }
    if index % 7 == 0:
        event["form"] = "a11-v1"
        event["scaleDirection"] = "agree-high"
        event["answers"] = {name: rng.randint(1, 5) for name in ["satisfaction", "trust", "effectiveness", "ease", "efficiency", "transparency", "employee"]}
    else:
        thumbs = event["answers"]["trust"]["value"]
        picks = rng.sample(["effectiveness", "ease", "efficiency", "transparency", "humanity", "employee"], rng.randint(0, 3))
        event["answers"]["wentWell" if thumbs == 1 else "didNotGoWell"] = picks
    if rng.randrange(9) != 0:  # about one in nine leaves no comment
        event["comment"] = comment(index)
    line = json.dumps(event)
    if index % 20 == 19:
        kind = malformed_kinds[(index // 20) % len(malformed_kinds)]
        if kind == "not_json":
            line = line[: len(line) // 2]
        elif kind == "missing_agency":
            del event["agency"]
            line = json.dumps(event)
        elif kind == "trust_out_of_range":
            event["form"] = "a11-v2"
            event.pop("scaleDirection", None)
            event["answers"] = {"trust": {"scale": "likert5", "value": 7}}
            line = json.dumps(event)
        elif kind == "unknown_schema":
            event["schema"] = "cx.feedback.submitted/9"
            line = json.dumps(event)
        else:
            event["answers"] = {"trust": {"scale": "thumbs", "value": "yes"}}
            line = json.dumps(event)
        expected["rejected"] += 1
    else:
        expected["valid"] += 1
        expected["byAgency"][agency] = expected["byAgency"].get(agency, 0) + 1
    print(line)
print(json.dumps(expected), file=sys.stderr)

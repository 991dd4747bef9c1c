#!/usr/bin/env python3
"""Writes labelled.txt: a synthetic, labelled set of federal-feedback comments for measuring the PII redactor.

Every value is made up (example.com/.org/.gov e-mail, 555-01xx phone numbers, test card numbers, generated
identifiers; names are combinations of common given names and surnames). One comment per line; each PII span is
marked ⟦kind|text⟧ with the kind names of PIIKind (email, phone, ssn, card, address, dob, itin, ein, a_number,
mbi, va_claim, ip, name). Lines without a mark are negatives, many of them deliberately tricky: years, amounts,
case and receipt numbers, form names, dates that are not birth dates, times, versions, ZIP codes.

    python3 ops/sample/redaction/make_labelled_set.py > ops/sample/redaction/labelled.txt
"""
import random

rng = random.Random(20261205)
GIVEN = ["Maria", "James", "Aisha", "Wei", "Carlos", "Priya", "John", "Fatima", "Liam", "Grace", "Olumide", "Sofia", "Dmitri", "Keisha", "Tomas", "Hannah"]
FAMILY = ["Lopez", "Nguyen", "Okafor", "Smith", "Patel", "Kowalski", "Johnson", "Haddad", "Kim", "O'Neil", "Garcia", "Mary-Jones", "Whitfield", "Tanaka"]
STREETS = ["Main", "Oak", "Pennsylvania", "Maple Grove", "Martin Luther King", "Cedar", "5th", "Elm", "Lakeview", "North Park"]
SUFFIXES = ["St", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Lane", "Dr", "Way", "Ct"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"


def m(kind, text):
    return f"⟦{kind}|{text}⟧"


def name():
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def ssn():
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def itin():
    group = rng.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
    return f"9{rng.randint(0, 99):02d}-{group}-{rng.randint(1, 9999):04d}"


def ein():
    prefix = rng.choice([10, 12, 20, 27, 35, 46, 52, 61, 74, 83, 91, 98])
    return f"{prefix}-{rng.randint(1000000, 9999999)}"


def luhn_complete(digits):
    total = 0
    for position, digit in enumerate(reversed(digits + [0])):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return digits + [(10 - total % 10) % 10]


def card():
    prefix = rng.choice([[4], [5, 1], [5, 5], [6, 0, 1, 1]])
    digits = luhn_complete(prefix + [rng.randint(0, 9) for _ in range(15 - len(prefix))])
    text = "".join(map(str, digits))
    return rng.choice([text, " ".join(text[i:i + 4] for i in range(0, 16, 4)), "-".join(text[i:i + 4] for i in range(0, 16, 4))])


def phone():
    area, exchange, line = rng.randint(201, 989), rng.choice([555]), rng.randint(100, 199)
    return rng.choice([f"({area}) {exchange}-0{line}", f"{area}-{exchange}-0{line}", f"{area}.{exchange}.0{line}", f"+1 {area} {exchange} 0{line}"])


def email():
    user = rng.choice(["jdoe", "maria.lopez", "w.nguyen72", "aisha_o", "carlos+va", "k.whitfield"])
    return f"{user}@{rng.choice(['example.com', 'example.org', 'mail.example.gov'])}"


def address():
    number = rng.randint(1, 9999)
    unit = rng.choice(["", "", " Apt 4B", " Suite 200", " #12"])
    return f"{number} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}{unit}"


def date_text():
    year, month, day = rng.randint(1935, 2005), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{month:02d}/{day:02d}/{year}", f"{month}/{day}/{year}", f"{year}-{month:02d}-{day:02d}", f"{MONTHS[month - 1]} {day}, {year}", f"{day} {MONTHS[month - 1]} {year}", f"{month}-{day}-{year % 100:02d}"])


def a_number():
    digits = "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([8, 9])))
    return rng.choice([f"A{digits}", f"A-{digits}", f"A# {digits}"])


def mbi():
    chars = [str(rng.randint(1, 9)), rng.choice(MBI_LETTERS), rng.choice(MBI_LETTERS + "0123456789"), str(rng.randint(0, 9)),
             rng.choice(MBI_LETTERS), rng.choice(MBI_LETTERS + "0123456789"), str(rng.randint(0, 9)), rng.choice(MBI_LETTERS),
             rng.choice(MBI_LETTERS), str(rng.randint(0, 9)), str(rng.randint(0, 9))]
    text = "".join(chars)
    return rng.choice([text, text, f"{text[:4]}-{text[4:7]}-{text[7:]}"])


def va_claim():
    return "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([8, 9])))


def ipv4():
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def ipv6():
    groups = [f"{rng.randint(0, 65535):x}" for _ in range(8)]
    return rng.choice([":".join(groups), f"2001:db8::{groups[2]}:{groups[3]}", f"fe80::{groups[0]}:{groups[1]}:1"])


POSITIVE = [
    lambda: f"Please contact me at {m('email', email())} about my refund.",
    lambda: f"I emailed {m('email', email())} three times and got no answer.",
    lambda: f"Call me back at {m('phone', phone())}, I am home after 5.",
    lambda: f"The number on file, {m('phone', phone())}, is wrong.",
    lambda: f"My SSN is {m('ssn', ssn())} and the portal still says it does not match.",
    lambda: f"They asked for my social security number {m('ssn', ssn())} twice on the phone.",
    lambda: f"I paid the fee with card {m('card', card())} and was charged twice.",
    lambda: f"Send the letter to {m('address', address())}, not my old place.",
    lambda: f"I moved to {m('address', address())} last spring.",
    lambda: f"My date of birth is {m('dob', date_text())} but the form shows another year.",
    lambda: f"I was born on {m('dob', date_text())} and the system says I am too young.",
    lambda: f"DOB {m('dob', date_text())} was rejected by the online check.",
    lambda: f"The agent asked for my birthday, {m('dob', date_text())}, before anything else.",
    lambda: f"My ITIN {m('itin', itin())} was not accepted by the e-file system.",
    lambda: f"I used my ITIN, {m('itin', itin())}, because I do not have an SSN yet.",
    lambda: f"Our EIN is {m('ein', ein())} and the business account is locked.",
    lambda: f"The employer identification number {m('ein', ein())} was entered correctly.",
    lambda: f"My alien registration number is {m('a_number', a_number())} and my card never arrived.",
    lambda: f"USCIS lost the file for {m('a_number', a_number())} again.",
    lambda: f"A-number: {m('a_number', va_claim())} on the notice is mine.",
    lambda: f"My Medicare number {m('mbi', mbi())} shows as inactive.",
    lambda: f"The new card with {m('mbi', mbi())} came after six weeks.",
    lambda: f"My VA claim number is {m('va_claim', va_claim())} and nobody can find it.",
    lambda: f"VA file number C-{m('va_claim', va_claim())} has been pending a year.",
    lambda: f"The claim number {m('va_claim', va_claim())} is for my disability rating.",
    lambda: f"The site blocked my address {m('ip', ipv4())} after two tries.",
    lambda: f"Error page showed IP {m('ip', ipv4())} and a timeout.",
    lambda: f"From {m('ip', ipv6())} the login page never loads.",
    lambda: f"My name is {m('name', name())} and I waited two hours.",
    lambda: f"my name is {m('name', rng.choice(GIVEN))}, please call me.",
    lambda: f"Mr. {m('name', rng.choice(FAMILY))} at the front desk was very kind.",
    lambda: f"Ms. {m('name', name())} fixed my problem in ten minutes.",
    lambda: f"An agent named {m('name', rng.choice(GIVEN))} walked me through the form.",
    lambda: f"Thanks to representative {m('name', name())} for the help.",
    lambda: f"Sincerely, {m('name', name())}",
    lambda: f"My name is {m('name', name())}, SSN {m('ssn', ssn())}, phone {m('phone', phone())}.",
    lambda: f"Born {m('dob', date_text())}, Medicare ID {m('mbi', mbi())}, email {m('email', email())}.",
    lambda: f"Reach me at {m('email', email())} or {m('phone', phone())}.",
    # Harder shapes a cue-less or pattern-only rule may miss (kept so recall is not flattering).
    lambda: f"I'm {m('name', name())} from the Dayton office.",
    lambda: f"It's {m('name', rng.choice(GIVEN))} again, still no refund.",
    lambda: f"The business, {m('ein', ein())}, still shows as delinquent.",
    lambda: f"I turned 70 on {m('dob', date_text())} and my benefits did not start.",
]

NEGATIVE = [
    lambda: f"In {rng.randint(1990, 2025)} I applied and it took {rng.randint(2, 14)} weeks.",
    lambda: f"The refund was ${rng.randint(1, 9)},{rng.randint(100, 999)}.{rng.randint(10, 99)} instead of the amount I expected.",
    lambda: f"Case {rng.randint(2019, 2025)}-{rng.randint(100000, 9999999)} has been open for months.",
    lambda: f"My appointment on {date_text()} was cancelled without notice.",
    lambda: f"The letter dated {date_text()} arrived late.",
    lambda: f"Since {rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2020, 2025)} nobody has answered.",
    lambda: f"I filed on {rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} and again a week later.",
    lambda: f"Receipt number IOE{rng.randint(1000000000, 9999999999)} is still processing.",
    lambda: f"Form I-{rng.choice(['485', '765', '130', '90'])} took {rng.randint(3, 20)} months.",
    lambda: f"Box {rng.randint(1, 20)} of my W-2 and the 1099-NEC do not match.",
    lambda: f"The app version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)} crashes on upload.",
    lambda: f"I waited {rng.randint(20, 180)} minutes and called {rng.randint(2, 9)} times.",
    lambda: f"The office at ZIP {rng.randint(10000, 99999)} closes at {rng.randint(1, 5)}:{rng.choice(['00', '30'])} pm.",
    lambda: f"Order #{rng.randint(100000000, 999999999)} for my replacement card never came.",
    lambda: f"Confirmation {rng.randint(10000000, 99999999)} was emailed but the link failed.",
    lambda: f"Tracking {rng.randint(9400, 9499)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} shows delivered.",
    lambda: "My name is on the lease but the agent said it was missing.",
    lambda: "The representative said the claim number would come by mail.",
    lambda: "The agent was patient and the supervisor called back.",
    lambda: f"I was born in {rng.randint(1940, 2005)} and this is my first time using the site.",
    lambda: f"Medicare Part B premium went up ${rng.randint(10, 90)} this year.",
    lambda: f"The page said error {rng.randint(400, 504)} at {rng.randint(1, 12)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}.",
    lambda: f"Section 280 of A-11 says surveys should be short; this one had {rng.randint(10, 40)} questions.",
    lambda: f"Rated {rng.randint(1, 10)} out of 10, {rng.randint(50, 100)}% happy with the visit.",
    lambda: f"My claim from {rng.choice(MONTHS)} {rng.randint(2019, 2025)} is still pending.",
    lambda: f"Flight {rng.choice(['UA', 'DL', 'AA'])}{rng.randint(100, 9999)} landed late so I missed the {rng.randint(8, 11)}:{rng.choice(['00', '15', '45'])} slot.",
    lambda: f"Ratio of {rng.randint(2, 5)}:{rng.randint(1, 3)} wait time to service time is too high.",
    lambda: "The Veterans Affairs office on the second floor was clean and quick.",
    lambda: "Dr. visits are covered but the pharmacy said otherwise.",
    lambda: "Thank you, the process was easy and the staff were kind.",
    lambda: f"I am {rng.choice(['Hispanic', 'Deaf', 'Retired', 'Disabled', 'American'])} and the form only came in one version.",
]


# Issue 29: PII however it is written. A second generator with its own seed, so the lines above stay exactly as
# they were and the figures before and after the change are measured on the same first 407 lines.
wide = random.Random(20261207)
FULL_WIDTH = {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)}
SCRIPT_DIGITS = {"arabic-indic": 0x0660, "eastern-arabic": 0x06F0, "devanagari": 0x0966, "bengali": 0x09E6, "thai": 0x0E50}
SPELLED_USERS = ["jane", "jane.doe", "m.lopez", "wei.nguyen", "carlos", "k.whitfield", "aisha.okafor", "tom_kim"]
SPELLED_DOMAINS = [("agency", "gov"), ("example", "com"), ("mail", "example", "org"), ("example", "net")]
LOWER_GIVEN = ["jane", "john", "maria", "james", "aisha", "carlos", "priya", "fatima", "liam", "sofia", "hannah", "david", "linda", "robert", "wei"]
LOWER_FAMILY = ["doe", "smith", "lopez", "nguyen", "okafor", "patel", "johnson", "kim", "garcia", "whitfield", "tanaka"]


def full_width(text):
    return "".join(FULL_WIDTH.get(c, c) for c in text)


def script_digits(text, script):
    zero = SCRIPT_DIGITS[script]
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


def wide_phone():
    return f"{wide.randint(201, 989)}-555-0{wide.randint(100, 199)}"


def wide_ssn():
    return f"{wide.randint(101, 665)}-{wide.randint(10, 99)}-{wide.randint(1000, 9999)}"


def spelled_email():
    user = wide.choice(SPELLED_USERS)
    domain = wide.choice(SPELLED_DOMAINS)
    style = wide.choice(["words", "parens", "brackets", "braces", "caps", "mixed"])
    if style == "words":
        return user.replace(".", " dot ") + " at " + " dot ".join(domain)
    if style == "parens":
        return user.replace(".", "(dot)") + "(at)" + "(dot)".join(domain)
    if style == "brackets":
        return user.replace(".", " [dot] ") + " [at] " + " [dot] ".join(domain)
    if style == "braces":
        return user + " {at} " + ".".join(domain)
    if style == "caps":
        return user.replace(".", " DOT ") + " AT " + " DOT ".join(domain)
    return user + " (at) " + " dot ".join(domain)


def lower_name():
    return wide.choice([f"{wide.choice(LOWER_GIVEN)} {wide.choice(LOWER_FAMILY)}", wide.choice(LOWER_GIVEN)])


WIDE_POSITIVE = [
    # Full-width forms (NFKC).
    lambda: f"Call me at {m('phone', full_width(wide_phone()))} after work.",
    lambda: f"My SSN {m('ssn', full_width(wide_ssn()))} was typed on a phone keyboard.",
    lambda: f"Write to {m('email', full_width('j.doe@example.com'))} please.",
    lambda: f"My name is {m('name', full_width(name()))} and I waited an hour.",
    # Digits of other scripts.
    lambda: f"My phone is {m('phone', script_digits(wide_phone(), wide.choice(list(SCRIPT_DIGITS))))} if you need me.",
    lambda: f"SSN {m('ssn', script_digits(wide_ssn(), wide.choice(list(SCRIPT_DIGITS))))} is on the letter.",
    lambda: f"Card {m('card', script_digits('4111 1111 1111 1111', wide.choice(list(SCRIPT_DIGITS))))} was charged twice.",
    # E-mail addresses spelled out.
    lambda: f"Please write to {m('email', spelled_email())} about the refund.",
    lambda: f"My email is {m('email', spelled_email())}, answer there.",
    lambda: f"Contact me: {m('email', spelled_email())}",
    lambda: f"You can reach me at {m('email', spelled_email())} any time.",
    # Names in lower case after a cue.
    lambda: f"my name is {m('name', lower_name())} and i waited two hours.",
    lambda: f"hi this is {m('name', lower_name())}, still no refund.",
    lambda: f"i'm {m('name', lower_name())} from the dayton office.",
    lambda: f"thanks, {m('name', lower_name())}",
    lambda: f"signed {m('name', lower_name())}",
    # Harder shapes the rules may miss (kept so recall is not flattering): no cue and no dotted local part, a
    # given name outside the list, a given name that is also a word, a word-at form without a spelled dot.
    lambda: f"it went to {m('email', wide.choice(['carlos', 'priya', 'tom']) + ' at example dot com')} last week.",
    lambda: f"my name is {m('name', wide.choice(['siobhan', 'ngozi', 'xochitl']) + ' ' + wide.choice(LOWER_FAMILY))}.",
    lambda: f"i'm {m('name', 'grace ' + wide.choice(LOWER_FAMILY))} and i called twice.",
    lambda: f"email {m('email', wide.choice(['jane', 'wei']) + ' at agency.gov')} with the answer.",
]

WIDE_NEGATIVE = [
    lambda: "We met at the office at noon and the line was short.",
    lambda: "Remember to dot the i's and cross the t's on the form.",
    lambda: "I looked at the dot com site and then at the paper form.",
    lambda: "I applied at irs.gov and at the office downtown.",
    lambda: "The website va dot gov was down at lunch.",
    lambda: "Go to login dot gov and sign in at the top.",
    lambda: "Look at page 2 and at the dotted line at the bottom.",
    lambda: "this is taking forever and nobody answers at all.",
    lambda: "my name is on the lease but the agent said it was missing.",
    lambda: "my name is spelled wrong on the card.",
    lambda: "i am very upset, this is the third time.",
    lambda: "this is my second letter about the same thing.",
    lambda: "i'm still waiting at home for the call.",
    lambda: f"In {full_width(str(wide.randint(2019, 2025)))} I waited {full_width(str(wide.randint(2, 9)))} weeks.",
    lambda: f"I called {script_digits(str(wide.randint(3, 9)), wide.choice(list(SCRIPT_DIGITS)))} times in {script_digits(str(wide.randint(2019, 2025)), wide.choice(list(SCRIPT_DIGITS)))}.",
    lambda: f"Case {full_width(str(wide.randint(2019, 2025)))}-{full_width(str(wide.randint(100000, 999999)))} is still open.",
    lambda: "The agent at the desk said to email them at the address on the letter.",
    lambda: "Meet me at the front; the mark at the top was a dot.",
    lambda: "I was at the IRS office, then at ssa dot gov for the form.",
    lambda: "I clicked at login dot gov twice and nothing happened.",
    lambda: "Send the form at irs dot gov, they said.",
    lambda: "this is john's third letter, not mine.",
]


def main():
    lines = []
    for _ in range(6):
        for make in POSITIVE:
            lines.append(make())
    for _ in range(5):
        for make in NEGATIVE:
            lines.append(make())
    rng.shuffle(lines)
    wide_lines = []
    for _ in range(6):
        for make in WIDE_POSITIVE:
            wide_lines.append(make())
    for _ in range(2):
        for make in WIDE_NEGATIVE:
            wide_lines.append(make())
    wide.shuffle(wide_lines)
    print("\n".join(lines + wide_lines))


if __name__ == "__main__":
    main()

/// The cue and vocabulary lists the matchers compare words against (lower-case ASCII).
extension PIIScanner {
    static func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }

    static let birthCues = bytes([
        "born", "birth", "birthday", "birthdate", "dob", "d.o.b", "bday", "b-day",
    ])

    static let itinCues = bytes(["itin", "individual taxpayer", "taxpayer identification", "tax id", "tin"])

    static let einCues = bytes([
        "ein", "fein", "employer identification", "employer id", "employer number", "tax id", "federal tax id",
    ])

    static let aNumberCues = bytes([
        "a-number", "a number", "a#", "a #", "alien number", "alien registration", "alien #", "uscis number", "uscis #",
        "uscis no", "a-file", "registration number",
    ])

    static let vaClaimCues = bytes([
        "va claim", "va file", "c-file", "c file", "claim number", "claim no", "claim #", "file number", "va number",
        "veterans affairs", "va case",
    ])

    /// Cues after which a capitalised word is a name (lower case; titles may take a period).
    static let nameCues = bytes([
        "my name is", "my name's", "name is", "named", "i am called", "i am", "i'm", "signed", "sincerely", "regards", "mr", "mrs", "ms",
        "miss", "mx", "agent", "representative", "rep", "officer", "caseworker", "case worker", "specialist",
        "counselor", "supervisor",
    ])
    /// The name cues by their first byte (longest first, so `i am called` is tried before `i am`).
    static let nameCueStarts: [Bool] = (0..<256).map { byte in nameCues.contains { $0.first == UInt8(byte) } }
    static let nameCuesByFirstByte: [[[UInt8]]] = (0..<256).map { byte in
        nameCues.filter { $0.first == UInt8(byte) }.sorted { $0.count > $1.count }
    }

    /// Capitalised words that are not names after a cue.
    static let notNames: Set<String> =
        stopWords.union(streetSuffixes).union(unitWords).union(directionals).union(monthNumbers.keys)
        .union([
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "it", "there", "here",
            "not", "we", "agency", "office", "service", "department", "irs", "ssa", "va", "usps", "uscis", "cms",
            "medicare", "medicaid", "social", "security", "administration", "federal", "government", "help",
            "thanks", "thank", "please", "sir", "madam", "yes", "ok", "okay", "very", "really", "who", "what",
            "supervisor", "manager", "team", "customer", "citizen", "veteran", "veterans",
            // Words people use to describe themselves after "I am" / "I'm".
            "american", "hispanic", "latino", "latina", "latinx", "asian", "black", "white", "native", "indian",
            "mexican", "canadian", "christian", "muslim", "jewish", "catholic", "deaf", "blind", "disabled",
            "retired", "sorry", "so", "still", "glad", "happy", "grateful", "thankful", "unable", "able",
        ])

    static let monthNumbers: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

    static let ssnWords: [[UInt8]] = ["ssn", "social security", "soc sec", "ss#", "ss #", "social sec"].map {
        Array($0.utf8)
    }

    static let phoneWords: [[UInt8]] = [
        "phone", "call", "cell", "mobile", "tel", "fax", "text", "contact", "number is", "reach me",
    ].map { Array($0.utf8) }

    static let streetSuffixes: Set<String> = [
        "st", "street", "ave", "av", "avenue", "rd", "road", "blvd", "boulevard", "ln", "lane", "dr", "drive",
        "ct", "court", "pl", "place", "way", "ter", "terrace", "pkwy", "parkway", "cir", "circle", "hwy",
        "highway", "sq", "square", "trl", "trail", "pike", "aly", "alley", "row", "loop", "plz", "plaza",
        "expy", "expressway", "fwy", "freeway", "tpke", "turnpike",
    ]

    static let directionals: Set<String> = [
        "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west",
    ]

    static let postDirectionals: Set<String> = ["n", "s", "e", "w", "ne", "nw", "se", "sw"]

    static let unitWords: Set<String> = [
        "apt", "apartment", "suite", "ste", "unit", "rm", "room", "fl", "floor",
    ]

    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "from", "with", "by",
        "about", "as", "is", "was", "were", "are", "be", "been", "it", "its", "my", "our", "your", "their",
        "his", "her", "i", "we", "you", "they", "he", "she", "me", "us", "them", "this", "that", "these",
        "those", "per", "than", "not", "no", "so", "very", "just", "only", "also", "after", "before", "when",
        "then", "all", "any", "some", "many", "much", "more", "less", "most", "other", "different", "same",
        "few", "every", "each", "both", "over", "under", "into", "out", "up", "down", "off", "again",
        "still", "even", "too", "has", "have", "had", "do", "did", "does", "got", "get", "went", "go",
        "said", "told", "called", "waited", "took", "made", "saw", "met", "including", "like", "until",
        "times", "time", "hours", "hour", "hrs", "minutes", "minute", "mins", "min", "seconds", "days",
        "day", "weeks", "week", "months", "month", "years", "year", "people", "persons", "calls", "emails",
        "forms", "form", "pages", "page", "dollars", "cents", "percent", "items", "questions", "attempts",
        "tries", "visits", "steps", "fee", "fees", "letters", "documents", "copies", "agents", "staff",
        "doctors", "offices", "office", "stars", "points", "am", "pm",
    ]
}

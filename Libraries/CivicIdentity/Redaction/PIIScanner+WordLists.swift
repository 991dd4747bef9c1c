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
    /// Weak cues: a name follows only when its first word is a known given name (`This is Maria`, `thanks, john`).
    static let weakNameCues = bytes(["this is", "it's", "it is", "thanks", "thank you", "hi, i'm", "hello, i'm"])
    /// Every name cue with whether it is weak.
    static let allNameCues: [([UInt8], Bool)] = nameCues.map { ($0, false) } + weakNameCues.map { ($0, true) }
    /// The name cues by their first byte (longest first, so `i am called` is tried before `i am`).
    static let nameCueStarts: [Bool] = (0..<256).map { byte in allNameCues.contains { $0.0.first == UInt8(byte) } }
    static let nameCuesByFirstByte: [[([UInt8], Bool)]] = (0..<256).map { byte in
        allNameCues.filter { $0.0.first == UInt8(byte) }.sorted { $0.0.count > $1.0.count }
    }

    /// Given names a name written in lower case, or after a weak cue, must start with (lower case): common
    /// given names in the United States across its communities.
    static let givenNames: Set<String> = [
        "aaron", "abdul", "abigail", "adam", "adrian", "ahmed", "aisha", "alan", "albert", "alejandro", "alex",
        "alexander", "alexandra", "ali", "alice", "alicia", "alison", "allison", "alma", "amanda", "amber", "amelia",
        "amir", "amy", "ana", "andrea", "andrew", "angela", "anil", "anita", "ann", "anna", "anne", "anthony",
        "antonio", "arjun", "arthur", "ashley", "barbara", "benjamin", "beth", "betty", "beverly", "brandon",
        "brenda", "brian", "bruce", "carl", "carlos", "carmen", "carol", "caroline", "catherine", "charles",
        "charlotte", "cheryl", "chris", "christina", "christine", "christopher", "cynthia", "daniel", "danielle",
        "david", "deborah", "debra", "denise", "dennis", "diana", "diane", "dmitri", "donald", "donna", "doris",
        "dorothy", "douglas", "duc", "edward", "elena", "elizabeth", "emily", "emma", "eric", "esther", "ethan",
        "eugene", "evelyn", "fatima", "fernando", "francisco", "gabriel", "gary", "george", "gloria", "grace",
        "gregory", "hannah", "harold", "heather", "helen", "henry", "hiroshi", "hui", "ibrahim", "irene", "isabel",
        "isabella", "jack", "jacob", "jacqueline", "james", "jamal", "jane", "janet", "janice", "jason", "javier",
        "jean", "jeffrey", "jennifer", "jeremy", "jerry", "jesse", "jessica", "jesus", "joan", "joe", "john",
        "jonathan", "jorge", "jose", "joseph", "joshua", "joyce", "juan", "judith", "judy", "julia", "julie",
        "justin", "karen", "katherine", "kathleen", "kathy", "keisha", "keith", "kelly", "kenneth", "kevin",
        "kimberly", "kyle", "larry", "laura", "lauren", "lawrence", "liam", "linda", "lisa", "lucia", "luis",
        "madison", "mai", "manuel", "margaret", "maria", "marie", "marilyn", "mario", "martha", "mary", "matthew",
        "megan", "melissa", "michael", "michelle", "miguel", "min", "mohammed", "muhammad", "nancy", "natalie",
        "nathan", "nicholas", "nicole", "noah", "olivia", "olumide", "omar", "pamela", "patricia", "patrick", "paul",
        "pedro", "peter", "priya", "rachel", "rafael", "rahul", "ralph", "raymond", "rebecca", "richard", "rita",
        "robert", "roger", "ronald", "rosa", "ruth", "ryan", "samantha", "samuel", "sandra", "sara", "sarah",
        "scott", "sean", "sharon", "shirley", "sofia", "sophia", "stephanie", "stephen", "steven", "susan",
        "tamika", "teresa", "terry", "thomas", "timothy", "tomas", "tyler", "tyrone", "victoria", "vincent",
        "virginia", "walter", "wei", "william", "yolanda", "yusuf", "zachary",
    ]

    /// Given names that are also common words, never taken as names in lower case (`this is grace under
    /// pressure`).
    static let ambiguousGivenNames: Set<String> = ["grace", "joy", "hope", "faith", "will", "may", "june", "rose", "mark", "jean", "min", "ann"]

    /// Lower-case words that end a lower-case name (`this is john calling about …`).
    static let lowerCaseNotNames: Set<String> = [
        "again", "calling", "writing", "speaking", "here", "there", "today", "yesterday", "tomorrow", "now", "from",
        "and", "checking", "asking", "following", "waiting", "responding", "reaching", "complaining",
        "if", "who", "which", "because", "since", "while", "where", "why", "how", "can", "could", "would", "should",
        "will", "need", "needs", "want", "wants", "tried", "trying", "still", "never", "always", "finally", "thanks",
        "thank", "please", "sorry", "hello", "hi", "regarding", "about", "re", "jr", "sr",
    ]

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

/// The fixed English word lists of theme extraction: stop words (never a theme's word) and negators (they mark
/// the next content word of their clause as negated: `not helpful` is a term of its own, never `helpful`).
enum EnglishWords {
    /// Words that carry no theme: articles, pronouns, auxiliaries, prepositions, conjunctions, fillers, and the
    /// words every comment on a public service uses (service, agency, government).
    static let stopWords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did",
        "do", "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for", "from", "further",
        "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his",
        "how", "i", "if", "im", "in", "into", "is", "it", "its", "itself", "ive", "just", "let", "like", "me", "more",
        "most", "much", "must", "my", "myself", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours",
        "ourselves", "out", "over", "own", "really", "same", "she", "should", "so", "some", "still", "such", "than",
        "that", "thats", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
        "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when",
        "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
        "yourselves", "ok", "okay", "please", "thanks", "thank", "yes", "service", "services", "agency", "government",
        "department", "office", "overall", "etc", "anyway", "maybe", "quite", "rather", "though", "although", "since",
        "via", "per", "whether", "yet", "lot", "lots", "thing", "things", "way", "made", "make", "say", "said",
    ]

    /// Words that negate the next content word of their clause.
    static let negators: Set<String> = [
        "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "cant", "dont", "didnt",
        "doesnt", "isnt", "wasnt", "werent", "wont", "wouldnt", "couldnt", "shouldnt", "havent", "hasnt", "hadnt",
        "arent", "aint", "without", "hardly",
    ]

    /// A light, deterministic suffix stripper (plural `-s`/`-es`/`-ies`, `-ing`, `-ed`, with a doubled final
    /// consonant undone), so `waited`, `waiting` and `waits` are one term; words of four letters or fewer are
    /// left alone. Not a full Porter stemmer: labels show a surface form, never a stem.
    static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        let count = bytes.count
        guard count > 4, bytes.allSatisfy({ $0 < 0x80 }) else { return word }
        func ends(_ suffix: String) -> Bool { word.hasSuffix(suffix) }
        func undouble(_ stem: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            guard stem.count >= 3, let last = stem.last, stem[stem.endIndex - 2] == last,
                !"lsz".utf8.contains(last), !"aeiou".utf8.contains(last)
            else { return stem }
            return stem.dropLast()
        }
        var result: ArraySlice<UInt8>
        if count > 5, ends("ies") {
            result = bytes[0..<(count - 3)] + [UInt8(ascii: "y")]
        } else if count > 5, ends("ing") {
            result = undouble(bytes[0..<(count - 3)])
        } else if ends("ed") {
            result = undouble(bytes[0..<(count - 2)])
        } else if ends("sses") || ends("xes") || ends("ches") || ends("shes") {
            result = bytes[0..<(count - 2)]
        } else if ends("s"), !ends("ss"), !ends("us"), !ends("is") {
            result = bytes[0..<(count - 1)]
        } else {
            result = bytes[...]
        }
        return String(decoding: result, as: UTF8.self)
    }
}

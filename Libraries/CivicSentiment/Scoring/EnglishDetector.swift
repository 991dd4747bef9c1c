/// A cheap, dictionary-free check that a comment is written in English.
///
/// Rules, in order:
/// 1. **Script.** Letters are counted by script. When more than half of the letters are not
///    Latin (Cyrillic, Greek, Arabic, Hebrew, CJK, Devanagari, …) the text is not English.
/// 2. **Function words.** Lowercased Latin words are looked up in short lists of very frequent,
///    distinctive function words for English and for Spanish, French, German, Portuguese,
///    Italian and Dutch (words shared with English, like "a", "in", "is", "no", are left out).
///    With at least three words, the text is not English when one other language has at least
///    two hits and more hits than English.
/// 3. Otherwise, including text too short to judge (emoji only, "ok", "👍"), it is English.
///
/// It costs one pass over the text and never allocates per word. It errs towards English:
/// a short non-English comment without function words (e.g. "Excelente servicio") passes as
/// English, and the caller's locale is the primary signal.
package struct EnglishDetector: Sendable {
    /// The verdict for one text.
    package enum Verdict: Sendable, Hashable {
        /// English, or too little evidence to say otherwise.
        case english
        /// Mostly letters of a non-Latin script.
        case nonLatinScript
        /// Function words of another language dominate; carries its ISO 639-1 code.
        case otherLanguage(String)
    }

    /// Creates a detector.
    package init() {}

    /// Classifies `text`.
    package func verdict(for text: String) -> Verdict {
        var latinLetters = 0
        var otherLetters = 0
        var englishHits = 0
        var otherHits = [Int](repeating: 0, count: Self.otherLanguages.count)
        var wordCount = 0
        var word: [UInt8] = []
        word.reserveCapacity(32)

        func endWord() {
            guard !word.isEmpty else { return }
            wordCount += 1
            if let key = Self.packUTF8(word), let mask = Self.table[key] {
                if mask & 1 != 0 { englishHits += 1 }
                for index in Self.otherLanguages.indices where mask & (1 << (index + 1)) != 0 {
                    otherHits[index] += 1
                }
            }
            word.removeAll(keepingCapacity: true)
        }

        var overlong = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                if (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) {
                    latinLetters += 1
                    if word.count < VaderKey.maximumLength { word.append(UInt8(value | 0x20)) } else { overlong = true }
                } else if value == 0x27 && !word.isEmpty {
                    word.append(0x27)
                } else {
                    if !overlong { endWord() } else { word.removeAll(keepingCapacity: true) }
                    overlong = false
                }
                continue
            }
            guard scalar.properties.isAlphabetic else {
                if !overlong { endWord() } else { word.removeAll(keepingCapacity: true) }
                overlong = false
                continue
            }
            if Self.isLatin(value) {
                latinLetters += 1
                // Keep accented Latin letters inside the word as UTF-8 so "está" or "für" match.
                let utf8 = Array(String(Character(scalar)).lowercased().utf8)
                if word.count + utf8.count <= VaderKey.maximumLength {
                    word.append(contentsOf: utf8)
                } else {
                    overlong = true
                }
            } else {
                otherLetters += 1
                if !overlong { endWord() } else { word.removeAll(keepingCapacity: true) }
                overlong = false
            }
        }
        if !overlong { endWord() }

        if otherLetters > latinLetters { return .nonLatinScript }
        guard wordCount >= 3 else { return .english }
        var best = -1
        for index in otherHits.indices where otherHits[index] >= 2 && otherHits[index] > englishHits {
            if best < 0 || otherHits[index] > otherHits[best] { best = index }
        }
        return best >= 0 ? .otherLanguage(Self.otherLanguages[best].code) : .english
    }

    private static func isLatin(_ value: UInt32) -> Bool {
        switch value {
        case 0x00C0...0x024F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            true
        default:
            false
        }
    }

    static let english: [String] = [
        "the", "and", "is", "was", "to", "of", "it", "that", "this", "with", "for", "you", "my", "i", "are",
        "have", "not", "but", "be", "on", "they", "we", "what", "would", "very", "your", "there", "were",
        "been", "has", "had", "so", "just", "can", "an", "at", "or", "from", "will", "about", "thank",
        "thanks", "please", "it's", "i'm", "don't", "didn't", "because", "when", "which", "their", "our",
    ]

    static let otherLanguages: [(code: String, words: [String])] = [
        (
            "es",
            [
                "el", "los", "las", "y", "es", "muy", "que", "por", "para", "una", "pero", "está", "fue",
                "gracias", "servicio", "del", "al", "lo", "como", "más", "también", "hay", "estoy", "su", "mi",
            ]
        ),
        (
            "fr",
            [
                "le", "les", "et", "est", "très", "une", "des", "pour", "avec", "mais", "pas", "je", "vous",
                "nous", "était", "merci", "du", "au", "ce", "cette", "qui", "sur", "été", "ça", "il", "elle",
            ]
        ),
        (
            "de",
            [
                "der", "das", "und", "ist", "nicht", "sehr", "ich", "mit", "ein", "eine", "für", "aber",
                "auch", "sie", "wir", "danke", "zu", "den", "dem", "bin", "war", "wurde", "ihr", "mein",
            ]
        ),
        (
            "pt",
            [
                "os", "é", "muito", "não", "uma", "com", "para", "mas", "foi", "obrigado", "obrigada", "você",
                "do", "da", "dos", "das", "em", "meu", "minha", "isso", "atendimento", "estou",
            ]
        ),
        (
            "it",
            [
                "il", "gli", "è", "molto", "non", "una", "per", "con", "ma", "sono", "era", "grazie", "della",
                "che", "di", "mio", "questo", "anche", "servizio", "stato",
            ]
        ),
        (
            "nl",
            [
                "de", "het", "een", "niet", "zeer", "heel", "met", "voor", "maar", "ik", "dank", "bedankt",
                "van", "op", "zijn", "ook", "wij", "jullie", "goed", "erg",
            ]
        ),
    ]

    /// Word → bit mask (bit 0 English, bit n+1 the n-th other language).
    private static let table: [VaderKey: UInt8] = {
        var table: [VaderKey: UInt8] = [:]
        for word in english {
            if let key = VaderKey.exact(Array(word.utf8)) { table[key, default: 0] |= 1 }
        }
        for (index, language) in otherLanguages.enumerated() {
            for word in language.words {
                // VaderKey.exact only accepts ASCII; accented words are packed from raw UTF-8 bytes.
                if let key = packUTF8(Array(word.utf8)) { table[key, default: 0] |= UInt8(1 << (index + 1)) }
            }
        }
        return table
    }()

    private static func packUTF8(_ bytes: [UInt8]) -> VaderKey? {
        guard !bytes.isEmpty, bytes.count <= VaderKey.maximumLength else { return nil }
        var key = VaderKey()
        for (index, byte) in bytes.enumerated() {
            let shift = UInt64((index & 7) << 3)
            switch index >> 3 {
            case 0: key.w0 |= UInt64(byte) << shift
            case 1: key.w1 |= UInt64(byte) << shift
            default: key.w2 |= UInt64(byte) << shift
            }
        }
        key.length = bytes.count
        return key
    }
}

import Foundation

/// Access to the data files shipped in this module's `Resources/` folder
/// (declared in the manifest as `resources: [.copy("Resources")]`).
///
/// Each file is parsed once per process and shared by every analyzer instance.
enum BundledResources {
    /// Name of the resource folder inside the module bundle.
    static let folder = "Resources"

    /// The location of a bundled file.
    static func url(named name: String, extension ext: String) throws(CivicSentimentError) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: folder) else {
            throw CivicSentimentError(
                code: .resourceMissing,
                reason: "bundled resource \(folder)/\(name).\(ext) not found in \(Bundle.module.bundlePath)"
            )
        }
        return url
    }

    /// Reads a bundled file by name and extension.
    static func data(named name: String, extension ext: String) throws(CivicSentimentError) -> Data {
        let url = try url(named: name, extension: ext)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw CivicSentimentError(
                code: .resourceUnreadable,
                reason: "cannot read bundled resource \(url.path)",
                underlying: error
            )
        }
    }

    /// The VADER lexicon and emoji table, parsed once.
    static func vaderLexicon() throws(CivicSentimentError) -> VaderLexicon {
        try cachedVader.get()
    }

    /// The emotion dictionaries, parsed once.
    static func emotionLexicon() throws(CivicSentimentError) -> EmotionLexicon {
        try cachedEmotion.get()
    }

    private static let cachedVader: Result<VaderLexicon, CivicSentimentError> = Result {
        () throws(CivicSentimentError) -> VaderLexicon in
        try VaderLexicon(
            lexiconData: data(named: "vader_lexicon", extension: "txt"),
            emojiData: data(named: "emoji_utf8_lexicon", extension: "txt")
        )
    }

    private static let cachedEmotion: Result<EmotionLexicon, CivicSentimentError> = Result {
        () throws(CivicSentimentError) -> EmotionLexicon in
        try EmotionLexicon(
            vocabulateData: data(named: "AEV_Dict", extension: "csv"),
            empathSubsetData: data(named: "empath_subset", extension: "tsv"),
            mappingData: data(named: "emotion_mapping", extension: "tsv")
        )
    }
}

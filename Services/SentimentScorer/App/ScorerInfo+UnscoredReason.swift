import CivicModels
import CivicSentiment

extension ScorerInfo.UnscoredReason {
    /// The contract's reason for a comment the scorer left unscored.
    init(_ reason: CivicSentiment.UnscoredReason) {
        switch reason {
        case .nonEnglishLocale: self = .nonEnglishLocale
        case .nonEnglishText: self = .nonEnglishText
        }
    }
}

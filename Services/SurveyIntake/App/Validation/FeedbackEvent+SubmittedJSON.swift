import CivicModels

extension FeedbackEvent {
    /// Reads a submitted response (the fields an agency sends, no stage's additions, no unknown key) straight
    /// from its JSON bytes (``CivicModels/FeedbackEvent/init(contractJSON:reading:)``); `nil` sends it down the
    /// `Decoder` path, which accepts or explains. A property test holds it to the decoder.
    init?(submittedJSON bytes: [UInt8]) {
        self.init(contractJSON: bytes, reading: .submitted)
    }
}

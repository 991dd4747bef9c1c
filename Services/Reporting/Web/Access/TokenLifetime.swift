/// How long reporting tokens live: every token expires, `defaultDays` after it is minted unless the mint
/// request asks for fewer days; nobody may ask for more than `maximumDays`. A token minted by another token
/// never outlives the token that minted it.
package struct TokenLifetime: Sendable, Equatable {
    /// The lifetime of a token whose mint request names none. Default: 90 days. (`CIVIC_REPORTING_TOKEN_DAYS`)
    package var defaultDays = 90
    /// The longest lifetime a mint request may ask for. Default: 365 days. (`CIVIC_REPORTING_TOKEN_MAX_DAYS`)
    package var maximumDays = 365

    /// The documented defaults.
    package init() {}

    /// A lifetime of `defaultDays`, at most `maximumDays`.
    package init(defaultDays: Int, maximumDays: Int) {
        self.defaultDays = defaultDays
        self.maximumDays = maximumDays
    }

    /// The longest interval between two recordings of a token's last use: at most one write per token a minute.
    static let lastUseResolutionSeconds = 60
}

import CivicInsights

/// The themes of one row of `GET /v1/reports/themes`: an agency's quarter, or one of its services, channels
/// or collections.
package struct ThemesReport: Codable, Sendable, Equatable {
    /// Agency code.
    package var agency: String
    /// Service, when grouped by (or filtered on) service.
    package var service: String?
    /// Channel, when grouped by (or filtered on) channel.
    package var channel: String?
    package var fiscalYear: Int
    package var quarter: Int
    /// Whether the row is withheld: fewer comments than the minimum cell size, or withheld so that no small
    /// row can be derived from the others.
    package var suppressed: Bool
    /// Comments counted (spam-flagged and deleted responses left out); `nil` when suppressed.
    package var comments: Int?
    /// The published themes, the most frequent first; a theme whose count is withheld here is left out.
    package var themes: [PublishedTheme]
}

/// One theme as published.
package struct PublishedTheme: Codable, Sendable, Equatable {
    /// Its label: its most telling phrase.
    package var label: String
    /// The phrases it is made of, the most frequent first.
    package var terms: [String]
    /// Comments with the theme, and their share of the row's comments with its 95% Wilson interval.
    package var count: Int
    package var share: Proportion
    /// Mean compound sentiment (-1...1) of its comments scored for sentiment; `nil` when none were.
    package var meanSentiment: Double?
    /// The answers it goes with (over the agency's quarter): `trust:up`/`trust:down`, `wentWell:<option>`,
    /// `didNotGoWell:<option>`, `<item>:low`/`<item>:high` (A-11 v1), the most distinctive first.
    package var goesWith: [String]
    /// Against the previous quarter; `nil` when the previous quarter's row has no published comments count.
    package var trend: ThemeTrend?
    /// Up to three of its comments (redacted upstream), for the analyst role only; absent for viewers.
    package var examples: [String]?
}

/// How a theme moved since the previous quarter.
package struct ThemeTrend: Codable, Sendable, Equatable {
    /// `new` (under the minimum count last quarter), `rising` or `falling` (the change of its share is
    /// significant at 95%, by the pooled two-proportion z-test of every trend in reporting), or `steady`.
    package var status: String
    /// The change of its share and its significance; `nil` for a new theme (last quarter's count is withheld).
    package var change: Double?
    package var significant: Bool?
}

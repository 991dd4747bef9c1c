/// Settings of survey-intake's HTTP front door (`POST /v1/responses` and the admin routes).
package struct IntakeHTTPConfiguration: Sendable {
    /// Most items in one JSON array body. Default: 500. (`CIVIC_INTAKE_HTTP_MAX_BATCH`)
    package var maxBatchItems: Int = 500
    /// Largest request body, in bytes; a larger one is answered 413. Default: 4194304 (4 MiB).
    /// (`CIVIC_INTAKE_HTTP_MAX_BODY_BYTES`)
    package var maxBodyBytes: Int = 4 * 1024 * 1024
    /// Items per second each API key may submit, on average (token-bucket refill rate): a request costs one
    /// token per item, so a batch of 50 costs 50. Default: 500. (`CIVIC_INTAKE_HTTP_RATE`)
    package var requestsPerSecond: Double = 500
    /// Items an API key may submit at once (token-bucket capacity). A batch with more items than this can
    /// never pass, so it is refused with 400 `batch_exceeds_burst`; keep it at least ``maxBatchItems``.
    /// Default: 1000. (`CIVIC_INTAKE_HTTP_BURST`)
    package var burst: Int = 1_000
    /// The bearer token of the admin routes; when `nil` the admin routes do not exist (404). Default: unset.
    /// (`CIVIC_INTAKE_ADMIN_TOKEN`)
    package var adminToken: String?
    /// The HMAC key used to derive the `submitter` of a response that leaves it out from the client address
    /// (the raw address is never stored). Default: unset, meaning a random key per process, so the derived
    /// value links submissions only within one process lifetime. (`CIVIC_INTAKE_SUBMITTER_KEY`)
    package var submitterKey: String?
    /// The proxies whose `X-Forwarded-For` is believed (comma-separated CIDRs or addresses). A response without a
    /// `submitter` is counted for spam rate signals under its respondent's forwarded address only when it came
    /// through one of them; a direct caller is the agency's own back end, whose address says nothing about the
    /// respondent, so such responses are not rate-counted at all. Default: none.
    /// (`CIVIC_INTAKE_TRUSTED_PROXIES`)
    package var trustedProxies: [IPNetwork] = []

    /// How long, in seconds, an API key stays cached before it is read from the database again; a key revoked
    /// through another replica (or directly in the database) stops working within this time (the replica that
    /// revokes it drops it at once). 0 reads the key on every request. Default: 5. (`CIVIC_INTAKE_API_KEY_CACHE_S`)
    package var apiKeyCacheSeconds: Int = 5

    /// The hosted form and its embed (`CIVIC_INTAKE_FORM_*`).
    package var forms = FormConfiguration()

    /// Creates a configuration with the documented defaults.
    package init() {}
}

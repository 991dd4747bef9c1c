import CivicBytes
import CivicPostgres
import Crypto
import Foundation

/// The signed, single-use token a hosted or embedded form carries: which form it was issued for, when, and a
/// random nonce, with an HMAC-SHA256 over them under `CIVIC_INTAKE_FORM_TOKEN_KEY`.
///
/// It reads `v1.<form key id>.<issued, Unix seconds>.<nonce, 32 hex>.<HMAC, 64 hex>`. Intake accepts a
/// response only with a token of its own form, signed with its key, issued at least the minimum fill time
/// and at most the token lifetime ago, and not yet spent on another response (``FormTokenLedger``).
struct FormToken: Sendable, Equatable {
    /// The form key id the token was issued for.
    var formKeyId: String
    /// When it was issued, in whole Unix seconds.
    var issuedAt: Int
    /// 128 random bits, hex: what the ledger records once the token is spent.
    var nonce: String

    /// A fresh token for `formKeyId` issued at `now`.
    init(formKeyId: String, now: Date) {
        self.formKeyId = formKeyId
        self.issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        self.nonce = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
    }

    init(formKeyId: String, issuedAt: Int, nonce: String) {
        self.formKeyId = formKeyId
        self.issuedAt = issuedAt
        self.nonce = nonce
    }

    private var payload: String { "v1.\(formKeyId).\(issuedAt).\(nonce)" }

    /// The token as the form carries it.
    func signed(with key: SymmetricKey) -> String {
        payload + "." + Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: key))
    }

    /// The token `text` if its signature under `key` is right, else `nil`.
    init?(verifying text: some StringProtocol, key: SymmetricKey) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 200, parts.count == 5, parts[0] == "v1", let issued = Int(parts[2]), issued >= 0,
            parts[3].utf8.count == 32, parts[4].utf8.count == 64
        else { return nil }
        let token = FormToken(formKeyId: String(parts[1]), issuedAt: issued, nonce: String(parts[3]))
        let expected = Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(token.payload.utf8), using: key))
        guard ConstantTime.equal(Array(expected.utf8), Array(parts[4].utf8)) else { return nil }
        self = token
    }
}

/// Why a form submission's token is refused, each a machine-readable code of the answer.
enum FormTokenProblem: String, Sendable, Error {
    /// No token, a token that is not signed with the form token key, or one issued for another form.
    case invalid = "form_token_invalid"
    /// Older than the token lifetime (`CIVIC_INTAKE_FORM_TOKEN_LIFETIME_S`): the page is served again with a fresh one.
    case expired = "form_token_expired"
    /// Sent sooner after the form was served than a person can answer it (`CIVIC_INTAKE_FORM_MIN_FILL_S`).
    case tooFast = "form_too_fast"
    /// Already spent on another response.
    case spent = "form_token_spent"
}

/// The form tokens already spent, in `intake.form_tokens`: each nonce with the one event id it was spent on.
/// Sending the same response again (same event id, as the offline queue does) is allowed, so that it reaches
/// intake and is reported as a duplicate; any other response with that token is refused.
struct FormTokenLedger: Sendable {
    let client: PostgresClient

    /// Spends `token` on `eventId`.
    /// - Returns: `false` when the token was spent on another event already.
    func spend(_ token: FormToken, eventId: String, now: Date) async throws -> Bool {
        let rows = try await client.query(
            """
            WITH spent AS (
                INSERT INTO intake.form_tokens (nonce, form_key_id, event_id, spent_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (nonce) DO NOTHING RETURNING event_id
            )
            SELECT event_id FROM spent UNION ALL SELECT event_id FROM intake.form_tokens WHERE nonce = $1
            """,
            [token.nonce, token.formKeyId, eventId, now]
        )
        // The insert's row, or the row an earlier spending left (a CTE's insert is not visible to the same statement).
        guard let row = rows.first else { return false }
        return try row.require("event_id", as: String.self) == eventId
    }
}

import Crypto
import Foundation
import Hummingbird
import Synchronization

/// The sign-in in progress (state, nonce, PKCE verifier, where to return), kept in the browser rather than in
/// the database: `GET /signin` writes no row. It is sealed with ChaChaPoly (encrypted and authenticated, so the
/// browser can neither read nor change it) under a key every replica shares
/// (`CIVIC_REPORTING_SIGNIN_COOKIE_KEY`; without one, a key drawn at start, which only this process knows: a
/// sign-in must then finish on the replica that started it), carries its expiry, and is used once: the
/// callback refuses a state it has already seen (remembered in this process until the cookie expires; another
/// replica's issuer exchange refuses the code itself, which the issuer redeems once).
package struct PendingSignInCookie: Sendable {
    /// The cookie's name.
    static let name = "civic_signin"
    /// How long a started sign-in may take (the cookie's Max-Age and the sealed expiry).
    static let lifetime: Duration = .seconds(600)
    /// The most states remembered as used at once (``UsedStates``).
    static let usedCapacity = 50_000
    /// What the seal authenticates besides the cookie's contents (its purpose and version).
    private static let purpose = Data("civic reporting pending sign-in v1".utf8)

    private let key: SymmetricKey
    /// Whether the cookie is `Secure`.
    let secure: Bool
    /// Used states (their SHA-256) and when each pending sign-in expires.
    private let used: UsedStates

    /// - Parameters:
    ///   - key: 32 bytes (`CIVIC_REPORTING_SIGNIN_COOKIE_KEY`); `nil`: a fresh random key for this process.
    ///   - secure: Whether the cookie is `Secure` (`CIVIC_REPORTING_COOKIE_SECURE`).
    package init(key: [UInt8]?, secure: Bool) {
        self.key = key.map { SymmetricKey(data: $0) } ?? SymmetricKey(size: .bits256)
        self.secure = secure
        used = UsedStates()
    }

    /// What the cookie holds.
    private struct Sealed: Codable {
        var pending: StaffSession.PendingSignIn
        /// Unix seconds.
        var expiresAt: Double
    }

    /// The `Set-Cookie` for `pending`, expiring ``lifetime`` from `now`, sent only to the callback.
    func cookie(for pending: StaffSession.PendingSignIn, now: Date = Date()) throws -> Cookie {
        let sealed = Sealed(pending: pending, expiresAt: now.timeIntervalSince1970 + Double(Self.lifetime.components.seconds))
        let box = try ChaChaPoly.seal(try JSONEncoder().encode(sealed), using: key, authenticating: Self.purpose)
        return Cookie(
            name: Self.name,
            value: Self.base64URL(box.combined),
            maxAge: Int(Self.lifetime.components.seconds),
            path: "/auth/callback",
            secure: secure,
            httpOnly: true,
            sameSite: .lax
        )
    }

    /// The pending sign-in of `request`'s cookie, used up by this call (``take(cookie:now:)``).
    func take(from request: Request) -> StaffSession.PendingSignIn? {
        take(cookie: request.cookies[Self.name]?.value)
    }

    /// The pending sign-in sealed in `cookie`, used up by this call: `nil` when there is none, it was not
    /// sealed with this key, it has expired, or its state was already used.
    func take(cookie value: String?, now: Date = Date()) -> StaffSession.PendingSignIn? {
        guard let value, let combined = Self.data(base64URL: value),
            let box = try? ChaChaPoly.SealedBox(combined: combined),
            let plain = try? ChaChaPoly.open(box, using: key, authenticating: Self.purpose),
            let sealed = try? JSONDecoder().decode(Sealed.self, from: plain),
            sealed.expiresAt > now.timeIntervalSince1970
        else { return nil }
        let digest = Data(SHA256.hash(data: Data(sealed.pending.state.utf8)))
        return used.use(digest, until: sealed.expiresAt, now: now.timeIntervalSince1970) ? sealed.pending : nil
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }

    private static func data(base64URL text: String) -> Data? {
        guard text.utf8.count <= 4_096 else { return nil }
        var base64 = text.replacing("-", with: "+").replacing("_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// The states of callbacks already taken, each until its sign-in would have expired. At most
/// ``PendingSignInCookie/usedCapacity``: past it the expired go first, then the soonest to expire (whose replay
/// the issuer still refuses if its code was redeemed), so a flood of callbacks can never lock sign-in out.
private final class UsedStates: Sendable {
    private let states = Mutex<[Data: Double]>([:])

    /// Records `digest` as used until `expiry`; false when it already was.
    func use(_ digest: Data, until expiry: Double, now: Double) -> Bool {
        states.withLock { states in
            if states[digest] != nil { return false }
            if states.count >= PendingSignInCookie.usedCapacity { states = states.filter { $0.value > now } }
            if states.count >= PendingSignInCookie.usedCapacity, let soonest = states.min(by: { $0.value < $1.value })?.key {
                states[soonest] = nil
            }
            states[digest] = expiry
            return true
        }
    }
}

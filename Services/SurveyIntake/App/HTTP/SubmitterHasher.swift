import CivicBytes
import CivicModels
import Crypto
import Foundation

/// Derives the `submitter` of an HTTP submission that leaves it out: a keyed hash (HMAC-SHA256) of the client
/// address, so bursts from one address can be recognised without storing the address.
struct SubmitterHasher: Sendable {
    private let key: SymmetricKey

    /// Uses `secret` as the HMAC key, or a random per-process key when it is `nil`.
    init(secret: String?) {
        key = secret.map { SymmetricKey(data: Array($0.utf8)) } ?? SymmetricKey(size: .bits256)
    }

    /// `addr-` followed by the first 16 bytes of HMAC-SHA256(key, address), hex-encoded.
    func submitter(forAddress address: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(address.utf8), using: key)
        return "addr-" + Hex.encode(code.prefix(16))
    }
}

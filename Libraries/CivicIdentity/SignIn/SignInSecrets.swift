import CivicBytes

/// Random values for the sign-in secrets (`state`, `nonce`, PKCE verifier, `jti`).
enum SignInSecrets {
    /// `byteCount` bytes from the system's cryptographically secure generator, base64url without padding.
    static func randomToken(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for _ in 0..<byteCount {
            bytes.append(UInt8.random(in: .min ... .max, using: &generator))
        }
        return Base64URL.encode(bytes)
    }
}

/// Percent-encoding for query strings and `application/x-www-form-urlencoded` bodies.
enum FormEncoding {
    /// `value` with every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) percent-encoded,
    /// which both a URL query and a form body decode back exactly.
    static func percentEncode(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if isUnreserved(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + Hex.encode(CollectionOfOne(byte), uppercase: true)
            }
        }
        return output
    }

    /// `name=value` pairs, each percent-encoded, joined with `&`, in the order given.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
    }

    /// Whether `byte` is in RFC 3986's unreserved set.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}

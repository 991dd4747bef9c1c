import Foundation

/// A JWS in compact serialisation, split and decoded but not yet verified.
struct CompactJWS {
    /// The whole token's bytes.
    let token: [UInt8]
    /// The decoded protected header.
    let header: JOSEHeader
    /// The still-encoded payload (decoded only after the algorithm checks pass).
    let encodedPayload: ArraySlice<UInt8>
    /// The still-encoded signature.
    let encodedSignature: ArraySlice<UInt8>
    /// `BASE64URL(header) '.' BASE64URL(payload)`: what the signature covers.
    let signingInput: ArraySlice<UInt8>

    /// Splits `token` into its three segments and decodes the header.
    /// - Returns: the parsed token, or the reason it is malformed.
    static func parse(_ token: [UInt8]) -> ParseOutcome {
        var dots: [Int] = []
        for index in token.indices where token[index] == UInt8(ascii: ".") {
            dots.append(index)
            if dots.count > 2 { break }
        }
        guard dots.count == 2 else {
            return .refused(malformed("expected 3 dot-separated segments (JWS compact serialisation)"))
        }
        let headerPart = token[0..<dots[0]]
        let payloadPart = token[(dots[0] + 1)..<dots[1]]
        let signaturePart = token[(dots[1] + 1)...]
        guard !headerPart.isEmpty, !payloadPart.isEmpty else {
            return .refused(malformed("empty header or payload segment"))
        }
        guard let headerBytes = Base64URL.decode(headerPart) else {
            return .refused(malformed("header is not base64url"))
        }
        let header: JOSEHeader
        do {
            header = try JSONDecoder().decode(JOSEHeader.self, from: Data(headerBytes))
        } catch {
            return .refused(malformed("header is not a JSON object with a string alg"))
        }
        return .parsed(
            CompactJWS(
                token: token,
                header: header,
                encodedPayload: payloadPart,
                encodedSignature: signaturePart,
                signingInput: token[0..<dots[1]]
            )
        )
    }

    /// The result of ``parse(_:)``.
    enum ParseOutcome {
        case parsed(CompactJWS)
        case refused(IdentityRefusal)
    }

    static func malformed(_ reason: String) -> IdentityRefusal {
        IdentityRefusal(code: .malformed, reason: reason)
    }
}

/// The JOSE header fields the verifier reads.
struct JOSEHeader: Decodable {
    var alg: String
    var kid: String?
    var hasCriticalParameters: Bool

    private enum CodingKeys: String, CodingKey {
        case alg, kid, crit
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.alg = try container.decode(String.self, forKey: .alg)
        self.kid = try container.decodeIfPresent(String.self, forKey: .kid)
        self.hasCriticalParameters = container.contains(.crit)
    }
}

/// The id_token claims the verifier reads. Other claims are ignored.
struct IDTokenClaims: Decodable {
    var iss: String?
    var sub: String?
    var aud: [String]?
    var azp: String?
    var exp: Double?
    var nbf: Double?
    var iat: Double?
    var acr: String?
    var jti: String?
    var nonce: String?
    var email: String?

    private enum CodingKeys: String, CodingKey {
        case iss, sub, aud, azp, exp, nbf, iat, acr, jti, nonce, email
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.iss = try container.decodeIfPresent(String.self, forKey: .iss)
        self.sub = try container.decodeIfPresent(String.self, forKey: .sub)
        if let single = try? container.decodeIfPresent(String.self, forKey: .aud) {
            self.aud = [single]
        } else {
            self.aud = try container.decodeIfPresent([String].self, forKey: .aud)
        }
        self.azp = try container.decodeIfPresent(String.self, forKey: .azp)
        self.exp = try container.decodeIfPresent(Double.self, forKey: .exp)
        self.nbf = try container.decodeIfPresent(Double.self, forKey: .nbf)
        self.iat = try container.decodeIfPresent(Double.self, forKey: .iat)
        self.acr = try container.decodeIfPresent(String.self, forKey: .acr)
        self.jti = try container.decodeIfPresent(String.self, forKey: .jti)
        // Read only by staff sign-in, which refuses an absent nonce: a wrongly typed value reads as
        // absent, so respondent tokens are judged exactly as before these were read.
        self.nonce = (try? container.decodeIfPresent(String.self, forKey: .nonce)) ?? nil
        self.email = (try? container.decodeIfPresent(String.self, forKey: .email)) ?? nil
    }
}

import CivicBytes
import CivicRuntime
import Hummingbird

/// The check every admin route makes: the `CIVIC_INTAKE_ADMIN_TOKEN` bearer token, both sides hashed
/// first and then compared in constant time, so the comparison takes the same time whatever the
/// presented token's length or content.
struct AdminAuthorization: Sendable {
    private let tokenDigest: [UInt8]

    /// Checks requests against `adminToken`.
    init(adminToken: String) {
        tokenDigest = BearerSecret.digest(adminToken)
    }

    /// - Throws: ``APIError`` 401 when the request does not carry the admin token.
    func check(_ request: Request) throws(APIError) {
        let presented = request.bearerToken.map { BearerSecret.digest(String($0)) } ?? []
        guard ConstantTime.equal(presented, tokenDigest) else {
            throw .unauthorized("send the administration token as 'Authorization: Bearer <token>'")
        }
    }
}

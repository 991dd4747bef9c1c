import Hummingbird

extension Request {
    /// The token of an `Authorization: Bearer <token>` header, if there is one.
    package var bearerToken: Substring? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].drop(while: { $0 == " " })
    }
}

import Foundation

/// The `returnTo` of a sign-in: where the browser goes once signed in. Only a path on this service is
/// kept (it must start with one `/`); anything else, another origin or a scheme-relative `//host`, becomes
/// `/dashboard`, so sign-in can never be used to redirect elsewhere.
enum SignInPath {
    /// Where to go after signing in by default.
    static let defaultReturn = "/dashboard"

    /// `returnTo` if it is a local path, else ``defaultReturn``.
    static func sanitized(_ returnTo: String?) -> String {
        guard let returnTo, returnTo.hasPrefix("/"), !returnTo.hasPrefix("//"), !returnTo.hasPrefix("/\\"),
            returnTo.utf8.count <= 2048,
            returnTo.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7f })
        else { return defaultReturn }
        return returnTo
    }

    /// `path` percent-encoded as one query parameter value.
    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", ".", "~", "/"])) ?? defaultReturn
    }
}

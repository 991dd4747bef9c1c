/// A comment identifier as it appeared in the input: a JSON string or a JSON number.
///
/// Numbers keep their exact source text (`42`, `1.50`, `1e3`) so they are echoed unchanged.
public enum CommentID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A string identifier.
    case string(String)
    /// A numeric identifier, holding the JSON number text exactly as given.
    case number(String)

    /// Creates a numeric identifier from an integer.
    public static func integer(_ value: Int) -> CommentID {
        .number(String(value))
    }

    public var description: String {
        switch self {
        case .string(let value): value
        case .number(let text): text
        }
    }

    /// The identifier as JSON text.
    public var jsonText: String {
        switch self {
        case .string(let value): JSONText.quoted(value)
        case .number(let text): text
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .number(String(value))
        } else {
            self = .number(String(try container.decode(Double.self)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value):
            try container.encode(value)
        case .number(let text):
            if let integer = Int64(text) {
                try container.encode(integer)
            } else if let double = Double(text) {
                try container.encode(double)
            } else {
                try container.encode(text)
            }
        }
    }
}

/// One SQL statement and its parameters (`$1`, `$2`, ...), ready to send: what
/// ``PostgresConnection/pipeline(_:)`` takes.
package struct PostgresStatement: Sendable {
    /// The SQL text.
    package let sql: String
    /// The parameters in PostgreSQL's text input format (`nil` for SQL NULL).
    package let parameters: [String?]

    /// Prepares a statement. Values are sent separately from the SQL text.
    /// - Throws: ``PostgresError`` `.query` (SQLSTATE `22021`) if a parameter contains a NUL byte.
    package init(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws(PostgresError) {
        let texts = parameters.map { $0?.postgresText }
        // libpq takes C strings: a NUL would silently cut the value short, and PostgreSQL text cannot
        // hold one anyway, so refuse rather than store something else than what was given.
        if let index = texts.firstIndex(where: { $0?.utf8.contains(0) == true }) {
            // The SQLSTATE the server gives text it cannot store (character_not_in_repertoire), so callers
            // class it as the data's fault like any other value the database refuses.
            throw PostgresError(
                code: .query,
                reason: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store",
                sqlState: "22021"
            )
        }
        self.sql = sql
        self.parameters = texts
    }

    private init(sql: String) {
        self.sql = sql
        self.parameters = []
    }

    static let begin = PostgresStatement(sql: "BEGIN")
}

/// The result of a query: column names and rows of text values (`nil` for SQL NULL).
package struct PostgresRows: Sendable {
    /// Column names, in order.
    package let columns: [String]
    /// Rows of values in PostgreSQL's text output format.
    package let values: [[String?]]
    /// The number of rows a command affected (INSERT/UPDATE/DELETE), when the server reports it.
    package let affectedRows: Int

    /// The number of rows.
    package var count: Int { values.count }
    /// Whether there are no rows.
    package var isEmpty: Bool { values.isEmpty }

    /// Rows as ``PostgresRow`` values.
    package var rows: [PostgresRow] {
        values.map { PostgresRow(columns: columns, values: $0) }
    }

    /// The row at `index` (`0..<count`).
    package func row(_ index: Int) -> PostgresRow {
        PostgresRow(columns: columns, values: values[index])
    }

    /// The first row, if any.
    package var first: PostgresRow? {
        values.first.map { PostgresRow(columns: columns, values: $0) }
    }
}

/// One result row.
package struct PostgresRow: Sendable {
    /// Column names, in order.
    package let columns: [String]
    /// Values in text format (`nil` for SQL NULL).
    package let values: [String?]

    /// Decodes the named column. Returns `nil` for SQL NULL.
    /// - Throws: ``PostgresError`` `.decoding` if the column does not exist or its value is not a `T`.
    package func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresError(code: .decoding, reason: "no column named \(column) in \(columns)")
        }
        guard let text = values[index] else { return nil }
        guard let value = T(postgresText: text) else {
            throw PostgresError(code: .decoding, reason: "column \(column): '\(text)' is not a \(T.self)")
        }
        return value
    }

    /// Decodes a column that must not be NULL.
    /// - Throws: ``PostgresError`` `.decoding` if it is NULL, missing, or not a `T`.
    package func require<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let value = try decode(column, as: T.self) else {
            throw PostgresError(code: .decoding, reason: "column \(column) is NULL")
        }
        return value
    }
}

/// Writes rows in COPY's text format for ``PostgresConnection/copy(into:columns:_:)``, handing each
/// ``chunkSize`` bytes on as they fill.
package struct PostgresCopyWriter {
    /// How many bytes are sent at once: 64 KiB, what PostgreSQL itself buffers before storing a batch of rows.
    package static let chunkSize = 64 * 1024

    private let columnCount: Int
    private let send: ([UInt8]) -> Void
    private var buffer: [UInt8] = []
    /// Rows appended so far.
    package private(set) var rowCount = 0

    init(columnCount: Int, send: @escaping ([UInt8]) -> Void) {
        self.columnCount = columnCount
        self.send = send
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    /// Appends one row: its values in column order, each escaped for COPY's text format (`nil` is NULL).
    /// - Throws: ``PostgresError`` `.query` when the row does not have one value per column.
    package mutating func append(_ row: [(any PostgresEncodable)?]) throws(PostgresError) {
        guard row.count == columnCount else {
            throw PostgresError(code: .query, reason: "row \(rowCount) has \(row.count) values for \(columnCount) columns")
        }
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let value else {
                buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
                continue
            }
            PostgresText.append(value.postgresText, to: &buffer) { byte in
                switch byte {
                case UInt8(ascii: "\\"): UInt8(ascii: "\\")
                case UInt8(ascii: "\t"): UInt8(ascii: "t")
                case UInt8(ascii: "\n"): UInt8(ascii: "n")
                case UInt8(ascii: "\r"): UInt8(ascii: "r")
                default: nil
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        rowCount += 1
        if buffer.count >= Self.chunkSize { flush() }
    }

    /// Sends what is buffered.
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        send(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

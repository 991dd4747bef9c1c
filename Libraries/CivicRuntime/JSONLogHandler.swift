import CivicJSON
import CivicModels
import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line to standard error:
/// `{"ts":"…","level":"info","service":"survey-intake","label":"…","msg":"…", <metadata>}`.
package struct JSONLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    private let label: String
    private let service: String

    /// Creates a handler.
    package init(label: String, service: String, level: Logger.Level) {
        self.label = label
        self.service = service
        self.logLevel = level
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var line = "{\"ts\":\(Self.quote(Timestamp.now()))"
        line += ",\"level\":\(Self.quote(event.level.rawValue))"
        line += ",\"service\":\(Self.quote(service))"
        line += ",\"label\":\(Self.quote(label))"
        line += ",\"msg\":\(Self.quote(event.message.description))"
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        for key in merged.keys.sorted() where !["ts", "level", "service", "label", "msg"].contains(key) {
            if let value = merged[key] { line += ",\(Self.quote(key)):\(Self.render(value))" }
        }
        line += ",\"source\":\(Self.quote("\(event.source)"))}\n"
        JSONLogOutput.write(line)
    }

    private static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): quote(text)
        case .stringConvertible(let value): quote(value.description)
        case .array(let values): "[" + values.map(render).joined(separator: ",") + "]"
        case .dictionary(let values):
            "{"
                + values.keys.sorted().compactMap { key in values[key].map { "\(quote(key)):\(render($0))" } }
                .joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String { JSONString.quoted(text) }
}

/// Serialises writes to standard error so lines from different threads never interleave.
enum JSONLogOutput {
    private static let lock = Mutex(())

    static func write(_ line: String) {
        lock.withLock { _ in
            var line = line
            line.withUTF8 { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }
}

extension Timestamp {
    /// The current time in RFC 3339.
    static func now() -> String { format(Date()) }
}

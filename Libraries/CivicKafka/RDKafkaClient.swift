import Crdkafka
import Foundation
import Logging
import Synchronization

/// Owns one librdkafka handle (`rd_kafka_t`) and frees it in `deinit`.
///
/// librdkafka handles are thread-safe, which is why this class may be `@unchecked Sendable`: it only
/// stores the handle and calls functions that librdkafka documents as safe from any thread.
final class RDKafkaClient: @unchecked Sendable {
    let handle: OpaquePointer
    private let logSink: Unmanaged<RDKafkaLogSink>

    private init(handle: OpaquePointer, logSink: Unmanaged<RDKafkaLogSink>) {
        self.handle = handle
        self.logSink = logSink
    }

    /// Creates a producer or consumer handle from string properties; the half-built config is freed on failure.
    /// With `recordsBrokerErrors`, librdkafka's error callback keeps the last connection error (a failed TLS
    /// handshake, a refused SASL login), which ``lastBrokerError`` returns; a client that delivers errors as
    /// events or consumer messages leaves it off.
    static func make(
        type: rd_kafka_type_t,
        properties: [String: String],
        events: Int32 = 0,
        recordsBrokerErrors: Bool = false,
        logger: Logger
    ) throws(KafkaError) -> RDKafkaClient {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .clientCreation, reason: "rd_kafka_conf_new returned NULL")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                // A secret never appears in an error (which is logged), even when librdkafka refuses it.
                let isSecret = KafkaSecurityConfiguration.sensitiveProperties.contains(key) && !value.isEmpty
                let message = Self.string(errstr)
                throw KafkaError(
                    code: .configuration,
                    reason: isSecret
                        ? "\(key)=[REDACTED]: \(message.replacingOccurrences(of: value, with: "[REDACTED]"))"
                        : "\(key)=\(value): \(message)"
                )
            }
        }
        if events != 0 {
            rd_kafka_conf_set_events(conf, events)
        }
        let sink = Unmanaged.passRetained(RDKafkaLogSink(logger: logger))
        rd_kafka_conf_set_opaque(conf, sink.toOpaque())
        rd_kafka_conf_set_log_cb(conf, rdkafkaLogCallback)
        if recordsBrokerErrors {
            rd_kafka_conf_set_error_cb(conf, rdkafkaErrorCallback)
        }
        // On success rd_kafka_new takes ownership of conf; on failure it is still ours.
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            sink.release()
            throw KafkaError(code: .clientCreation, reason: Self.string(errstr))
        }
        return RDKafkaClient(handle: handle, logSink: sink)
    }

    deinit {
        rd_kafka_destroy(handle)
        logSink.release()
    }

    /// The last error librdkafka reported about a broker connection, if any (only with `recordsBrokerErrors`).
    /// Serves the queued callbacks first (`rd_kafka_poll`): librdkafka calls the error callback only from there.
    var lastBrokerError: KafkaBrokerError? {
        rd_kafka_poll(handle, 0)
        return logSink.takeUnretainedValue().lastError
    }

    /// Forgets the errors reported so far, so ``lastBrokerError`` describes only what happens next.
    func forgetBrokerErrors() {
        rd_kafka_poll(handle, 0)
        logSink.takeUnretainedValue().forgetError()
    }

    /// The fatal error of an idempotent producer, if one was raised.
    func fatalError() -> KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(
            code: .delivery,
            reason: "fatal: \(Self.string(errstr))",
            librdkafkaCode: err.rawValue,
            isFatal: true
        )
    }

    static func string(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// Receives librdkafka's log lines and re-emits them through swift-log; keeps the last error its error callback
/// reported.
final class RDKafkaLogSink: Sendable {
    let logger: Logger
    private let recordedError = Mutex<KafkaBrokerError?>(nil)
    init(logger: Logger) { self.logger = logger }

    var lastError: KafkaBrokerError? { recordedError.withLock { $0 } }

    func record(code: Int32, reason: String) {
        recordedError.withLock { $0 = KafkaBrokerError(librdkafkaCode: code, reason: reason) }
    }

    func forgetError() {
        recordedError.withLock { $0 = nil }
    }

    func log(level: Int32, facility: String, message: String) {
        // syslog levels: 0-3 error, 4 warning, 5-6 info/notice, 7 debug.
        let swiftLevel: Logger.Level =
            switch level {
            case ...3: .error
            case 4: .warning
            case 5...6: .info
            default: .debug
            }
        logger.log(level: swiftLevel, "\(message)", metadata: [KafkaLoggingKeys.facility: "\(facility)"])
    }
}

private let rdkafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle,
    level,
    facility,
    message in
    guard let handle, let opaque = rd_kafka_opaque(handle) else { return }
    let sink = Unmanaged<RDKafkaLogSink>.fromOpaque(opaque).takeUnretainedValue()
    sink.log(
        level: level,
        facility: facility.map { String(cString: $0) } ?? "",
        message: message.map { String(cString: $0) } ?? ""
    )
}

private let rdkafkaErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    _,
    code,
    reason,
    opaque in
    guard let opaque else { return }
    let sink = Unmanaged<RDKafkaLogSink>.fromOpaque(opaque).takeUnretainedValue()
    sink.record(code: code, reason: reason.map { String(cString: $0) } ?? "")
}

/// Logger metadata keys used by the Kafka shim.
package enum KafkaLoggingKeys {
    /// The librdkafka log facility.
    package static let facility = "kafka.facility"
    /// A topic name.
    package static let topic = "kafka.topic"
    /// A consumer group id.
    package static let group = "kafka.group"
}

/// The librdkafka library the process actually runs with (which may differ from the headers it was built with).
package enum KafkaLibrary {
    /// The runtime librdkafka version string, for example `2.16.0`.
    package static var version: String { String(cString: rd_kafka_version_str()) }

    /// The runtime version as a hex number `0xMMmmrrxx`.
    package static var versionNumber: Int32 { rd_kafka_version() }

    /// Whether the runtime library is recent enough to talk to every supported broker (2.1 or later;
    /// Debian bookworm's 2.0.2 cannot talk to Tansu).
    package static var isRecentEnough: Bool { versionNumber >= 0x0201_0000 }
}

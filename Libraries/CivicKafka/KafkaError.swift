import Crdkafka

/// An error raised by the Kafka shim.
///
/// One public error type for the library (swift-kafka-client / postgres-nio style): a ``Code`` that is
/// a struct wrapping a private enum, a human reason, the librdkafka error code if any, and whether
/// retrying the same operation can succeed.
package struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case configuration
            case clientCreation
            case produce
            case delivery
            case consume
            case commit
            case admin
            case closed
            case timedOut
            case connection
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A configuration property was rejected by librdkafka.
        package static let configuration = Code(.configuration)
        /// librdkafka could not create the client handle.
        package static let clientCreation = Code(.clientCreation)
        /// A message could not be enqueued for sending.
        package static let produce = Code(.produce)
        /// The broker did not acknowledge a message (its delivery report carried an error).
        package static let delivery = Code(.delivery)
        /// The consumer reported an error while polling.
        package static let consume = Code(.consume)
        /// Committing offsets failed.
        package static let commit = Code(.commit)
        /// An admin request (such as creating topics) failed.
        package static let admin = Code(.admin)
        /// The client was already shut down.
        package static let closed = Code(.closed)
        /// An operation did not finish within its deadline.
        package static let timedOut = Code(.timedOut)
        /// No broker accepted the connection: TLS handshake, certificate or SASL login refused, or no broker
        /// reachable (``KafkaError/brokerError`` says which).
        package static let connection = Code(.connection)

        package var description: String {
            switch base {
            case .configuration: "configuration"
            case .clientCreation: "clientCreation"
            case .produce: "produce"
            case .delivery: "delivery"
            case .consume: "consume"
            case .commit: "commit"
            case .admin: "admin"
            case .closed: "closed"
            case .timedOut: "timedOut"
            case .connection: "connection"
            }
        }
    }

    /// What went wrong.
    package var code: Code
    /// A human-readable explanation, including librdkafka's own message where there is one.
    package var reason: String
    /// librdkafka's numeric error code (`rd_kafka_resp_err_t`), when the failure came from librdkafka.
    package var librdkafkaCode: Int32?
    /// librdkafka's symbolic error name (for example `_MSG_TIMED_OUT`), when known.
    package var librdkafkaName: String?
    /// Whether the same operation may succeed if tried again (transient broker or network trouble).
    package var isRetriable: Bool
    /// Whether the client is unusable and must be recreated (for example an idempotent producer fatal error).
    package var isFatal: Bool
    /// The last error librdkafka reported about the broker connection when the operation failed (why it
    /// could not reach or log in to a broker), for admin operations.
    package var brokerError: KafkaBrokerError?

    package var description: String {
        var text = "KafkaError(\(code)): \(reason)"
        if let librdkafkaName { text += " [\(librdkafkaName)]" }
        if let brokerError { text += "; last broker error: \(brokerError)" }
        return text
    }

    init(code: Code, reason: String, librdkafkaCode: Int32? = nil, isRetriable: Bool = false, isFatal: Bool = false) {
        self.code = code
        self.reason = reason
        self.librdkafkaCode = librdkafkaCode
        self.librdkafkaName = librdkafkaCode.map { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: $0))) }
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    static func rdkafka(_ code: Code, _ err: rd_kafka_resp_err_t, context: String) -> KafkaError {
        let message = String(cString: rd_kafka_err2str(err))
        return KafkaError(
            code: code,
            reason: "\(context): \(message)",
            librdkafkaCode: err.rawValue,
            isRetriable: Self.retriable.contains(err.rawValue),
            // After a fatal error (for example an idempotent producer's sequence gap) the client is unusable.
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL
        )
    }

    /// Whether the client or the broker refused a message for its content (too large, invalid), so sending
    /// it again fails the same way.
    package var isRefusedMessage: Bool {
        guard code == .produce || code == .delivery, let librdkafkaCode else { return false }
        return Self.refusedMessage.contains(librdkafkaCode)
    }

    private static let refusedMessage: Set<Int32> = [
        RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue,
        RD_KAFKA_RESP_ERR_INVALID_MSG.rawValue,
        RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE.rawValue,
        RD_KAFKA_RESP_ERR_INVALID_RECORD.rawValue,
        RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE.rawValue,
    ]

    /// librdkafka codes that describe transient conditions.
    private static let retriable: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT.rawValue,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue,
        RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue,
        RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS.rawValue,
        RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION.rawValue,
        RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID.rawValue,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR.rawValue,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS.rawValue,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION.rawValue,
        RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS.rawValue,
        RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS.rawValue,
        RD_KAFKA_RESP_ERR__STATE.rawValue,
    ]
}

/// An error librdkafka reported about a broker connection (through its error callback), such as a failed TLS
/// handshake or a refused SASL login.
package struct KafkaBrokerError: Sendable, Hashable, CustomStringConvertible {
    /// librdkafka's numeric error code (`rd_kafka_resp_err_t`).
    package var librdkafkaCode: Int32
    /// librdkafka's explanation, naming the broker.
    package var reason: String

    /// Creates an error value.
    package init(librdkafkaCode: Int32, reason: String) {
        self.librdkafkaCode = librdkafkaCode
        self.reason = reason
    }

    /// librdkafka's symbolic name, for example `_SSL` or `_AUTHENTICATION`.
    package var name: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: librdkafkaCode))) }
    /// The TLS handshake failed: the broker's certificate was not trusted or did not name the host (`_SSL`).
    package var isTLSFailure: Bool { librdkafkaCode == RD_KAFKA_RESP_ERR__SSL.rawValue }
    /// The broker refused the SASL login (`_AUTHENTICATION`).
    package var isAuthenticationFailure: Bool { librdkafkaCode == RD_KAFKA_RESP_ERR__AUTHENTICATION.rawValue }

    package var description: String { "\(name): \(reason)" }
}

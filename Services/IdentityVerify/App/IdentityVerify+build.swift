import CivicIdentity
import CivicModels
import CivicRuntime
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// Assembles identity-verify: checks its configuration (failing fast), prepares topics and its schema,
/// loads the issuers' keys, then returns its components in dependency order: the feedback stage and the
/// request/reply stage share one verifier and one producer.
package func buildIdentityVerify(
    configuration: IdentityVerifyConfiguration,
    registry: PrometheusCollectorRegistry?,
    logger: Logger
) async throws -> [any Service] {
    let verifier = try IdentityVerifier(
        configuration: try configuration.issuers.verifierConfiguration(),
        pseudonymizer: Pseudonymizer(keyRing: try configuration.keyRing()),
        logger: logger
    )
    let stage = try await PipelineStage.prepare(configuration: configuration.runtime, migrations: VerificationStore.migrations, logger: logger)
    do {
        try await verifier.loadKeys()
    } catch {
        // An issuer whose JWKS is unreachable now is retried on use; its tokens are refused meanwhile.
        logger.warning("could not load every issuer's keys at start-up", metadata: ["error": "\(error)"])
    }
    // A ledger row outlives its token's exp by the backlog of the two token-carrying topics and the skew.
    let ledgerMargin = TimeInterval(2 * configuration.runtime.kafkaTokenTopicRetentionHours * 3600 + (configuration.issuers.clockSkewSeconds ?? 60))
    let store = VerificationStore(client: stage.postgres, ledgerMargin: ledgerMargin)
    let feedback = try stage.processor(
        name: "identity",
        topics: [CivicTopic.accepted],
        handler: VerificationHandler(
            verifier: verifier,
            redactor: PIIRedactor(),
            store: store,
            logger: logger
        )
    )
    let requests = try stage.processor(
        name: "identity-requests",
        topics: [CivicTopic.identityRequests],
        group: "\(configuration.runtime.serviceName)-requests",
        handler: IdentityRequestHandler(
            verifier: verifier,
            store: store,
            replyDeadline: configuration.replyDeadline,
            logger: logger
        )
    )
    let erasure = try stage.erasureProcessor(erased: VerificationStore.erased, tables: VerificationStore.erasedTables)
    return stage.services([feedback, requests, erasure, stage.retention(VerificationStore.retention)], registry: registry)
}

/// Applies identity-verify's retention schedule (`CIVIC_RETENTION_*`) once, for `identity-verify purge`; the running service
/// does it at start-up and on the configured interval.
package func purgeIdentityVerify(configuration: IdentityVerifyConfiguration, logger: Logger) async throws -> RetentionPurge.Summary {
    try await VerificationStore.retention.runOnce(configuration: configuration.runtime, migrations: VerificationStore.migrations, logger: logger)
}

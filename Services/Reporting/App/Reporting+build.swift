import CivicContracts
import CivicInsights
import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import Prometheus
import ReportingCore
import ReportingWeb
import ServiceLifecycle

/// Assembles reporting: prepares topics and its schema, then returns its components in dependency order
/// (producer for rejections, stream processor, HTTP endpoint with the report API). `insightAnalyses`: the places for
/// themes and key-driver analyses, when the caller keeps them (a test fills them); otherwise
/// `CIVIC_REPORTING_INSIGHT_ANALYSES` of them.
package func buildReporting(
    configuration: ReportingConfiguration,
    registry: PrometheusCollectorRegistry?,
    logger: Logger,
    insightAnalyses: ConcurrencyLimit? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> [any Service] {
    let stage = try await PipelineStage.prepare(configuration: configuration.runtime, migrations: ReportingStore.migrations, logger: logger)
    if let summary = try await ReportingStore(client: stage.postgres).rebuildIfAggregatesMissing() {
        logger.notice("stored events had no aggregates; rebuilt them", metadata: ["civic.rebuild": "\(summary)"])
    }
    let rules = try configuration.followUpRulesFile.map { try FollowUpRules(contentsOf: URL(fileURLWithPath: $0)) } ?? FollowUpRules()
    let unkeyed = rules.caseSystemKeys.filter(\.value.isEmpty).keys.sorted()
    if !unkeyed.isEmpty {
        logger.error(
            "agencies with follow-up rules but no case system key: every case update for them will be refused",
            metadata: ["civic.agencies": "\(unkeyed.joined(separator: ","))"]
        )
    }
    let processor = try stage.processor(
        name: "reporting",
        topics: [CivicTopic.scored, CivicTopic.operations, CivicTopic.caseUpdates],
        handler: ReportingHandler(
            store: ReportingStore(client: stage.postgres),
            fiscalYearStartMonth: configuration.fiscalYearStartMonth,
            rules: rules,
            logger: logger
        )
    )
    let query = ReportQuery(client: stage.postgres, minimumCellSize: configuration.minimumCellSize)
    let insights = InsightsQuery(
        client: stage.postgres,
        minimumCellSize: configuration.minimumCellSize,
        driverSettings: configuration.driverSettings,
        versions: configuration.reportCacheBytes > 0 ? CellVersions(client: stage.postgres) : nil
    )
    let analyses = insightAnalyses ?? ConcurrencyLimit(limit: configuration.insightAnalyses)
    let contracts = try ContractRoutes<ReportingRequestContext>(openAPI: ReportingAPI.openAPI)
    let stageOrder = try configuration.journeyStagesFile.map { try JourneyStageOrder(contentsOf: URL(fileURLWithPath: $0)) }
    let levelsAndExports = try LevelsAndExportsRoutes(
        client: stage.postgres,
        minimumCellSize: configuration.minimumCellSize,
        fiscalYearStartMonth: configuration.fiscalYearStartMonth,
        trendQuarters: configuration.trendQuarters,
        stageOrder: stageOrder ?? JourneyStageOrder(),
        packageLimits: configuration.packageLimits,
        driverSettings: configuration.driverSettings,
        insightAnalyses: analyses
    )
    let dashboard = try DashboardRoute(
        reports: KeptReports(query: query, versions: CellVersions(client: stage.postgres), capacity: configuration.reportCacheBytes / 4),
        journeys: levelsAndExports.journeys,
        insights: insights,
        insightAnalyses: analyses,
        minimumCellSize: configuration.minimumCellSize,
        signInEnabled: configuration.signIn != nil
    )
    let access = AccessStore(client: stage.postgres)
    if let issuer = configuration.signIn?.issuer {
        let adopted = try await access.adoptUnassignedIssuer(issuer)
        if adopted > 0 {
            logger.notice("staff users recorded without an issuer now belong to the sign-in issuer", metadata: ["civic.users": "\(adopted)"])
        }
    }
    var groups: [any RouteGroup<ReportingRequestContext>] = [
        dashboard,
        ReportRoutes(query: query, versions: CellVersions(client: stage.postgres), cacheCapacity: configuration.reportCacheBytes),
        levelsAndExports,
        InsightRoutes(
            query: insights,
            audit: levelsAndExports.audit,
            analyses: analyses,
            versions: CellVersions(client: stage.postgres),
            cacheCapacity: configuration.reportCacheBytes / 4
        ),
        AccessRoutes(
            store: access,
            audit: levelsAndExports.audit,
            lifetime: configuration.tokenLifetime,
            signInIssuer: configuration.signIn?.issuer
        ),
        FollowUpRoutes(store: ReportingStore(client: stage.postgres)),
        CollectionRoutes(
            store: CollectionStore(
                client: stage.postgres,
                exports: levelsAndExports.exports,
                fiscalYearStartMonth: configuration.fiscalYearStartMonth
            ),
            minimumCellSize: configuration.minimumCellSize
        ),
        SpamReviewRoutes(
            review: SpamReviewQuery(client: stage.postgres),
            triage: SpamTriage(client: stage.postgres),
            audit: levelsAndExports.audit
        ),
    ]
    if let settings = configuration.signIn {
        groups.append(
            SignInRoutes(
                provider: StaffSignInProvider(settings: settings, logger: logger),
                store: access,
                audit: levelsAndExports.audit,
                idleTimeout: configuration.sessionIdleTimeout,
                pendingCookie: PendingSignInCookie(key: settings.pendingCookieKey, secure: configuration.secureCookies),
                rateLimit: SignInRateLimit(perMinute: settings.requestsPerMinute),
                logger: logger
            )
        )
    }
    let authenticated = ReportingRoutes(
        sessions: PostgresSessionDriver(client: stage.postgres),
        sessionCookie: SessionCookieParameters(name: "civic_session", secure: configuration.secureCookies, sameSite: .lax),
        authenticator: ReportingAuthenticator(
            store: access,
            administratorDigest: configuration.adminToken.map { BearerSecret.digest($0) },
            sessionIdleTimeout: configuration.sessionIdleTimeout,
            sessionLifetime: configuration.sessionLifetime
        ),
        groups: groups
    )
    let store = ReportingStore(client: stage.postgres)
    let erasure = try stage.erasureProcessor(
        ErasureHandler(stage: configuration.runtime.serviceName, verifyKeys: configuration.runtime.erasureVerifyKeys, logger: logger) { request in
            let summary = try await store.erase(request)
            return ErasedEvents.Erasure(deleted: ["reporting": summary.deleted.count], events: [])
        }
    )
    return stage.services(
        [processor, erasure, stage.retention(ReportingStore.retention), AnswerColumnsBackfill(store: store, logger: logger)],
        registry: registry,
        onServerRunning: onServerRunning,
        context: ReportingRequestContext.self,
        routes: [contracts, authenticated]
    )
}

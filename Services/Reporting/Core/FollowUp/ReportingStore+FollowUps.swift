import CivicModels
import CivicPostgres
import Foundation

/// Follow-ups: opened when a new response matches its agency's rules, updated by case systems, and counted per
/// service and quarter.
extension ReportingStore {
    /// Opens the follow-ups `rows` match under `rules` (each response and rule once: a replayed response
    /// finds its case already open and opens nothing), inside the ingest's transaction.
    static func openFollowUps(
        for rows: [FeedbackRow],
        rules: FollowUpRules,
        now: Date,
        on connection: PostgresConnection
    ) async throws
        -> [FollowUpOpened]
    {
        var candidates: [String: FollowUpOpened] = [:]
        var values: [[(any PostgresEncodable)?]] = []
        for row in rows {
            let matches = rules.matches(row.event)
            guard !matches.isEmpty, let agency = rules.agencies[row.cell.agency] else { continue }
            let due = now.addingTimeInterval(Double(agency.targetDays) * 86_400)
            for (rule, reasons) in matches {
                let caseId = FollowUpRules.caseId(agency: row.cell.agency, eventId: row.eventId, rule: rule.name)
                candidates[caseId] = FollowUpOpened(
                    caseId: caseId,
                    agency: row.cell.agency,
                    service: row.cell.service,
                    channel: row.event.channel,
                    eventId: row.eventId,
                    rule: rule.name,
                    reasons: reasons,
                    respondent: row.event.respondent?.pseudonym,
                    comment: row.event.comment,
                    occurredAt: row.event.occurredAt,
                    openedAt: now,
                    dueAt: due
                )
                values.append([
                    caseId, row.cell.agency, row.eventId, rule.name, row.cell.service, row.cell.channel, row.cell.quarter.fiscalYear,
                    row.cell.quarter.quarter, now, due, row.traceId,
                ])
            }
        }
        guard !values.isEmpty else { return [] }
        let inserted = try await connection.insert(
            into: "reporting.follow_ups",
            columns: [
                "case_id", "agency", "event_id", "rule", "service", "channel", "fiscal_year", "fiscal_quarter", "opened_at", "due_at",
                "trace_id",
            ],
            rows: values,
            suffix: "ON CONFLICT DO NOTHING RETURNING case_id"
        )
        return inserted.values.compactMap { $0.first.flatMap { $0 }.flatMap { candidates[$0] } }.sorted { $0.caseId < $1.caseId }
    }

    /// What became of a case update.
    enum CaseUpdateOutcome: Equatable {
        /// Applied (or a replay, which changes nothing).
        case applied
        /// The agency has no follow-up with the update's case id.
        case noSuchCase
        /// The update's time is before the follow-up was opened (given): refused, nothing changed.
        case beforeOpening(Date)
    }

    /// Applies a case system's update to the follow-up it names, when its time is not before the follow-up was
    /// opened (compared in whole milliseconds, the contract's precision). Each state keeps its first time (a
    /// replayed update changes nothing).
    func apply(_ update: CaseUpdate) async throws -> CaseUpdateOutcome {
        let rows = try await client.query(
            """
            WITH target AS (
                SELECT case_id, opened_at FROM reporting.follow_ups WHERE case_id = $1 AND agency = $2
            ), updated AS (
                UPDATE reporting.follow_ups f SET
                    acknowledged_at = coalesce(f.acknowledged_at, $3),
                    resolved_at = CASE WHEN $4 THEN coalesce(f.resolved_at, $3) ELSE f.resolved_at END,
                    resolved_by = CASE WHEN $4 AND f.resolved_at IS NULL THEN $5 ELSE f.resolved_by END
                FROM target t
                WHERE f.case_id = t.case_id AND f.agency = $2 AND $3 >= date_trunc('milliseconds', t.opened_at)
                RETURNING f.case_id
            )
            SELECT t.opened_at, (SELECT count(*) FROM updated) AS applied FROM target t
            """,
            [update.caseId, update.agency, update.at, update.state == .resolved, update.actor]
        )
        guard let row = rows.first else { return .noSuchCase }
        if try row.require("applied", as: Int64.self) > 0 { return .applied }
        return .beforeOpening(try row.require("opened_at"))
    }

    /// Follow-ups of one service in one quarter.
    package struct FollowUpFigures: Codable, Sendable, Equatable {
        var agency: String
        var service: String
        var fiscalYear: Int
        var quarter: Int
        /// Follow-ups opened.
        var opened: Int
        /// Acknowledged by the case system.
        var acknowledged: Int
        /// Resolved.
        var resolved: Int
        /// Resolved by their due time (the agency's target).
        var resolvedWithinTarget: Int
        /// Median hours from opening to resolution, over the resolved ones.
        var medianHoursToResolution: Double?
    }

    /// Follow-ups per service of the agency's quarter.
    package func followUpFigures(agency: String, fiscalYear: Int, quarter: Int) async throws -> [FollowUpFigures] {
        let rows = try await client.query(
            """
            SELECT service, count(*) AS opened, count(acknowledged_at) AS acknowledged, count(resolved_at) AS resolved,
                   count(*) FILTER (WHERE resolved_at <= due_at) AS within,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at) / 3600)
                       FILTER (WHERE resolved_at IS NOT NULL) AS median_hours
            FROM reporting.follow_ups WHERE agency = $1 AND fiscal_year = $2 AND fiscal_quarter = $3
            GROUP BY service ORDER BY service
            """,
            [agency, fiscalYear, quarter]
        )
        return try rows.rows.map { row in
            FollowUpFigures(
                agency: agency,
                service: try row.require("service"),
                fiscalYear: fiscalYear,
                quarter: quarter,
                opened: try row.require("opened"),
                acknowledged: try row.require("acknowledged"),
                resolved: try row.require("resolved"),
                resolvedWithinTarget: try row.require("within"),
                medianHoursToResolution: try row.decode("median_hours")
            )
        }
    }
}

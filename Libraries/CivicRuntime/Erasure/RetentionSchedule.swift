import Configuration
import Foundation

/// How long each kind of record is kept before it is purged (aggregated figures are kept). Read from the
/// environment; `0` keeps that kind for ever. The defaults follow the General Records Schedules: customer
/// feedback records (GRS 6.5) 3 years, rejected input 90 days, access and audit records (GRS 3.2) 6 years.
package struct RetentionSchedule: Sendable, Equatable {
    /// Respondent-level rows: responses, operational events, verification and score rows. Default: 1095 days.
    /// (`CIVIC_RETENTION_RESPONSES_DAYS`)
    package var responseDays = 1095
    /// Rejected input (code, reason, digest and redacted excerpt) and duplicate records. Default: 90 days.
    /// (`CIVIC_RETENTION_REJECTIONS_DAYS`)
    package var rejectionDays = 90
    /// Audit entries (reporting's audit trail, identity-verify's request audit). Default: 2190 days.
    /// (`CIVIC_RETENTION_AUDIT_DAYS`)
    package var auditDays = 2190
    /// How often a running service purges again after its start-up purge. Default: 86400 s (daily).
    /// (`CIVIC_RETENTION_INTERVAL_S`)
    package var intervalSeconds = 86_400

    /// The documented defaults.
    package init() {}

    /// The days kept for `kind`, `0` meaning for ever.
    package func days(for kind: RetentionRule.Kind) -> Int {
        switch kind {
        case .responses: responseDays
        case .rejections: rejectionDays
        case .audit: auditDays
        }
    }

    /// The cutoff for `kind` at `now`: rows stored before it are purged; `nil` when the kind is kept for ever.
    package func cutoff(for kind: RetentionRule.Kind, now: Date) -> Date? {
        let days = days(for: kind)
        guard days > 0 else { return nil }
        return now.addingTimeInterval(-Double(days) * 86_400)
    }
}

/// One table a retention schedule purges: which kind of record it holds, the column that dates each row (the
/// time the stage stored it, never a time the submitter chose), and, for rows that are events, the columns
/// that name the event, so the purge leaves a tombstone (``ErasedEvents``).
package struct RetentionRule: Sendable, Hashable {
    /// The kinds of record a schedule names.
    package enum Kind: String, Sendable, CaseIterable {
        /// Respondent-level rows.
        case responses
        /// Rejected input and duplicate records.
        case rejections
        /// Audit entries.
        case audit
    }

    /// The kind of record.
    package var kind: Kind
    /// The table, schema-qualified.
    package var table: String
    /// The column that dates each row.
    package var timestampColumn: String
    /// The columns naming the event, for rows that are events.
    package var event: ErasedEvents.EventTable?
    /// A function that deletes the rows older than its one `timestamptz` argument and returns how many, for a
    /// table the service may not delete from itself (reporting's audit trail); `nil` deletes directly.
    package var purgeFunction: String?

    /// A rule.
    package init(_ kind: Kind, table: String, timestampColumn: String, event: ErasedEvents.EventTable? = nil, purgeFunction: String? = nil) {
        self.kind = kind
        self.table = table
        self.timestampColumn = timestampColumn
        self.event = event
        self.purgeFunction = purgeFunction
    }
}

extension RetentionSchedule {
    /// Reads the schedule; keys are `civic.retention.*` (environment `CIVIC_RETENTION_*`).
    /// - Throws: ``ConfigurationError`` for a value that is present but invalid.
    package init(reader: ConfigReader) throws {
        self.init()
        responseDays = try reader.strictInt("civic.retention.responses-days", default: responseDays, in: 0...36_500)
        rejectionDays = try reader.strictInt("civic.retention.rejections-days", default: rejectionDays, in: 0...36_500)
        auditDays = try reader.strictInt("civic.retention.audit-days", default: auditDays, in: 0...36_500)
        intervalSeconds = try reader.strictInt("civic.retention.interval-s", default: intervalSeconds, in: 60...2_592_000)
    }
}

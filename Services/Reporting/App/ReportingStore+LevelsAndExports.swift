import CivicPostgres

extension ReportingStore {
    /// Migration 4: whether each operational event's customer was offered the survey (the "offered" volume
    /// of a Touchpoints collection; `NULL` when the agency did not say), and indexes for the journey and
    /// relationship levels, which read responses per respondent and per service over time.
    static let levelsAndExportsMigration = PostgresMigration(
        version: 4,
        name: "survey offered; respondent and journey indexes",
        sql: """
            ALTER TABLE reporting.operations ADD COLUMN survey_offered boolean;
            CREATE INDEX feedback_respondent ON reporting.feedback (respondent, occurred_at) WHERE respondent IS NOT NULL;
            CREATE INDEX feedback_journey ON reporting.feedback (agency, service, occurred_at) WHERE level = 'journey';
            CREATE INDEX operations_cell ON reporting.operations (agency, fiscal_year, fiscal_quarter, service, channel);
            """
    )
}

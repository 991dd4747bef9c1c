import CivicPostgres
import CivicRuntime

/// The `intake` schema: every migration of survey-intake's tables, in order. Applied forward only, each
/// version once, checked against its checksum (``PostgresMigrations``).
extension IntakeStore {
    static let migrations = PostgresMigrations(
        schema: "intake",
        migrations: [
            PostgresMigration(
                version: 1,
                name: "responses, rejections, duplicates",
                sql: """
                    CREATE TABLE intake.responses (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        received_at timestamptz NOT NULL,
                        source_topic text NOT NULL,
                        source_partition integer NOT NULL,
                        source_offset bigint NOT NULL,
                        spam_flagged boolean NOT NULL DEFAULT false,
                        payload jsonb NOT NULL
                    );
                    CREATE INDEX responses_agency_received ON intake.responses (agency, received_at);
                    CREATE TABLE intake.rejections (
                        source_topic text NOT NULL,
                        source_partition integer NOT NULL,
                        source_offset bigint NOT NULL,
                        code text NOT NULL,
                        field text,
                        reason text NOT NULL,
                        event_id text,
                        original bytea NOT NULL,
                        rejected_at timestamptz NOT NULL,
                        PRIMARY KEY (source_topic, source_partition, source_offset)
                    );
                    CREATE TABLE intake.duplicates (
                        source_topic text NOT NULL,
                        source_partition integer NOT NULL,
                        source_offset bigint NOT NULL,
                        event_id text NOT NULL,
                        seen_at timestamptz NOT NULL,
                        PRIMARY KEY (source_topic, source_partition, source_offset)
                    );
                    """
            ),
            // Migration 2: the agencies and services allowed to submit (``AgencyRegistry``).
            PostgresMigration(
                version: 2,
                name: "agency and service registry",
                sql: """
                    CREATE TABLE intake.agencies (
                        code text PRIMARY KEY,
                        name text NOT NULL,
                        registered_at timestamptz NOT NULL DEFAULT now()
                    );
                    CREATE TABLE intake.services (
                        agency text NOT NULL REFERENCES intake.agencies (code),
                        code text NOT NULL,
                        name text NOT NULL,
                        registered_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (agency, code)
                    );
                    """
            ),
            // Migration 3: per-agency API keys, SHA-256 digests only (``APIKeyStore``).
            PostgresMigration(
                version: 3,
                name: "per-agency API keys (SHA-256 digests only)",
                sql: """
                    CREATE TABLE intake.api_keys (
                        key_id text PRIMARY KEY,
                        agency text NOT NULL REFERENCES intake.agencies (code),
                        secret_sha256 bytea NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        revoked_at timestamptz
                    );
                    """
            ),
            // Migration 4: the spam observations, the stored reasons on responses, and operations events.
            PostgresMigration(
                version: 4,
                name: "spam observations and reasons, operations events",
                sql: """
                    ALTER TABLE intake.responses ADD COLUMN spam_reasons text[] NOT NULL DEFAULT '{}';
                    CREATE INDEX responses_spam_review ON intake.responses (agency, received_at DESC) WHERE spam_flagged;
                    CREATE TABLE intake.spam_observations (
                        seq bigserial NOT NULL,
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        submitter text,
                        text_hash text,
                        seen_at timestamptz NOT NULL
                    );
                    CREATE INDEX spam_observations_submitter ON intake.spam_observations (agency, submitter, seen_at)
                        WHERE submitter IS NOT NULL;
                    CREATE INDEX spam_observations_text ON intake.spam_observations (agency, text_hash, seen_at)
                        WHERE text_hash IS NOT NULL;
                    CREATE INDEX spam_observations_seen ON intake.spam_observations (seen_at);
                    CREATE TABLE intake.operations (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        received_at timestamptz NOT NULL,
                        source_topic text NOT NULL,
                        source_partition integer NOT NULL,
                        source_offset bigint NOT NULL,
                        payload jsonb NOT NULL
                    );
                    CREATE INDEX operations_agency_received ON intake.operations (agency, received_at);
                    """
            ),
            // Migration 5: the signals' keys move onto the responses (which hold the same event ids, agencies and
            // receipt times), so a batch is written once instead of twice, and the observations table goes. The
            // index on (agency, received_at), which no query uses (the spam review has its own), goes too: each
            // index costs every insert. Key columns compare bytes (`COLLATE "C"`) instead of going through the
            // database's locale: equality is the same either way (deterministic collations), and ids have no
            // linguistic order to keep.
            PostgresMigration(
                version: 5,
                name: "spam keys on responses, byte-compared keys",
                sql: """
                    ALTER TABLE intake.responses
                        ALTER COLUMN event_id TYPE text COLLATE "C", ALTER COLUMN agency TYPE text COLLATE "C",
                        ADD COLUMN submitter text COLLATE "C", ADD COLUMN text_fingerprint bytea;
                    UPDATE intake.responses r SET submitter = o.submitter, text_fingerprint = decode(o.text_hash, 'hex')
                        FROM intake.spam_observations o WHERE o.event_id = r.event_id;
                    CREATE INDEX responses_spam_submitter ON intake.responses (agency, submitter, received_at)
                        WHERE submitter IS NOT NULL;
                    CREATE INDEX responses_spam_text ON intake.responses (agency, text_fingerprint, received_at)
                        WHERE text_fingerprint IS NOT NULL;
                    DROP TABLE intake.spam_observations;
                    DROP INDEX intake.responses_agency_received;
                    ALTER TABLE intake.operations
                        ALTER COLUMN event_id TYPE text COLLATE "C", ALTER COLUMN agency TYPE text COLLATE "C";
                    """
            ),
            PostgresMigration(
                version: 6,
                name: "payloads stored as json",
                // Payloads are written on every store and only ever read back whole (review, audit): `json`
                // keeps the very bytes forwarded, and PostgreSQL checks them without building `jsonb`'s
                // binary form, about 6 µs per row measured here (and 23% less space).
                sql: """
                    ALTER TABLE intake.responses ALTER COLUMN payload TYPE json USING payload::json;
                    ALTER TABLE intake.operations ALTER COLUMN payload TYPE json USING payload::json;
                    """
            ),
            // Migration 7: no raw bytes at rest. A rejection keeps its size, SHA-256 digest and a redacted excerpt
            // (``RejectionDigest``) instead of the bytes, which could hold an identity token and unredacted PII;
            // rows stored before keep their size and digest, computed here, and no excerpt (redaction needs the
            // service's redactor, not SQL).
            PostgresMigration(
                version: 7,
                name: "rejections without raw bytes",
                sql: """
                    ALTER TABLE intake.rejections
                        ADD COLUMN original_size integer, ADD COLUMN original_sha256 bytea, ADD COLUMN excerpt text;
                    UPDATE intake.rejections SET original_size = length(original), original_sha256 = sha256(original);
                    ALTER TABLE intake.rejections
                        ALTER COLUMN original_size SET NOT NULL, ALTER COLUMN original_sha256 SET NOT NULL,
                        DROP COLUMN original;
                    """
            ),
            // Migration 8: responses stored before intake redacted comments, listed for survey-intake to redact at
            // start-up (``IntakeStore/redactStoredComments(batchSize:)``), which removes each from the list as it
            // rewrites it; the list is empty on a new database.
            PostgresMigration(
                version: 8,
                name: "stored comments to redact",
                sql: """
                    CREATE TABLE intake.unredacted_responses (event_id text COLLATE "C" PRIMARY KEY);
                    INSERT INTO intake.unredacted_responses (event_id)
                        SELECT event_id FROM intake.responses WHERE payload->>'comment' IS NOT NULL OR payload->'identity' IS NOT NULL;
                    """
            ),
            // Migration 9: an event is its agency and its id, so one agency's id can neither shadow nor probe
            // another's: the keys of responses, operational events and the redaction list become (agency,
            // event_id), and a duplicate submission records its agency.
            PostgresMigration(
                version: 9,
                name: "event identity is (agency, event id)",
                sql: """
                    ALTER TABLE intake.responses DROP CONSTRAINT responses_pkey, ADD PRIMARY KEY (agency, event_id);
                    ALTER TABLE intake.operations DROP CONSTRAINT operations_pkey, ADD PRIMARY KEY (agency, event_id);
                    ALTER TABLE intake.duplicates ADD COLUMN agency text COLLATE "C";
                    ALTER TABLE intake.unredacted_responses ADD COLUMN agency text COLLATE "C";
                    UPDATE intake.unredacted_responses u SET agency = r.agency FROM intake.responses r WHERE r.event_id = u.event_id;
                    DELETE FROM intake.unredacted_responses WHERE agency IS NULL;
                    ALTER TABLE intake.unredacted_responses
                        ALTER COLUMN agency SET NOT NULL, DROP CONSTRAINT unredacted_responses_pkey, ADD PRIMARY KEY (agency, event_id);
                    """
            ),
            // Migration 10: tombstones of erased events (an erasure request or the retention schedule), keys only;
            // and the indexes the retention purge reads by.
            PostgresMigration(
                version: 10,
                name: "erased events; retention indexes",
                sql: ErasedEvents.createTableSQL(schema: "intake") + """

                    CREATE INDEX responses_received_at ON intake.responses (received_at);
                    CREATE INDEX operations_received_at ON intake.operations (received_at);
                    CREATE INDEX rejections_rejected_at ON intake.rejections (rejected_at);
                    CREATE INDEX duplicates_seen_at ON intake.duplicates (seen_at);
                    """
            ),
            // Migration 11: the survey instrument per agency, service and channel (``InstrumentRegistry``).
            PostgresMigration(
                version: 11,
                name: "survey instruments",
                sql: """
                    CREATE TABLE intake.instruments (
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        definition jsonb NOT NULL,
                        expires_on date NOT NULL,
                        updated_at timestamptz NOT NULL,
                        PRIMARY KEY (agency, service, channel),
                        FOREIGN KEY (agency, service) REFERENCES intake.services (agency, code)
                    );
                    """
            ),
            // Migration 12: the public form keys of the hosted form and its embed (``FormKeyStore``), and the form
            // tokens already spent (``FormTokenLedger``).
            PostgresMigration(
                version: 12,
                name: "form keys and spent form tokens",
                sql: """
                    CREATE TABLE intake.form_keys (
                        key_id text PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        secret_sha256 bytea NOT NULL,
                        allowed_origins jsonb NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        revoked_at timestamptz,
                        FOREIGN KEY (agency, service) REFERENCES intake.services (agency, code)
                    );
                    CREATE TABLE intake.form_tokens (
                        nonce text PRIMARY KEY,
                        form_key_id text NOT NULL,
                        event_id text NOT NULL,
                        spent_at timestamptz NOT NULL
                    );
                    CREATE INDEX form_tokens_spent_at ON intake.form_tokens (spent_at);
                    """
            ),
        ]
    )

    /// The stage's tombstones.
    static let erased = ErasedEvents(schema: "intake")
    /// The tables an erasure deletes from (stored rejections carry no agency and only a redacted excerpt; the
    /// retention schedule purges them).
    static let erasedTables = [
        ErasedEvents.EventTable("intake.responses"), ErasedEvents.EventTable("intake.operations"),
        ErasedEvents.EventTable("intake.duplicates"), ErasedEvents.EventTable("intake.unredacted_responses"),
    ]
    /// What the retention schedule purges: responses and operational events as respondent-level records,
    /// rejections and duplicate records as rejections.
    static let retention = RetentionPurge(
        rules: [
            RetentionRule(.responses, table: "intake.responses", timestampColumn: "received_at", event: erasedTables[0]),
            RetentionRule(.responses, table: "intake.operations", timestampColumn: "received_at", event: erasedTables[1]),
            RetentionRule(.rejections, table: "intake.rejections", timestampColumn: "rejected_at"),
            RetentionRule(.rejections, table: "intake.duplicates", timestampColumn: "seen_at"),
            RetentionRule(.rejections, table: "intake.form_tokens", timestampColumn: "spent_at"),
        ],
        erased: erased
    )
}

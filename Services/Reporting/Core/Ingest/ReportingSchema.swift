import CivicPostgres
import CivicRuntime

/// The `reporting` schema: every migration of reporting's tables, in order. Applied forward only, each
/// version once, checked against its checksum (``PostgresMigrations``).
extension ReportingStore {
    /// reporting's schema migrations.
    package static let migrations = PostgresMigrations(
        schema: "reporting",
        migrations: [
            PostgresMigration(
                version: 1,
                name: "feedback, operations, quarterly cells",
                sql: """
                    CREATE TABLE reporting.feedback (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        level text NOT NULL,
                        form text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        spam_flagged boolean NOT NULL,
                        respondent text,
                        journey_id text,
                        stage text,
                        trust_favourable boolean,
                        satisfaction_favourable boolean,
                        recommend integer,
                        compound double precision,
                        payload jsonb NOT NULL
                    );
                    CREATE INDEX feedback_cell ON reporting.feedback (agency, fiscal_year, fiscal_quarter, service, channel);
                    CREATE TABLE reporting.operations (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        handle_seconds double precision,
                        resolved_first_contact boolean,
                        digital boolean NOT NULL
                    );
                    CREATE TABLE reporting.quarterly_cells (
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        responses bigint NOT NULL DEFAULT 0,
                        trust_n bigint NOT NULL DEFAULT 0,
                        trust_favourable bigint NOT NULL DEFAULT 0,
                        satisfaction_n bigint NOT NULL DEFAULT 0,
                        satisfaction_favourable bigint NOT NULL DEFAULT 0,
                        recommend_n bigint NOT NULL DEFAULT 0,
                        promoters bigint NOT NULL DEFAULT 0,
                        detractors bigint NOT NULL DEFAULT 0,
                        sentiment_n bigint NOT NULL DEFAULT 0,
                        sentiment_sum double precision NOT NULL DEFAULT 0,
                        sentiment_positive bigint NOT NULL DEFAULT 0,
                        sentiment_negative bigint NOT NULL DEFAULT 0,
                        contacts bigint NOT NULL DEFAULT 0,
                        resolved_first bigint NOT NULL DEFAULT 0,
                        handle_n bigint NOT NULL DEFAULT 0,
                        handle_sum double precision NOT NULL DEFAULT 0,
                        digital_contacts bigint NOT NULL DEFAULT 0,
                        PRIMARY KEY (agency, fiscal_year, fiscal_quarter, service, channel)
                    );
                    """
            ),
            PostgresMigration(
                version: 2,
                name: "comments left unscored (not English)",
                sql: """
                    ALTER TABLE reporting.feedback ADD COLUMN unscored_reason text;
                    ALTER TABLE reporting.quarterly_cells ADD COLUMN sentiment_unscored bigint NOT NULL DEFAULT 0;
                    """
            ),
            PostgresMigration(
                version: 3,
                name: "cell measures (long format) replace quarterly cells; run `reporting rebuild` once to fill them",
                sql: """
                    CREATE TABLE reporting.cell_measures (
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        measure text NOT NULL,
                        n bigint NOT NULL,
                        hits bigint NOT NULL,
                        total double precision NOT NULL,
                        PRIMARY KEY (agency, fiscal_year, fiscal_quarter, service, channel, measure)
                    );
                    DROP TABLE reporting.quarterly_cells;
                    """
            ),
            // Migration 4: whether each operational event's customer was offered the survey (the "offered" volume
            // of a Touchpoints collection; `NULL` when the agency did not say), and indexes for the journey and
            // relationship levels, which read responses per respondent and per service over time.
            PostgresMigration(
                version: 4,
                name: "survey offered; respondent and journey indexes",
                sql: """
                    ALTER TABLE reporting.operations ADD COLUMN survey_offered boolean;
                    CREATE INDEX feedback_respondent ON reporting.feedback (respondent, occurred_at) WHERE respondent IS NOT NULL;
                    CREATE INDEX feedback_journey ON reporting.feedback (agency, service, occurred_at) WHERE level = 'journey';
                    CREATE INDEX operations_cell ON reporting.operations (agency, fiscal_year, fiscal_quarter, service, channel);
                    """
            ),
            // Migration 5: `deleted_at` and `deletion_reason`, and `excluded` (spam-flagged or deleted), the one
            // column every level query and export filters on.
            PostgresMigration(
                version: 5,
                name: "deleted responses",
                sql: """
                    ALTER TABLE reporting.feedback
                        ADD COLUMN deleted_at timestamptz,
                        ADD COLUMN deletion_reason text,
                        ADD COLUMN excluded boolean GENERATED ALWAYS AS (spam_flagged OR deleted_at IS NOT NULL) STORED;
                    """
            ),
            // Migration 6: who may see what. Reporting tokens (SHA-256 digests only), staff users and their
            // roles per agency (`*` = every agency), staff sessions (keyed by the digest of the session id),
            // and the audit trail, append-only: a trigger refuses every UPDATE and DELETE of it.
            PostgresMigration(
                version: 6,
                name: "access: tokens, users, roles, sessions, audit trail",
                sql: """
                    CREATE TABLE reporting.access_tokens (
                        key_id text PRIMARY KEY,
                        agency text NOT NULL,
                        role text NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
                        label text NOT NULL,
                        secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
                        created_at timestamptz NOT NULL DEFAULT now(),
                        created_by text NOT NULL,
                        revoked_at timestamptz
                    );
                    CREATE TABLE reporting.users (
                        subject text PRIMARY KEY,
                        display_name text,
                        created_at timestamptz NOT NULL DEFAULT now()
                    );
                    CREATE TABLE reporting.role_grants (
                        subject text NOT NULL REFERENCES reporting.users (subject),
                        agency text NOT NULL,
                        role text NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
                        granted_at timestamptz NOT NULL DEFAULT now(),
                        granted_by text NOT NULL,
                        PRIMARY KEY (subject, agency)
                    );
                    CREATE TABLE reporting.sessions (
                        id_sha256 bytea PRIMARY KEY,
                        data jsonb NOT NULL,
                        expires_at timestamptz
                    );
                    CREATE INDEX sessions_expiry ON reporting.sessions (expires_at);
                    CREATE TABLE reporting.audit_log (
                        id bigserial PRIMARY KEY,
                        at timestamptz NOT NULL DEFAULT now(),
                        actor text NOT NULL,
                        action text NOT NULL,
                        agency text,
                        target text,
                        filter jsonb NOT NULL DEFAULT '{}',
                        row_count bigint,
                        request_id text
                    );
                    CREATE INDEX audit_log_agency ON reporting.audit_log (agency, id);
                    CREATE FUNCTION reporting.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        RAISE EXCEPTION 'reporting.audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
                    END $$;
                    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON reporting.audit_log
                        FOR EACH STATEMENT EXECUTE FUNCTION reporting.audit_log_append_only();
                    """
            ),
            // Migration 7: an admin's spam decision on a response (not spam, or spam), with who and when; the
            // decision sets `spam_flagged`, and every aggregate is recomputed in the same transaction.
            PostgresMigration(
                version: 7,
                name: "spam decisions",
                sql: """
                    ALTER TABLE reporting.feedback
                        ADD COLUMN spam_decision text CHECK (spam_decision IN ('not_spam', 'spam')),
                        ADD COLUMN spam_decided_by text,
                        ADD COLUMN spam_decided_at timestamptz;
                    """
            ),
            // Migration 8: an event is identified by its agency and its id, so one agency's id can neither
            // shadow nor probe another's.
            PostgresMigration(
                version: 8,
                name: "event identity is (agency, event id)",
                sql: """
                    ALTER TABLE reporting.feedback DROP CONSTRAINT feedback_pkey, ADD PRIMARY KEY (agency, event_id);
                    ALTER TABLE reporting.operations DROP CONSTRAINT operations_pkey, ADD PRIMARY KEY (agency, event_id);
                    """
            ),
            // Migration 9: erasure and retention. Tombstones of erased events (keys only); the aggregated measures
            // of responses and operational events purged by the retention schedule (`retained_measures`, which a
            // rebuild starts from, so purging rows keeps the figures); when each row was stored (what retention
            // dates rows by, never a time the submitter chose). Responses deleted before this migration become
            // tombstones and their rows go. The audit trail stays append-only, except for the retention purge.
            PostgresMigration(
                version: 9,
                name: "erased events, retained measures, retention",
                sql: ErasedEvents.createTableSQL(schema: "reporting") + """

                    CREATE TABLE reporting.retained_measures (
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        measure text NOT NULL,
                        n bigint NOT NULL,
                        hits bigint NOT NULL,
                        total double precision NOT NULL,
                        PRIMARY KEY (agency, fiscal_year, fiscal_quarter, service, channel, measure)
                    );
                    ALTER TABLE reporting.feedback ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
                    ALTER TABLE reporting.operations ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
                    CREATE INDEX feedback_stored_at ON reporting.feedback (stored_at);
                    CREATE INDEX operations_stored_at ON reporting.operations (stored_at);
                    CREATE INDEX audit_log_at ON reporting.audit_log (at);
                    INSERT INTO reporting.erased_events (agency, event_id, cause, request_id, erased_at)
                        SELECT agency, event_id, 'request', deletion_reason, deleted_at FROM reporting.feedback WHERE deleted_at IS NOT NULL;
                    DELETE FROM reporting.feedback WHERE deleted_at IS NOT NULL;
                    CREATE OR REPLACE FUNCTION reporting.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF TG_OP = 'DELETE' AND current_setting('civic.retention_purge', true) = 'on' THEN
                            RETURN NULL;
                        END IF;
                        RAISE EXCEPTION 'reporting.audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
                    END $$;
                    """
            ),
            // Migration 10: each collection's place in the quarterly cycle (draft, submitted, published, change
            // requested, not reported) with the agency's reflection and rating, and every change with who and when.
            PostgresMigration(
                version: 10,
                name: "collection lifecycle",
                sql: """
                    CREATE TABLE reporting.collection_states (
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        state text NOT NULL CHECK (state IN ('draft', 'submitted', 'published', 'change_requested', 'not_reported')),
                        reflection text,
                        rating text CHECK (rating IN ('TRUE', 'FALSE', 'PARTIAL')),
                        updated_at timestamptz NOT NULL,
                        updated_by text NOT NULL,
                        PRIMARY KEY (agency, fiscal_year, fiscal_quarter, service, channel)
                    );
                    CREATE TABLE reporting.collection_history (
                        id bigserial PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        action text NOT NULL,
                        from_state text NOT NULL,
                        to_state text NOT NULL,
                        actor text NOT NULL,
                        at timestamptz NOT NULL
                    );
                    CREATE INDEX collection_history_key ON reporting.collection_history (agency, fiscal_year, fiscal_quarter, service, channel, id);
                    """
            ),
            // Migration 11: follow-ups opened for agencies' case systems, once per response and rule, with their
            // case state (acknowledged, resolved: who and when).
            PostgresMigration(
                version: 11,
                name: "follow-ups",
                sql: """
                    CREATE TABLE reporting.follow_ups (
                        case_id text PRIMARY KEY,
                        agency text NOT NULL,
                        event_id text NOT NULL,
                        rule text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        opened_at timestamptz NOT NULL,
                        due_at timestamptz NOT NULL,
                        acknowledged_at timestamptz,
                        resolved_at timestamptz,
                        resolved_by text,
                        UNIQUE (agency, event_id, rule)
                    );
                    CREATE INDEX follow_ups_cell ON reporting.follow_ups (agency, fiscal_year, fiscal_quarter, service);
                    CREATE INDEX follow_ups_opened_at ON reporting.follow_ups (opened_at);
                    """
            ),
            // Migration 12: the transaction point of an operational event (a Touchpoints collection detail); a
            // response's is in its payload.
            PostgresMigration(
                version: 12,
                name: "transaction points of operational events",
                sql: "ALTER TABLE reporting.operations ADD COLUMN touchpoint text;"
            ),
            // Migration 13: sums kept exactly (decimal, four places), so a figure does not depend on the order its
            // values were added in (partitions, replicas, batches, rebuilds).
            PostgresMigration(
                version: 13,
                name: "exact sums",
                sql: """
                    ALTER TABLE reporting.cell_measures ALTER COLUMN total TYPE numeric USING round(total::numeric, 4);
                    ALTER TABLE reporting.retained_measures ALTER COLUMN total TYPE numeric USING round(total::numeric, 4);
                    """
            ),
            // Migration 14: every reporting token expires (those minted before get 90 days from now, the default
            // lifetime), its last use is recorded, and who minted it is kept as columns (a staff member's issuer and
            // sub, or the minting token's key id), so losing the admin role, or revoking the minting token, revokes it.
            PostgresMigration(
                version: 14,
                name: "token expiry, last use and creator",
                sql: """
                    ALTER TABLE reporting.access_tokens
                        ADD COLUMN expires_at timestamptz,
                        ADD COLUMN last_used_at timestamptz,
                        ADD COLUMN creator_issuer text,
                        ADD COLUMN creator_subject text,
                        ADD COLUMN creator_key_id text;
                    UPDATE reporting.access_tokens SET
                        expires_at = now() + interval '90 days',
                        creator_issuer = CASE WHEN created_by LIKE 'user:%' THEN '' END,
                        creator_subject = CASE WHEN created_by LIKE 'user:%' THEN substr(created_by, 6) END,
                        creator_key_id = CASE WHEN created_by LIKE 'token:%' THEN substr(created_by, 7) END;
                    ALTER TABLE reporting.access_tokens ALTER COLUMN expires_at SET NOT NULL;
                    CREATE INDEX access_tokens_creator ON reporting.access_tokens (creator_issuer, creator_subject) WHERE revoked_at IS NULL;
                    CREATE INDEX access_tokens_creator_key ON reporting.access_tokens (creator_key_id) WHERE creator_key_id IS NOT NULL;
                    """
            ),
            // Migration 15: a staff member is their issuer and sub together. Users recorded before get the empty
            // issuer, which the configured sign-in issuer adopts at start-up (there was only ever one).
            PostgresMigration(
                version: 15,
                name: "users and role grants keyed on (issuer, sub)",
                sql: """
                    ALTER TABLE reporting.role_grants DROP CONSTRAINT role_grants_subject_fkey;
                    ALTER TABLE reporting.users ADD COLUMN issuer text NOT NULL DEFAULT '';
                    ALTER TABLE reporting.users ALTER COLUMN issuer DROP DEFAULT;
                    ALTER TABLE reporting.users DROP CONSTRAINT users_pkey, ADD PRIMARY KEY (issuer, subject);
                    ALTER TABLE reporting.role_grants ADD COLUMN issuer text NOT NULL DEFAULT '';
                    ALTER TABLE reporting.role_grants ALTER COLUMN issuer DROP DEFAULT;
                    ALTER TABLE reporting.role_grants DROP CONSTRAINT role_grants_pkey, ADD PRIMARY KEY (issuer, subject, agency);
                    ALTER TABLE reporting.role_grants ADD CONSTRAINT role_grants_user_fkey FOREIGN KEY (issuer, subject)
                        REFERENCES reporting.users (issuer, subject) ON UPDATE CASCADE;
                    """
            ),
            // Migration 16: the audit trail moves to `reporting_audit.audit_log`, owned (with its append-only
            // trigger and its retention purge) by `civic_audit_owner`, a role nobody logs in as: reporting's role may
            // only INSERT and SELECT, and purge through `reporting_audit.purge_audit_log` (SECURITY DEFINER), which
            // deletes only entries past retention. The owner's objects are made by the database superuser: by this
            // migration when it runs as one (the tests), else beforehand by ops/postgres/10-civicpulse.sh (compose,
            // k8s, ops/local), the same SQL (``AuditTrail/ownerSetupSQL``). The old table's entries move over in order.
            PostgresMigration(
                version: 16,
                name: "audit trail owned by civic_audit_owner",
                sql: """
                    DO $migration$
                    DECLARE
                        service_role text := (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'reporting');
                    BEGIN
                        IF to_regclass('reporting_audit.audit_log') IS NULL THEN
                            IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                                RAISE EXCEPTION 'reporting_audit.audit_log does not exist and % may not create it: run ops/postgres/10-civicpulse.sh as the database superuser first', current_user
                                    USING ERRCODE = 'insufficient_privilege';
                            END IF;
                            BEGIN
                                CREATE ROLE civic_audit_owner NOLOGIN;
                            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                                NULL;
                            END;
                    \(AuditTrail.ownerSetupSQL)
                            EXECUTE format('GRANT USAGE ON SCHEMA reporting_audit TO %s', service_role);
                            EXECUTE format('GRANT SELECT, INSERT ON reporting_audit.audit_log TO %s', service_role);
                            EXECUTE format('GRANT USAGE ON SEQUENCE reporting_audit.audit_log_id_seq TO %s', service_role);
                            EXECUTE format('GRANT EXECUTE ON FUNCTION reporting_audit.purge_audit_log(timestamptz) TO %s', service_role);
                        END IF;
                        INSERT INTO reporting_audit.audit_log (at, actor, action, agency, target, filter, row_count, request_id)
                            SELECT at, actor, action, agency, target, filter, row_count, request_id FROM reporting.audit_log ORDER BY id;
                        DROP TABLE reporting.audit_log;
                        DROP FUNCTION reporting.audit_log_append_only();
                    END
                    $migration$;
                    """
            ),
            // Migration 17: each agency quarter's cell version, bumped in the same transaction as every change of its
            // `reporting.cell_measures` rows (``CellVersions``): a report computed at one version is served again,
            // without reading or computing anything, until the version moves.
            PostgresMigration(
                version: 17,
                name: "cell versions",
                sql: """
                    CREATE TABLE reporting.cell_versions (
                        agency text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        version bigint NOT NULL,
                        PRIMARY KEY (agency, fiscal_year, fiscal_quarter)
                    );
                    INSERT INTO reporting.cell_versions (agency, fiscal_year, fiscal_quarter, version)
                        SELECT DISTINCT agency, fiscal_year, fiscal_quarter, 1 FROM reporting.cell_measures;
                    """
            ),
            // Migration 18: the W3C trace id of each stored response and of each follow-up it opened (from its
            // record's `traceparent`), so an operator can go from a row to the response's trace (docs/operations.md).
            // Idempotent, like every migration here, should it be applied by hand.
            PostgresMigration(
                version: 18,
                name: "trace ids of responses and follow-ups",
                sql: """
                    ALTER TABLE reporting.feedback ADD COLUMN IF NOT EXISTS trace_id text;
                    ALTER TABLE reporting.follow_ups ADD COLUMN IF NOT EXISTS trace_id text;
                    """
            ),
            // Migration 19: the answers the themes and key-driver analyses read, as columns of each response: the
            // (redacted) comment, the transaction point, trust and the six v1 Likert items as integers, the two v2
            // option lists joined with commas. A trigger fills them from `payload` on every INSERT (and UPDATE of
            // `payload`), with the same expressions the analyses used to run on `payload` at each read
            // (`reporting.answer_*`, which the analyses still use for rows not yet filled: `answers_extracted`
            // false). Adding the columns rewrites nothing; rows stored before are filled in batches by
            // ``InsightColumnsBackfill`` after start-up. A number outside PostgreSQL's integer range reads as NULL
            // (the analyses' read used to fail on it). The columns go with their row on erasure and retention.
            PostgresMigration(
                version: 19,
                name: "answers the insights read, as columns",
                sql: """
                    CREATE FUNCTION reporting.answer_int(answer jsonb) RETURNS integer
                        LANGUAGE sql IMMUTABLE PARALLEL SAFE
                        RETURN CASE WHEN jsonb_typeof(answer) = 'number'
                            AND answer::numeric > -2147483648.5 AND answer::numeric < 2147483647.5 THEN answer::numeric::int END;
                    CREATE FUNCTION reporting.answer_trust(trust jsonb) RETURNS integer
                        LANGUAGE sql IMMUTABLE PARALLEL SAFE
                        RETURN CASE jsonb_typeof(trust)
                            WHEN 'number' THEN reporting.answer_int(trust)
                            WHEN 'object' THEN reporting.answer_int(trust->'value') END;
                    CREATE FUNCTION reporting.answer_options(options jsonb) RETURNS text
                        LANGUAGE sql IMMUTABLE PARALLEL SAFE
                        RETURN array_to_string(ARRAY(SELECT jsonb_array_elements_text(
                            CASE jsonb_typeof(options) WHEN 'array' THEN options ELSE '[]'::jsonb END)), ',');
                    ALTER TABLE reporting.feedback
                        ADD COLUMN comment text,
                        ADD COLUMN touchpoint text,
                        ADD COLUMN answer_trust integer,
                        ADD COLUMN answer_satisfaction integer,
                        ADD COLUMN answer_effectiveness integer,
                        ADD COLUMN answer_ease integer,
                        ADD COLUMN answer_efficiency integer,
                        ADD COLUMN answer_transparency integer,
                        ADD COLUMN answer_employee integer,
                        ADD COLUMN answer_went_well text,
                        ADD COLUMN answer_did_not_go_well text,
                        ADD COLUMN answers_extracted boolean NOT NULL DEFAULT false;
                    CREATE INDEX feedback_answers_unextracted ON reporting.feedback (agency, event_id) WHERE NOT answers_extracted;
                    CREATE FUNCTION reporting.feedback_answers() RETURNS trigger LANGUAGE plpgsql AS $$
                    DECLARE
                        answers jsonb := NEW.payload->'answers';
                    BEGIN
                        NEW.comment := NEW.payload->>'comment';
                        NEW.touchpoint := NEW.payload->>'touchpoint';
                        NEW.answer_trust := reporting.answer_trust(answers->'trust');
                        NEW.answer_satisfaction := reporting.answer_int(answers->'satisfaction');
                        NEW.answer_effectiveness := reporting.answer_int(answers->'effectiveness');
                        NEW.answer_ease := reporting.answer_int(answers->'ease');
                        NEW.answer_efficiency := reporting.answer_int(answers->'efficiency');
                        NEW.answer_transparency := reporting.answer_int(answers->'transparency');
                        NEW.answer_employee := reporting.answer_int(answers->'employee');
                        NEW.answer_went_well := reporting.answer_options(answers->'wentWell');
                        NEW.answer_did_not_go_well := reporting.answer_options(answers->'didNotGoWell');
                        NEW.answers_extracted := true;
                        RETURN NEW;
                    END $$;
                    CREATE TRIGGER feedback_answers BEFORE INSERT OR UPDATE OF payload ON reporting.feedback
                        FOR EACH ROW EXECUTE FUNCTION reporting.feedback_answers();
                    """
            ),
            // Migration 20: the same trigger, its expressions written out instead of calling `reporting.answer_int`
            // and `answer_trust` (a SQL function called from PL/pgSQL is planned and run on its own at every call,
            // nine times a row: about 25 µs of PostgreSQL per response at ingest, measured with PipelineBench's
            // statement statistics). Same values for every input: the expressions are those functions' bodies.
            PostgresMigration(
                version: 20,
                name: "answer columns filled without function calls",
                sql: """
                    CREATE OR REPLACE FUNCTION reporting.feedback_answers() RETURNS trigger LANGUAGE plpgsql AS $$
                    DECLARE
                        answers jsonb := NEW.payload->'answers';
                        trust jsonb := answers->'trust';
                        v jsonb;
                    BEGIN
                        NEW.comment := NEW.payload->>'comment';
                        NEW.touchpoint := NEW.payload->>'touchpoint';
                        IF jsonb_typeof(trust) = 'object' THEN
                            trust := trust->'value';
                        END IF;
                        NEW.answer_trust := CASE WHEN jsonb_typeof(trust) = 'number'
                            AND trust::numeric > -2147483648.5 AND trust::numeric < 2147483647.5 THEN trust::numeric::int END;
                        v := answers->'satisfaction';
                        NEW.answer_satisfaction := CASE WHEN jsonb_typeof(v) = 'number'
                            AND v::numeric > -2147483648.5 AND v::numeric < 2147483647.5 THEN v::numeric::int END;
                        v := answers->'effectiveness';
                        NEW.answer_effectiveness := CASE WHEN jsonb_typeof(v) = 'number'
                            AND v::numeric > -2147483648.5 AND v::numeric < 2147483647.5 THEN v::numeric::int END;
                        v := answers->'ease';
                        NEW.answer_ease := CASE WHEN jsonb_typeof(v) = 'number'
                            AND v::numeric > -2147483648.5 AND v::numeric < 2147483647.5 THEN v::numeric::int END;
                        v := answers->'efficiency';
                        NEW.answer_efficiency := CASE WHEN jsonb_typeof(v) = 'number'
                            AND v::numeric > -2147483648.5 AND v::numeric < 2147483647.5 THEN v::numeric::int END;
                        v := answers->'transparency';
                        NEW.answer_transparency := CASE WHEN jsonb_typeof(v) = 'number'
                            AND v::numeric > -2147483648.5 AND v::numeric < 2147483647.5 THEN v::numeric::int END;
                        v := answers->'employee';
                        NEW.answer_employee := CASE WHEN jsonb_typeof(v) = 'number'
                            AND v::numeric > -2147483648.5 AND v::numeric < 2147483647.5 THEN v::numeric::int END;
                        v := answers->'wentWell';
                        NEW.answer_went_well := CASE WHEN jsonb_typeof(v) = 'array'
                            THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(v)), ',') ELSE '' END;
                        v := answers->'didNotGoWell';
                        NEW.answer_did_not_go_well := CASE WHEN jsonb_typeof(v) = 'array'
                            THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(v)), ',') ELSE '' END;
                        NEW.answers_extracted := true;
                        RETURN NEW;
                    END $$;
                    """
            ),
        ]
    )

    /// The stage's tombstones.
    static let erased = ErasedEvents(schema: "reporting")
    /// The tables an erasure deletes from.
    static let erasedTables = [
        ErasedEvents.EventTable("reporting.feedback"), ErasedEvents.EventTable("reporting.operations"),
        ErasedEvents.EventTable("reporting.follow_ups"),
    ]
}

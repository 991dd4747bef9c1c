#!/usr/bin/env bash
# CivicPulse database bootstrap: one role per service, each owning the schema of the same name, in the
# database the postgres image created from POSTGRES_DB (civicpulse). No service can read or write
# another's schema; each role's search_path is its own schema.
#
#   role / schema   service            password variable              local default
#   intake          survey-intake      CIVIC_INTAKE_DB_PASSWORD       intake-local
#   identity        identity-verify    CIVIC_IDENTITY_DB_PASSWORD     identity-local
#   scorer          sentiment-scorer   CIVIC_SCORER_DB_PASSWORD       scorer-local
#   reporting       reporting          CIVIC_REPORTING_DB_PASSWORD    reporting-local
#
# The postgres image runs this once, on first start with an empty data volume (it is mounted at
# /docker-entrypoint-initdb.d). It is idempotent, so it can be run again to apply changed passwords:
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/10-civicpulse.sh
# Connection settings come from the usual libpq variables (PGHOST, PGPORT, ...), POSTGRES_USER and
# POSTGRES_DB. The passwords reach the SQL as psql variables (:'name' quotes them as literals).
#
# The image executes this file when it is executable and sources it otherwise (a checkout that lost
# the mode bit), so the work runs in a subshell function: its shell options never leak into the
# image's entrypoint.

civicpulse_create_roles() (
set -euo pipefail
psql --no-psqlrc --set=ON_ERROR_STOP=1 --quiet \
    --username="${POSTGRES_USER:-postgres}" --dbname="${POSTGRES_DB:-civicpulse}" \
    --set=intake_password="${CIVIC_INTAKE_DB_PASSWORD:-intake-local}" \
    --set=identity_password="${CIVIC_IDENTITY_DB_PASSWORD:-identity-local}" \
    --set=scorer_password="${CIVIC_SCORER_DB_PASSWORD:-scorer-local}" \
    --set=reporting_password="${CIVIC_REPORTING_DB_PASSWORD:-reporting-local}" <<'SQL'
SET client_min_messages = warning;
BEGIN;

CREATE TEMPORARY TABLE civic_service_roles (role name PRIMARY KEY, password text NOT NULL) ON COMMIT DROP;
INSERT INTO civic_service_roles VALUES
    ('intake', :'intake_password'),
    ('identity', :'identity_password'),
    ('scorer', :'scorer_password'),
    ('reporting', :'reporting_password');

-- Only the service roles (and superusers) may connect; nobody creates objects in public.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Roles: created when missing, password (re)set every time.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT', role)
FROM civic_service_roles WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role) \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', role, password) FROM civic_service_roles \gexec

-- Each role owns its schema, may connect, and finds its own tables first.
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', role, role) FROM civic_service_roles \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', role, role) FROM civic_service_roles \gexec
SELECT format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', role) FROM civic_service_roles \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), role) FROM civic_service_roles \gexec
SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', role, current_database(), role)
FROM civic_service_roles \gexec

-- reporting's audit trail belongs to civic_audit_owner, a role nobody logs in as: reporting may only append
-- and read entries, and purge those past retention through a SECURITY DEFINER function. Kept verbatim as
-- AuditTrail.ownerSetupSQL (Services/Reporting/Core/Access/AuditTrail.swift), which reporting's migration 16 runs
-- when it runs as a superuser (the tests); a test compares the two. Reporting's migration 16 moves older entries over.
SELECT 'CREATE ROLE civic_audit_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'civic_audit_owner') \gexec
-- begin AuditTrail.ownerSetupSQL
CREATE SCHEMA IF NOT EXISTS reporting_audit AUTHORIZATION civic_audit_owner;
REVOKE ALL ON SCHEMA reporting_audit FROM PUBLIC;
CREATE TABLE IF NOT EXISTS reporting_audit.audit_log (
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
CREATE INDEX IF NOT EXISTS audit_log_agency ON reporting_audit.audit_log (agency, id);
CREATE INDEX IF NOT EXISTS audit_log_at ON reporting_audit.audit_log (at);
-- Only the owner (inside purge_audit_log) may delete; nobody may update or truncate.
CREATE OR REPLACE FUNCTION reporting_audit.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'DELETE' AND current_user = 'civic_audit_owner' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'reporting_audit.audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $fn$;
CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON reporting_audit.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_audit.audit_log_append_only();
CREATE OR REPLACE FUNCTION reporting_audit.purge_audit_log(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    purged bigint;
BEGIN
    DELETE FROM reporting_audit.audit_log WHERE at < LEAST(cutoff, now() - interval '365 days');
    GET DIAGNOSTICS purged = ROW_COUNT;
    RETURN purged;
END $fn$;
ALTER TABLE reporting_audit.audit_log OWNER TO civic_audit_owner;
ALTER FUNCTION reporting_audit.audit_log_append_only() OWNER TO civic_audit_owner;
ALTER FUNCTION reporting_audit.purge_audit_log(timestamptz) OWNER TO civic_audit_owner;
REVOKE ALL ON FUNCTION reporting_audit.purge_audit_log(timestamptz) FROM PUBLIC;
-- end AuditTrail.ownerSetupSQL
GRANT USAGE ON SCHEMA reporting_audit TO reporting;
GRANT SELECT, INSERT ON reporting_audit.audit_log TO reporting;
GRANT USAGE ON SEQUENCE reporting_audit.audit_log_id_seq TO reporting;
GRANT EXECUTE ON FUNCTION reporting_audit.purge_audit_log(timestamptz) TO reporting;

COMMIT;
SQL
echo "civicpulse: roles and schemas intake, identity, scorer, reporting ready in database ${POSTGRES_DB:-civicpulse}"
echo "civicpulse: reporting's audit trail (schema reporting_audit) owned by civic_audit_owner"
)

civicpulse_create_roles

/** Bumped when the schema changes incompatibly; a store with another version is refused, not corrupted. */
export const SCHEMA_VERSION = 1;

const EVENT_COLUMN_TYPES = `
  event_id VARCHAR NOT NULL,
  time TIMESTAMP NOT NULL,
  action VARCHAR NOT NULL,
  service VARCHAR NOT NULL,
  event_source VARCHAR NOT NULL,
  event_name VARCHAR NOT NULL,
  principal_key VARCHAR NOT NULL,
  principal_name VARCHAR NOT NULL,
  principal_type VARCHAR NOT NULL,
  account_id VARCHAR,
  role_arn VARCHAR,
  session_name VARCHAR,
  region VARCHAR NOT NULL,
  source_ip VARCHAR NOT NULL,
  user_agent VARCHAR NOT NULL,
  read_only BOOLEAN,
  error_code VARCHAR,
  error_message VARCHAR,
  resources VARCHAR[] NOT NULL,
  access_key_id VARCHAR,
  session_key VARCHAR,
  event_type VARCHAR NOT NULL,
  recipient_account_id VARCHAR,
  source_file VARCHAR,
  raw VARCHAR NOT NULL`;

export const SCHEMA_DDL = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS events (${EVENT_COLUMN_TYPES})`,
  `CREATE TABLE IF NOT EXISTS ingest_runs (
     run_id INTEGER PRIMARY KEY,
     source VARCHAR NOT NULL,
     started TIMESTAMP NOT NULL,
     finished TIMESTAMP,
     inputs INTEGER NOT NULL DEFAULT 0,
     unchanged_inputs INTEGER NOT NULL DEFAULT 0,
     events_read BIGINT NOT NULL DEFAULT 0,
     events_added BIGINT NOT NULL DEFAULT 0,
     duplicates BIGINT NOT NULL DEFAULT 0,
     skipped BIGINT NOT NULL DEFAULT 0)`,
  // Every skipped input, with where and why; duplicates are counted in ingest_runs and listed here too.
  `CREATE TABLE IF NOT EXISTS skips (run_id INTEGER NOT NULL, location VARCHAR NOT NULL, reason VARCHAR NOT NULL, detail VARCHAR NOT NULL)`,
  // Inputs read completely, so re-ingesting an unchanged folder does not read it again.
  `CREATE TABLE IF NOT EXISTS inputs (id VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, source VARCHAR NOT NULL, run_id INTEGER NOT NULL)`,
  // Resume tokens of long API pulls (LookupEvents), one per source.
  `CREATE TABLE IF NOT EXISTS checkpoints (source VARCHAR PRIMARY KEY, checkpoint VARCHAR NOT NULL, updated TIMESTAMP NOT NULL)`,
];

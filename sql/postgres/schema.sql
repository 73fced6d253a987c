-- mmflow serving schema for PostgreSQL. Applied by the runner before each job (idempotent).
-- Keys make replays harmless: sinks upsert on them, so a re-run or a restart leaves one row.
--
-- The tables results, dead_letters and fused_results are declared once, in core's
-- io.mmflow.core.schema (ResultSchema, DeadLetterSchema, FusedSchema); their CREATE TABLE is derived
-- by connectors' PostgresTable and runs before this file (PostgresSchema.apply). This file holds
-- what builds on them: indexes, views, late_results (a copy of results), and the tables declared
-- nowhere else. PostgresSchema.ddl() returns the whole DDL, derived tables first.

CREATE INDEX IF NOT EXISTS results_correlation_idx ON results (correlation_id);
CREATE INDEX IF NOT EXISTS results_event_time_idx ON results (event_time);

-- What models cost, per provider, model and day (remote calls; cache hits are free)
CREATE OR REPLACE VIEW model_costs AS
SELECT provider,
       model_id,
       model_version,
       date_trunc('day', finished_at)          AS day,
       count(*)                                AS results,
       count(*) FILTER (WHERE cache_hit)       AS cache_hits,
       count(*) FILTER (WHERE status = 'error') AS errors,
       sum(input_tokens)                       AS input_tokens,
       sum(output_tokens)                      AS output_tokens,
       sum(cost_usd)                           AS cost_usd
FROM results
GROUP BY provider, model_id, model_version, date_trunc('day', finished_at);

CREATE INDEX IF NOT EXISTS dead_letters_code_idx ON dead_letters (error_code);

-- Serves fused_latest: per correlation id, the rows in the view's order
CREATE INDEX IF NOT EXISTS fused_results_latest_idx
    ON fused_results (correlation_id, window_end DESC, fused_at DESC, window_start);

-- The latest fused view per correlation id: the window with the latest end, then the latest fusion
-- (a session window that merged with an earlier one leaves the earlier row behind; this skips it)
CREATE OR REPLACE VIEW fused_latest AS
SELECT DISTINCT ON (correlation_id)
       correlation_id, window_start, window_end, modalities_present, modalities_missing,
       sentiment_label, sentiment_score, sentiment_confidence, sentiment_contributing_modalities,
       consistency, strategy, status, result_count, fused_at, schema_version, updated_at, run_id
FROM fused_results
ORDER BY correlation_id, window_end DESC, fused_at DESC, window_start;

-- Results that came after their fusion window closed (past the allowed lateness): the columns,
-- defaults, key and indexes of results, copied when the table is created (so after those indexes)
CREATE TABLE IF NOT EXISTS late_results (LIKE results INCLUDING ALL);

-- remote_answers (the remote answer cache across runs) is declared and created by operators' PostgresAnswerStore.

-- What each run's remote calls cost, per provider and model (written when the job ends; a later
-- run over the same items overwrites the cost columns of results, not these rows)
CREATE TABLE IF NOT EXISTS job_costs (
    job_id        text NOT NULL,
    job_name      text NOT NULL,
    provider      text NOT NULL,
    model_id      text NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL,
    results       bigint NOT NULL,
    cache_hits    bigint NOT NULL,
    errors        bigint NOT NULL,
    input_tokens  bigint NOT NULL,
    output_tokens bigint NOT NULL,
    cost_usd      double precision NOT NULL,
    PRIMARY KEY (job_id, provider, model_id)
);

-- Spend per day, provider and model over all runs
CREATE OR REPLACE VIEW daily_costs AS
SELECT date_trunc('day', finished_at) AS day,
       provider,
       model_id,
       count(DISTINCT job_id)         AS jobs,
       sum(results)                   AS results,
       sum(cache_hits)                AS cache_hits,
       sum(errors)                    AS errors,
       sum(input_tokens)              AS input_tokens,
       sum(output_tokens)             AS output_tokens,
       sum(cost_usd)                  AS cost_usd
FROM job_costs
GROUP BY date_trunc('day', finished_at), provider, model_id;

-- Dead letters per code per run (job_runs is derived from its declaration, JobRunSchema)
CREATE OR REPLACE VIEW run_dead_letters AS
SELECT r.run_id, r.job, r.finished_at, d.key AS error, d.value::bigint AS n
FROM job_runs r, jsonb_each_text(r.dead_letters_by_code) AS d;

-- What changed between a job's consecutive runs on the same input: settings, counts, spend
CREATE OR REPLACE VIEW run_changes AS
SELECT job, input, run_id, finished_at,
       config_digest <> lag(config_digest) OVER w AS settings_changed,
       results - lag(results) OVER w             AS results_change,
       dead_letters - lag(dead_letters) OVER w   AS dead_letters_change,
       cost_usd
FROM job_runs
WINDOW w AS (PARTITION BY job, input ORDER BY started_at);

-- Lineage of each result: which model version and provider produced it, at what cost, and the run
-- that wrote it (run_id: the Flink job id) with that run's build and settings. A row written
-- before runs were recorded has no run: its run columns are null.
CREATE OR REPLACE VIEW result_lineage AS
SELECT r.item_id, r.part_id, r.task, r.status, r.error_code, r.provider, r.model_id,
       r.model_version, r.cache_hit, r.input_tokens, r.output_tokens, r.cost_usd, r.source_uri,
       r.finished_at, r.run_id, j.job, j.mmflow_version, j.config_digest, j.input AS run_input,
       j.started_at AS run_started_at
FROM results r
LEFT JOIN job_runs j ON j.run_id = r.run_id;

-- What each run wrote that still stands (a later run over the same keys takes its rows over):
-- results, errors and spend per run, task, provider and model version
CREATE OR REPLACE VIEW run_results AS
SELECT run_id, task, provider, model_id, model_version,
       count(*)                                 AS results,
       count(*) FILTER (WHERE status = 'error') AS errors,
       count(*) FILTER (WHERE cache_hit)        AS cache_hits,
       sum(cost_usd)                            AS cost_usd
FROM results
GROUP BY run_id, task, provider, model_id, model_version;

-- Backfills (bin/mmflow backfill): one row per backfill, with what it selected, its plan and its
-- state (planned, running, finished, published, discarded); main_snapshots holds, once published,
-- the snapshot each Iceberg table's main pointed at before, for a rollback
CREATE TABLE IF NOT EXISTS backfills (
    backfill_id       text PRIMARY KEY,
    created_at        timestamptz NOT NULL,
    status            text NOT NULL,
    selection         jsonb NOT NULL,
    settings          jsonb NOT NULL DEFAULT '{}',
    items             bigint NOT NULL,
    pages             bigint NOT NULL,
    planned_results   bigint NOT NULL,
    estimated_usd     double precision NOT NULL,
    estimated_seconds double precision,
    main_snapshots    jsonb,
    updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The inputs a backfill re-reads, fixed when it is planned
CREATE TABLE IF NOT EXISTS backfill_items (
    backfill_id text NOT NULL REFERENCES backfills (backfill_id) ON DELETE CASCADE,
    source_uri  text NOT NULL,
    PRIMARY KEY (backfill_id, source_uri)
);

-- Each run of a backfill (a resumed one has several), recorded when it starts: its rows carry
-- this run_id, and the next run resumes from its last checkpoint
CREATE TABLE IF NOT EXISTS backfill_runs (
    backfill_id text NOT NULL REFERENCES backfills (backfill_id) ON DELETE CASCADE,
    run_id      text NOT NULL,
    started_at  timestamptz NOT NULL,
    checkpoints text NOT NULL,
    status      text NOT NULL,
    PRIMARY KEY (backfill_id, run_id)
);

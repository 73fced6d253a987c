-- mmflow serving schema for PostgreSQL. Applied by the runner before each job (idempotent).
-- Keys make replays harmless: sinks upsert on them, so a re-run or a restart leaves one row.

CREATE TABLE IF NOT EXISTS results (
    item_id          text        NOT NULL,
    part_id          text        NOT NULL,
    task             text        NOT NULL,
    model_version    text        NOT NULL,
    correlation_id   text        NOT NULL,
    modality         text        NOT NULL,
    status           text        NOT NULL,
    text             text,
    language         text,
    page_count       integer,
    confidence       double precision,
    calibration      text,
    labels           jsonb       NOT NULL DEFAULT '[]',
    entities         jsonb       NOT NULL DEFAULT '[]',
    embedding        real[],
    provider         text        NOT NULL,
    model_id         text        NOT NULL,
    source_uri       text,
    content_sha256   text,
    cache_hit        boolean     NOT NULL DEFAULT false,
    event_time       timestamptz NOT NULL,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz NOT NULL,
    latency_ms       bigint      NOT NULL,
    input_tokens     bigint      NOT NULL DEFAULT 0,
    output_tokens    bigint      NOT NULL DEFAULT 0,
    cost_usd         double precision NOT NULL DEFAULT 0,
    error_code       text,
    error_message    text,
    error_retryable  boolean,
    attributes       jsonb       NOT NULL DEFAULT '{}',
    schema_version   integer     NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, part_id, task, model_version)
);
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

CREATE TABLE IF NOT EXISTS dead_letters (
    item_id          text        NOT NULL,
    part_id          text        NOT NULL,
    stage            text        NOT NULL,
    correlation_id   text,
    source_uri       text,
    error_code       text        NOT NULL,
    error_name       text        NOT NULL,
    category         text        NOT NULL,
    message          text        NOT NULL,
    retryable        boolean     NOT NULL,
    media_type       text,
    size_bytes       bigint      NOT NULL,
    content_sha256   text,
    occurred_at      timestamptz NOT NULL,
    payload          bytea,
    PRIMARY KEY (item_id, part_id, stage)
);
CREATE INDEX IF NOT EXISTS dead_letters_code_idx ON dead_letters (error_code);

-- Fused results of the feeds job: one row per correlation id and event-time window. A window that
-- fires again (late results within the allowed lateness) replaces its row.
CREATE TABLE IF NOT EXISTS fused_results (
    correlation_id                    text        NOT NULL,
    window_start                      timestamptz NOT NULL,
    window_end                        timestamptz NOT NULL,
    modalities_present                text[]      NOT NULL DEFAULT '{}',
    modalities_missing                text[]      NOT NULL DEFAULT '{}',
    sentiment_label                   text,
    sentiment_score                   double precision,
    sentiment_confidence              double precision,
    sentiment_contributing_modalities text[],
    consistency                       double precision,
    strategy                          text        NOT NULL,
    status                            text        NOT NULL,
    result_count                      integer     NOT NULL,
    fused_at                          timestamptz NOT NULL,
    schema_version                    integer     NOT NULL,
    updated_at                        timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (correlation_id, window_start)
);
-- Serves fused_latest: per correlation id, the rows in the view's order
CREATE INDEX IF NOT EXISTS fused_results_latest_idx
    ON fused_results (correlation_id, window_end DESC, fused_at DESC, window_start);

-- The latest fused view per correlation id: the window with the latest end, then the latest fusion
-- (a session window that merged with an earlier one leaves the earlier row behind; this skips it)
CREATE OR REPLACE VIEW fused_latest AS
SELECT DISTINCT ON (correlation_id)
       correlation_id, window_start, window_end, modalities_present, modalities_missing,
       sentiment_label, sentiment_score, sentiment_confidence, sentiment_contributing_modalities,
       consistency, strategy, status, result_count, fused_at, schema_version, updated_at
FROM fused_results
ORDER BY correlation_id, window_end DESC, fused_at DESC, window_start;

-- Results that came after their fusion window closed (past the allowed lateness): the columns,
-- defaults, key and indexes of results, copied when the table is created
CREATE TABLE IF NOT EXISTS late_results (LIKE results INCLUDING ALL);

-- The remote answer cache across runs (mmflow.remote.cache.postgres): an answer per exact cache
-- key (content + task + model + model version + prompt), served while younger than
-- mmflow.remote.cache.ttl. The remote operator creates it too, with the same statement.
CREATE TABLE IF NOT EXISTS remote_answers (
    cache_key  text PRIMARY KEY,
    model_id   text NOT NULL,
    task       text NOT NULL,
    answer     jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

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

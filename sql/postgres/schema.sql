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

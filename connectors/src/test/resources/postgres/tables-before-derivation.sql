-- The serving tables as sql/postgres/schema.sql created them before they were derived from
-- io.mmflow.core.schema: the compatibility anchor of existing databases (PostgresSinksTest).
-- A column added to a declaration fails the comparison on purpose: CREATE TABLE IF NOT EXISTS does
-- not add it to a database in use, which needs an ALTER TABLE too (then append it here as well).

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

CREATE TABLE IF NOT EXISTS late_results (LIKE results INCLUDING ALL);

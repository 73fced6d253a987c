-- Analyst queries over the mmflow Iceberg tables in Flink SQL (batch mode).
-- Run one with: bin/mmflow query iceberg "<query>"

-- Documents per detected language and task
SELECT task, `language`, count(*) AS documents
FROM results
GROUP BY task, `language`;

-- Pages and characters extracted per media type
SELECT attributes['media_type'] AS media_type,
       count(*) AS documents,
       sum(page_count) AS pages,
       sum(CAST(attributes['characters'] AS BIGINT)) AS characters
FROM results
WHERE task = 'extraction'
GROUP BY attributes['media_type'];

-- Truncated extractions (the write limit cut the text)
SELECT source_uri, attributes['characters'] AS characters
FROM results
WHERE attributes['truncated'] = 'true';

-- Dead letters by error code, with an example input of each
SELECT error_code, error_name, category, count(*) AS n, min(source_uri) AS example
FROM dead_letters
GROUP BY error_code, error_name, category;

-- Slowest extractions
SELECT source_uri, latency_ms FROM results ORDER BY latency_ms DESC LIMIT 10;

-- Fused sentiment per day: windows per winning label, mean score, confidence and cross-modal
-- consistency (window_start is a TIMESTAMP_LTZ: the day is in the session's time zone)
SELECT CAST(window_start AS DATE) AS `day`,
       sentiment_label,
       count(*) AS windows,
       avg(sentiment_score) AS score,
       avg(sentiment_confidence) AS confidence,
       avg(consistency) AS consistency
FROM fused_results
WHERE sentiment_label IS NOT NULL
GROUP BY CAST(window_start AS DATE), sentiment_label;

-- The jobs' runs, newest first, with what each read, wrote, rejected and spent
SELECT run_id, job, `input`, status, started_at, items_read, results, dead_letters, cost_usd
FROM job_runs
ORDER BY started_at DESC;

-- Which model version and provider produced each result, at what cost, and in which run (with
-- that run's build and settings); run_id is the Flink job id of the run that wrote the row
SELECT r.item_id, r.task, r.provider, r.model_id, r.model_version, r.cost_usd, r.run_id,
       j.job, j.mmflow_version, j.config_digest
FROM results AS r
LEFT JOIN job_runs AS j ON j.run_id = r.run_id;

-- What each run wrote that still stands: results, errors and spend per run, task and model
SELECT run_id, task, provider, model_version, count(*) AS results,
       sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS errors, sum(cost_usd) AS cost_usd
FROM results
GROUP BY run_id, task, provider, model_version;

-- Dead letters per code per run, from the rows themselves (the latest run to reject each input)
SELECT run_id, error_code, error_name, count(*) AS n
FROM dead_letters
GROUP BY run_id, error_code, error_name;

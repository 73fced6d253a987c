-- Analyst queries over the mmflow Iceberg tables in Trino (catalog mmflow, schema mmflow).

-- Documents per language
SELECT task, language, count(*) AS documents
FROM mmflow.mmflow.results
GROUP BY task, language
ORDER BY documents DESC;

-- Labels with their scores, one row per label (UNNEST of the nested list)
SELECT r.item_id, r.task, l.label, l.score
FROM mmflow.mmflow.results AS r
CROSS JOIN UNNEST(r.labels) AS l (label, score);

-- Dead letters of the last day by error code
SELECT error_code, error_name, count(*) AS n
FROM mmflow.mmflow.dead_letters
WHERE occurred_at > current_timestamp - INTERVAL '1' DAY
GROUP BY error_code, error_name
ORDER BY n DESC;

-- Results per model version (a backfill with a new model adds rows under its version)
SELECT task, provider, model_id, model_version, count(*) AS n
FROM mmflow.mmflow.results
GROUP BY task, provider, model_id, model_version;

-- The table's commits (one per checkpoint of a job): what a time-travel query can go back to
-- (SELECT ... FROM mmflow.mmflow.results FOR VERSION AS OF <snapshot_id>)
SELECT snapshot_id, committed_at, operation, element_at(summary, 'added-records') AS added_records
FROM mmflow.mmflow."results$snapshots"
ORDER BY committed_at;

-- Dead letters per code and stage, with an example input
SELECT error_code, stage, count(*) AS n, min(source_uri) AS example
FROM mmflow.mmflow.dead_letters
GROUP BY error_code, stage
ORDER BY n DESC;

-- The jobs' runs: what ran, on which input and settings, what came of it, what it cost
SELECT run_id, job, input, status, started_at, finished_at, items_read, results, dead_letters,
       cost_usd, mmflow_version, config_digest
FROM mmflow.mmflow.job_runs
ORDER BY started_at DESC;

-- Dead letters per code per run
SELECT r.run_id, r.job, r.finished_at, d.code, CAST(d.n AS bigint) AS n
FROM mmflow.mmflow.job_runs AS r
CROSS JOIN UNNEST(r.dead_letters_by_code) AS d (code, n)
ORDER BY r.finished_at DESC, n DESC;

-- What changed between a job's consecutive runs on the same input: settings, counts, spend
SELECT job, input, run_id, finished_at,
       config_digest <> lag(config_digest) OVER (PARTITION BY job, input ORDER BY started_at)
         AS settings_changed,
       results - lag(results) OVER (PARTITION BY job, input ORDER BY started_at) AS results_change,
       dead_letters - lag(dead_letters) OVER (PARTITION BY job, input ORDER BY started_at)
         AS dead_letters_change,
       cost_usd
FROM mmflow.mmflow.job_runs
ORDER BY job, input, started_at;

-- Which model version and provider produced each result, at what cost, and in which run (with
-- that run's build and settings); run_id is the Flink job id of the run that wrote the row
SELECT r.item_id, r.task, r.provider, r.model_id, r.model_version, r.cost_usd, r.run_id,
       j.job, j.mmflow_version, j.config_digest, j.started_at AS run_started_at
FROM mmflow.mmflow.results AS r
LEFT JOIN mmflow.mmflow.job_runs AS j ON j.run_id = r.run_id
ORDER BY r.item_id, r.task;

-- What each run wrote that still stands: results, errors and spend per run, task and model
SELECT run_id, task, provider, model_version, count(*) AS results,
       count_if(status = 'error') AS errors, sum(cost_usd) AS cost_usd
FROM mmflow.mmflow.results
GROUP BY run_id, task, provider, model_version
ORDER BY run_id, task;

-- Spend per day, provider and model (remote calls; cache hits cost nothing)
SELECT date_trunc('day', finished_at) AS day, provider, model_id, count(*) AS results,
       count_if(cache_hit) AS cache_hits, sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd
FROM mmflow.mmflow.results
GROUP BY 1, 2, 3
ORDER BY day DESC, cost_usd DESC;


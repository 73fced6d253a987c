-- Queries applications run on the serving PostgreSQL. Run one with:
--   bin/mmflow query postgres "<query>"

-- The latest results of one item
SELECT task, model_version, status, language, left(text, 200) AS text, updated_at
FROM results WHERE item_id = $1 ORDER BY updated_at DESC;

-- Results with a given label above a score (labels is jsonb [{"label":..., "score":...}])
SELECT item_id, task, l->>'score' AS score
FROM results, jsonb_array_elements(labels) AS l
WHERE l->>'label' = 'negative' AND (l->>'score')::float > 0.8;

-- Dead letters by code
SELECT error_code, error_name, category, count(*) FROM dead_letters GROUP BY 1, 2, 3 ORDER BY 4 DESC;

-- The latest fused view of one conversation (fused_latest: its window with the latest end)
SELECT correlation_id, window_start, window_end, sentiment_label, sentiment_score,
       sentiment_confidence, consistency, modalities_present, modalities_missing, status, fused_at
FROM fused_latest WHERE correlation_id = $1;

-- Its windows over time, newest first
SELECT window_start, window_end, sentiment_label, sentiment_score, consistency, status
FROM fused_results WHERE correlation_id = $1 ORDER BY window_end DESC, fused_at DESC;

-- Late results (after the allowed lateness) per day and modality
SELECT date_trunc('day', event_time) AS day, modality, count(*) AS late
FROM late_results GROUP BY 1, 2 ORDER BY 1 DESC, 2;

-- The last runs, with what changed since the one before on the same input
SELECT job, input, run_id, finished_at, settings_changed, results_change, dead_letters_change
FROM run_changes ORDER BY finished_at DESC LIMIT 20;

-- Dead letters per code of the last run
SELECT error, n FROM run_dead_letters
WHERE run_id = (SELECT run_id FROM job_runs ORDER BY finished_at DESC LIMIT 1)
ORDER BY n DESC;

-- Where one item's results came from: model version, provider, cost and the run that wrote them
SELECT task, provider, model_id, model_version, cost_usd, run_id, job, mmflow_version,
       run_started_at
FROM result_lineage WHERE item_id = $1;

-- What each run wrote that still stands, newest run first
SELECT rr.run_id, j.job, j.started_at, rr.task, rr.model_version, rr.results, rr.errors, rr.cost_usd
FROM run_results rr LEFT JOIN job_runs j USING (run_id)
ORDER BY j.started_at DESC NULLS LAST, rr.task;

-- mmflow in Flink SQL, a cookbook (1/2): documents and scans, in batch mode. Run it with
--   bin/mmflow sql -f sql/flink/cookbook-documents.sql --var SCANS=datasets/documents/scans
-- (bin/mmflow sql loads the mmflow module and uses the results tables' Iceberg catalog; in Flink's
-- own SQL client run `LOAD MODULE mmflow;` and sql/flink/create-catalog.sql first.)
-- Every statement here runs in a test (jobs: SqlCookbookITCase).

-- 1. OCR a bucket (or folder) of scans into the results table ---------------------------------
-- One row per object; the bytes are read because the query needs them (content).
CREATE TEMPORARY TABLE scans (
  source_uri STRING,
  content BYTES,
  event_time TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'mmflow-media',
  'path' = '${SCANS}',
  'include' = '*.png;*.pdf'
);

-- The rows the documents job writes for each object (one per page, then the document's), under the
-- job's keys: a rerun, or the job over the same objects, replaces them (upsert on the key).
INSERT INTO results /*+ OPTIONS('upsert-enabled' = 'true') */
SELECT r.*
FROM scans,
  LATERAL TABLE(MMF_RESULTS(scans.content, scans.source_uri, scans.event_time)) AS r;

-- What OCR read, page by page, with its calibrated confidence (the object's name: the end of its URI).
SELECT REGEXP_EXTRACT(source_uri, '[^/]+$', 0) AS object, part_id, confidence,
  CHAR_LENGTH(text) AS characters
FROM results
WHERE task = 'ocr';

-- 2. A per-language count over the results ------------------------------------------------------
-- Pages read by OCR carry no language of their own: MMF_LANGUAGE tells it from their text.
SELECT lang, task, count(*) AS n
FROM (
  SELECT COALESCE(`language`, MMF_LANGUAGE(text)) AS lang, task
  FROM results
  WHERE status <> 'error'
)
GROUP BY lang, task;

-- mmflow in Flink SQL, a cookbook (2/2): models through ML_PREDICT, in streaming mode (ML_PREDICT
-- runs in streaming mode only): feed posts from Kafka, images captioned by a remote vision model.
-- Run it with
--   bin/mmflow sql --streaming -f sql/flink/cookbook-feeds.sql --var KAFKA=127.0.0.1:9092 \
--       --var TOPIC=mmflow-feed --var IMAGES=datasets/documents/scans --var PROVIDERS=providers.yaml
-- (PROVIDERS: an OpenAI-compatible providers file with a caption model, docs/remote.md)
-- The Kafka table reads what is in the topic and ends ('scan.bounded.mode'); leave that option
-- out and the INSERT runs on as new posts arrive (results committed at each checkpoint).
-- Every statement here runs in a test (jobs: SqlCookbookITCase).

-- 2. Sentiment of feed posts in a streaming INSERT ----------------------------------------------
-- Feed events (docs/feeds.md) as a Kafka table; each part a row.
CREATE TEMPORARY TABLE feed_events (
  item_id STRING,
  correlation_id STRING,
  parts ARRAY<ROW<part_id STRING, media_type STRING, `text` STRING>>
) WITH (
  'connector' = 'kafka',
  'topic' = '${TOPIC}',
  'properties.bootstrap.servers' = '${KAFKA}',
  'properties.group.id' = 'mmflow-sql-cookbook',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

CREATE TEMPORARY VIEW posts AS
SELECT e.item_id, p.part_id, p.`text` AS post
FROM feed_events AS e CROSS JOIN UNNEST(e.parts) AS p (part_id, media_type, `text`)
WHERE p.`text` IS NOT NULL;

-- A registry text model (ONNX Runtime) through the jobs' own text stage, micro-batched.
CREATE TEMPORARY MODEL sentiment
INPUT (post STRING)
OUTPUT (label STRING, score DOUBLE, confidence DOUBLE, `language` STRING, status STRING)
WITH ('provider' = 'mmflow', 'model' = 'sentiment-en');

CREATE TABLE IF NOT EXISTS post_sentiment (
  item_id STRING NOT NULL,
  part_id STRING NOT NULL,
  label STRING,
  confidence DOUBLE,
  `language` STRING,
  PRIMARY KEY (item_id, part_id) NOT ENFORCED
) WITH ('format-version' = '2', 'write.upsert.enabled' = 'true');

INSERT INTO post_sentiment
SELECT item_id, part_id, label, confidence, `language`
FROM ML_PREDICT(TABLE posts, MODEL sentiment, DESCRIPTOR(post));

-- 3. Text functions on any column ---------------------------------------------------------------
SELECT MMF_LANGUAGE(post) AS detected, MMF_REDACT(post) AS redacted, CARDINALITY(MMF_PII(post)) AS pii
FROM posts;

-- 4. Images captioned by a remote vision model, with a budget -----------------------------------
-- Each image's bytes go to the providers file's caption model through the jobs' remote stage
-- (cache, routing, retries, breakers, rate limits); past the budget, rows are MMF-2007 errors.
CREATE TEMPORARY TABLE images (
  source_uri STRING,
  content BYTES
) WITH (
  'connector' = 'mmflow-media',
  'path' = '${IMAGES}',
  'include' = '*.png;*.jpg;*.jpeg;*.webp'
);

CREATE TEMPORARY MODEL captioner
INPUT (image BYTES)
OUTPUT (text STRING, cost_usd DOUBLE, status STRING, error_code STRING)
WITH (
  'provider' = 'mmflow',
  'task' = 'caption',
  'mmflow.remote.providers' = '${PROVIDERS}',
  'mmflow.remote.budget-usd' = '0.50'
);

SELECT REGEXP_EXTRACT(source_uri, '[^/]+$', 0) AS object, text AS caption, cost_usd, status,
  error_code
FROM ML_PREDICT(TABLE images, MODEL captioner, DESCRIPTOR(content));

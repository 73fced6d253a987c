-- Register the mmflow Iceberg catalog in a Flink SQL session (sql-client.sh or a TableEnvironment).
-- The embedded default is a Hadoop catalog in the local warehouse folder; replace the warehouse
-- path with yours (bin/mmflow prints it after each run), or use a JDBC/REST catalog shared with Trino.
-- Needs iceberg-flink-runtime-2.1 on the SQL client's classpath.

CREATE CATALOG mmflow WITH (
  'type' = 'iceberg',
  'catalog-type' = 'hadoop',
  'warehouse' = 'file:///path/to/mmflow/.data/warehouse'
);

USE CATALOG mmflow;
USE mmflow;

-- `language` is a reserved word in Flink SQL: quote it with backticks.
SELECT task, `language`, count(*) AS n FROM results GROUP BY task, `language`;

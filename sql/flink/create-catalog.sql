-- Register the mmflow Iceberg catalog in a Flink SQL session of your own (sql-client.sh or a
-- TableEnvironment; bin/mmflow sql has done it). mmflow's default catalog is a JDBC catalog in
-- the serving PostgreSQL (the embedded one: localhost:54329, database postgres, while a job,
-- bin/mmflow sql or bin/mmflow trino runs), the one Trino reads too. Replace the URL and the
-- warehouse with yours (bin/mmflow trino --print-catalog prints both).
-- Needs iceberg-flink-runtime-2.1 and the PostgreSQL JDBC driver on the SQL client's classpath.

CREATE CATALOG mmflow WITH (
  'type' = 'iceberg',
  'catalog-impl' = 'org.apache.iceberg.jdbc.JdbcCatalog',
  'uri' = 'jdbc:postgresql://localhost:54329/postgres?user=postgres',
  'jdbc.schema-version' = 'V1',
  'warehouse' = 'file:///path/to/mmflow/.data/warehouse'
);

USE CATALOG mmflow;
USE mmflow;

-- `language` is a reserved word in Flink SQL: quote it with backticks.
SELECT task, `language`, count(*) AS n FROM results GROUP BY task, `language`;

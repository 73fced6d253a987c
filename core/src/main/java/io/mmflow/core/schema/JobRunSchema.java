package io.mmflow.core.schema;

import static io.mmflow.core.schema.ColumnType.DOUBLE;
import static io.mmflow.core.schema.ColumnType.LONG;
import static io.mmflow.core.schema.ColumnType.STRING;
import static io.mmflow.core.schema.ColumnType.TIMESTAMP;
import static io.mmflow.core.schema.ColumnType.mapOf;

import io.mmflow.core.model.JobRun;
import java.util.List;

/** The table of {@link JobRun}s: one row per run of a job. Column reference: docs/schema.md. */
public final class JobRunSchema {
  private JobRunSchema() {}

  /** One row per run; a few a day, so not partitioned. */
  public static final TableSchema<JobRun> TABLE =
      TableSchema.of(
          "one row per run of a job",
          Columns.of(JobRun.class)
              .required(1, "run_id", STRING, "runId", JobRun::runId)
              .doc("the Flink job id")
              .required(2, "job", STRING, "job", JobRun::job)
              .required(3, "job_name", STRING, "jobName", JobRun::jobName)
              .required(4, "mmflow_version", STRING, "mmflowVersion", JobRun::mmflowVersion)
              .required(5, "config_digest", STRING, "configDigest", JobRun::configDigest)
              .doc("SHA-256 of the settings, secrets left out")
              .optional(6, "input", STRING, "input", JobRun::input)
              .required(7, "target", STRING, "target", JobRun::target)
              .required(8, "started_at", TIMESTAMP, "startedAt", JobRun::startedAt)
              .required(9, "finished_at", TIMESTAMP, "finishedAt", JobRun::finishedAt)
              .required(10, "status", STRING, "status", JobRun::status)
              .required(11, "items_read", LONG, "itemsRead", JobRun::itemsRead)
              .required(12, "items_done", LONG, "itemsDone", JobRun::itemsDone)
              .required(13, "results", LONG, "results", JobRun::results)
              .required(14, "pages", LONG, "pages", JobRun::pages)
              .required(15, "dead_letters", LONG, "deadLetters", JobRun::deadLetters)
              .required(
                  16,
                  "dead_letters_by_code",
                  mapOf(17, STRING, 18, STRING),
                  "deadLettersByCode",
                  JobRun::deadLettersByCode)
              .required(19, "cost_usd", DOUBLE, "costUsd", JobRun::costUsd),
          List.of("run_id"),
          List.of());
}

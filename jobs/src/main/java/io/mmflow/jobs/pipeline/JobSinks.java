package io.mmflow.jobs.pipeline;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.sink.iceberg.IcebergSinks;
import io.mmflow.connectors.sink.postgres.PostgresSinks;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.operators.metrics.ResultMetrics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Attaches the configured sinks (Iceberg, Postgres) to a job's streams: results and dead letters,
 * and a fusing job's fused and late results. Results pass {@link ResultMetrics} on their way, the
 * metrics by modality, task, provider and model.
 */
public final class JobSinks {
  private JobSinks() {}

  public static void attach(
      DataStream<ModalityResult> results,
      DataStream<DeadLetter> deadLetters,
      Configuration config,
      PostgresConnection postgres) {
    results = results.map(new ResultMetrics()).name("result metrics").uid("result-metrics");
    if (config.get(IcebergOptions.ENABLED)) {
      IcebergSinks.results(results, config);
      IcebergSinks.deadLetters(deadLetters, config);
    }
    if (config.get(PostgresOptions.ENABLED)) {
      results
          .sinkTo(PostgresSinks.results(postgres, config))
          .name("results to Postgres")
          .uid("postgres-results");
      deadLetters
          .sinkTo(PostgresSinks.deadLetters(postgres, config))
          .name("dead letters to Postgres")
          .uid("postgres-dead-letters");
    }
  }

  /**
   * The fusion's outputs: fused results (upserted on correlation id and window start) and the
   * results that came too late for their window (upserted on the results key into the late table).
   */
  public static void fusion(
      DataStream<FusedResult> fused,
      DataStream<ModalityResult> late,
      Configuration config,
      PostgresConnection postgres) {
    if (config.get(IcebergOptions.ENABLED)) {
      IcebergSinks.fused(fused, config);
      IcebergSinks.late(late, config);
    }
    if (config.get(PostgresOptions.ENABLED)) {
      fused
          .sinkTo(PostgresSinks.fused(postgres, config))
          .name("fused results to Postgres")
          .uid("postgres-fused");
      late.sinkTo(PostgresSinks.late(postgres, config))
          .name("late results to Postgres")
          .uid("postgres-late");
    }
  }
}

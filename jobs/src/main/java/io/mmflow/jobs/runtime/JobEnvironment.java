package io.mmflow.jobs.runtime;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresSchema;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RuntimeOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What every job needs before it starts, whether run locally or submitted to a cluster. */
public final class JobEnvironment {
  private JobEnvironment() {}

  /** Flink settings mmflow relies on, unless the user's configuration sets them. */
  public static Configuration flinkConfiguration(Configuration config) {
    Configuration flink = new Configuration(config);
    if (!config.containsKey(RestartStrategyOptions.RESTART_STRATEGY.key())) {
      flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
      flink.set(
          RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
          java.time.Duration.ofSeconds(1));
    }
    return flink;
  }

  /**
   * Parallelism, exactly-once checkpoints and object reuse (the canonical records are immutable).
   */
  public static void configure(StreamExecutionEnvironment env, Configuration config) {
    env.setParallelism(config.get(RuntimeOptions.PARALLELISM));
    env.enableCheckpointing(
        config.get(RuntimeOptions.CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
    env.getConfig().enableObjectReuse();
  }

  /** Creates the Postgres tables and the Iceberg tables when missing. */
  public static void prepareSinks(Configuration config, PostgresConnection postgres) {
    if (config.get(PostgresOptions.ENABLED)) {
      PostgresSchema.apply(postgres);
    }
    if (config.get(IcebergOptions.ENABLED)) {
      IcebergTables.ensureTables(config);
    }
  }

  /** The job's display name. */
  public static String jobName(MmflowJob job, Configuration config) {
    return config.getOptional(RuntimeOptions.JOB_NAME).orElse("mmflow-" + job.name());
  }
}

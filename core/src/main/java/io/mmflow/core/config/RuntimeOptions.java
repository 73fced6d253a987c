package io.mmflow.core.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Where and how a job runs. */
public final class RuntimeOptions {
  public enum Target {
    /** An in-process Flink MiniCluster. */
    LOCAL,
    /** A running Flink cluster at {@link #REMOTE_ADDRESS}. */
    REMOTE
  }

  public static final ConfigOption<Target> TARGET =
      ConfigOptions.key("mmflow.runtime.target")
          .enumType(Target.class)
          .defaultValue(Target.LOCAL)
          .withDescription("local: in-process MiniCluster; remote: the cluster at remote-address.");

  public static final ConfigOption<String> REMOTE_ADDRESS =
      ConfigOptions.key("mmflow.runtime.remote-address")
          .stringType()
          .noDefaultValue()
          .withDescription("host:port of the JobManager's REST endpoint, for target remote.");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("mmflow.runtime.parallelism")
          .intType()
          .defaultValue(2)
          .withDescription("Parallelism of the job's operators.");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("mmflow.runtime.checkpoint-interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(2))
          .withDescription(
              "Checkpoint interval; Iceberg commits (and so visibility) follow checkpoints.");

  public static final ConfigOption<String> DATA_DIR =
      ConfigOptions.key("mmflow.runtime.data-dir")
          .stringType()
          .defaultValue(".data")
          .withDescription(
              "Folder of the embedded defaults: Iceberg warehouse, PostgreSQL data, checkpoints.");

  public static final ConfigOption<String> TRINO_DIR =
      ConfigOptions.key("mmflow.runtime.trino-dir")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Where Trino's server is extracted (bin/mmflow trino, query trino); defaults to"
                  + " <mmflow.runtime.data-dir>/trino. Its settings and data stay in the data"
                  + " folder.");

  public static final ConfigOption<String> JOB_NAME =
      ConfigOptions.key("mmflow.runtime.job-name")
          .stringType()
          .noDefaultValue()
          .withDescription("Name shown in Flink; defaults to mmflow-<job>.");

  /**
   * Where a local run serves its metrics to Prometheus: a port or a range ({@code 9249-9259}, the
   * first free one is taken). A cluster configures Flink's reporter itself (docs/operations.md).
   */
  public static final ConfigOption<String> METRICS_PORT =
      ConfigOptions.key("mmflow.runtime.metrics-port")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Port (or range, e.g. 9249-9259) where a local run serves Flink's and mmflow's"
                  + " metrics at /metrics for Prometheus (Flink's Prometheus reporter); unset: no"
                  + " endpoint. On a cluster, set Flink's metrics.reporter.prom.* instead.");

  /**
   * The run's id, stamped on every row the run writes (column {@code run_id}) and the key of its
   * {@code job_runs} row. Not a setting: the runner assigns a fresh one to each run and makes it
   * the Flink job id, so the two are the same.
   */
  public static final ConfigOption<String> RUN_ID =
      ConfigOptions.key("mmflow.runtime.run-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The run's id (the Flink job id), stamped on every row it writes as run_id; set by"
                  + " mmflow for each run, not by hand.");

  private RuntimeOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(
        TARGET,
        REMOTE_ADDRESS,
        PARALLELISM,
        CHECKPOINT_INTERVAL,
        DATA_DIR,
        TRINO_DIR,
        JOB_NAME,
        METRICS_PORT);
  }
}

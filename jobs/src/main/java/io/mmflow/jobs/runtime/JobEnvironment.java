package io.mmflow.jobs.runtime;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresSchema;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.catalog.TableIdentifier;

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

  /** Flink's Prometheus reporter, named {@code prom} as in docs/operations.md and the manifests. */
  static final String PROMETHEUS_REPORTER = "metrics.reporter.prom.";

  static final String PROMETHEUS_FACTORY =
      "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

  /**
   * {@link #flinkConfiguration} for a job in this JVM (a MiniCluster): checkpoints go to files
   * under the data folder ({@code <data-dir>/checkpoints}) unless the configuration names a
   * checkpoint storage or folder. Flink's default keeps checkpoints in the JobManager's memory and
   * fails any whose state of one task passes 5 MB: the feeds job's fusion windows do at 3,000
   * events/s, and the job then fails once the checkpoint failures pass the tolerated number. A
   * cluster sets its checkpoint folder in its own configuration (docs/operations.md). With {@code
   * mmflow.runtime.metrics-port} set, Flink's Prometheus reporter serves the run's metrics there.
   */
  public static Configuration localFlinkConfiguration(Configuration config) {
    Configuration flink = flinkConfiguration(config);
    if (!config.containsKey(CheckpointingOptions.CHECKPOINT_STORAGE.key())
        && !config.containsKey(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key())) {
      Path dir = Path.of(config.get(RuntimeOptions.DATA_DIR), "checkpoints").toAbsolutePath();
      flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
    }
    config
        .getOptional(RuntimeOptions.METRICS_PORT)
        .ifPresent(
            port -> {
              flink.setString(PROMETHEUS_REPORTER + "factory.class", PROMETHEUS_FACTORY);
              flink.setString(PROMETHEUS_REPORTER + "port", port);
            });
    return flink;
  }

  /** A running cluster to submit to: its JobManager's REST host and port, and the job jar. */
  public record RemoteCluster(String host, int port, String jar) {}

  /**
   * The cluster of target remote ({@code mmflow.runtime.remote-address}, host:port) and the shaded
   * job jar that goes with every job submitted to it (system property {@value
   * JobRunner#JOB_JAR_PROPERTY}, set by {@code bin/mmflow}); a coded error saying what is missing.
   */
  public static RemoteCluster remoteCluster(Configuration config) {
    String address =
        config
            .getOptional(RuntimeOptions.REMOTE_ADDRESS)
            .orElseThrow(
                () ->
                    new MmflowException(
                        ErrorCode.CONFIGURATION_INVALID,
                        "target remote needs "
                            + RuntimeOptions.REMOTE_ADDRESS.key()
                            + " (host:port)"));
    int colon = address.lastIndexOf(':');
    int port = -1;
    try {
      port = colon < 1 ? -1 : Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      // the message below says what is wrong
    }
    if (port < 1 || port > 65535) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          RuntimeOptions.REMOTE_ADDRESS.key() + " must be host:port, but was: " + address);
    }
    String jar = System.getProperty(JobRunner.JOB_JAR_PROPERTY);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "the job jar is missing ("
              + jar
              + "); build it with: mvn -pl jobs -am package -DskipTests");
    }
    return new RemoteCluster(address.substring(0, colon), port, jar);
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

  /**
   * Creates the Postgres tables and the Iceberg tables when missing; says on {@code out} which
   * tables of a Hadoop-catalog warehouse the shared (JDBC) catalog took over.
   */
  public static void prepareSinks(
      Configuration config, PostgresConnection postgres, PrintStream out) {
    if (config.get(PostgresOptions.ENABLED)) {
      PostgresSchema.apply(postgres);
    }
    if (config.get(IcebergOptions.ENABLED)) {
      for (TableIdentifier id : IcebergTables.ensureTables(config)) {
        out.printf(
            "mmflow: Iceberg table %s: registered the warehouse's Hadoop-catalog table in the"
                + " shared JDBC catalog (once; Trino and Flink SQL read it there now)%n",
            id);
      }
    }
  }

  /**
   * {@code config} with the run's id ({@link RuntimeOptions#RUN_ID}), which the sinks stamp on
   * every row: the Flink job id fixed by the cluster (an application cluster sets it), or a new one
   * that is made the job's id ({@code $internal.pipeline.job-id}), so {@code job_runs.run_id}, the
   * rows' {@code run_id} and the Flink UI's job id are one id.
   */
  public static Configuration withRunId(Configuration config) {
    Configuration out = new Configuration(config);
    String id =
        config
            .getOptional(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID)
            .orElseGet(() -> new JobID().toHexString());
    out.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, id);
    out.set(RuntimeOptions.RUN_ID, id);
    return out;
  }

  /** The job's display name. */
  public static String jobName(MmflowJob job, Configuration config) {
    return config.getOptional(RuntimeOptions.JOB_NAME).orElse("mmflow-" + job.name());
  }
}

package io.mmflow.jobs.runtime;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code main} of a job jar submitted with {@code flink run}: arguments {@code --config FILE},
 * {@code --input DIR} and {@code -Dkey=value}; the cluster provides the execution environment. The
 * serving database must be given ({@code mmflow.postgres.url}): no embedded server runs on a
 * cluster.
 */
public final class SubmitMain {
  private SubmitMain() {}

  public static void run(MmflowJob job, String[] args) throws Exception {
    Configuration config = configuration(args);
    // the cluster's own settings first (an application cluster fixes the job's id there; its
    // restart strategy and buffer timeout must win over the job's defaults), then the job's
    Configuration cluster =
        Configuration.fromMap(
            StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration().toMap());
    cluster.addAll(config);
    config = JobEnvironment.withRunId(cluster);
    job.validate(config);
    PostgresConnection postgres = null;
    if (config.get(PostgresOptions.ENABLED)) {
      if (config.getOptional(PostgresOptions.URL).isEmpty()) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "set "
                + PostgresOptions.URL.key()
                + " (or disable Postgres output with -D"
                + PostgresOptions.ENABLED.key()
                + "=false): no embedded database runs on a cluster");
      }
      postgres = PostgresConnection.fromConfig(config, null);
    }
    JobEnvironment.prepareSinks(config, postgres, System.out);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            JobEnvironment.flinkConfiguration(config));
    JobEnvironment.configure(env, config);
    job.build(env, config, postgres);
    JobExecutionResult result = env.execute(JobEnvironment.jobName(job, config));
    if (result.isJobExecutionResult()) { // attached: it ran to its end (detached: it runs on)
      job.finished(config, postgres);
    }
  }

  /**
   * The configuration of a job's arguments: {@code --config FILE}, {@code --input DIR} and {@code
   * -Dkey=value}, checked as every mmflow configuration is ({@link MmflowConfig#load}).
   */
  public static Configuration configuration(String[] args) {
    Map<String, String> fileKeys = Map.of();
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config") && i + 1 < args.length) {
        fileKeys = MmflowConfig.readYaml(Path.of(args[++i]));
      } else if (a.equals("--input") && i + 1 < args.length) {
        overrides.put(SourceOptions.PATH.key(), args[++i]);
      } else if (a.startsWith("-D") && a.contains("=")) {
        overrides.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "unknown argument '" + a + "'; expected --config FILE, --input DIR or -Dkey=value");
      }
    }
    return MmflowConfig.load(fileKeys, overrides);
  }
}

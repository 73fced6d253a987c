package io.mmflow.jobs.runtime;

import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a job from the CLI: on an in-process MiniCluster (the default) or on a remote cluster, with
 * the serving database started when embedded, live progress, and a summary at the end.
 */
public final class JobRunner {
  /** System property holding the shaded job jar, needed to submit to a remote cluster. */
  public static final String JOB_JAR_PROPERTY = "mmflow.job.jar";

  private final PrintStream out;
  private final Duration progressInterval;
  private final CountDownLatch finished = new CountDownLatch(1);

  public JobRunner(PrintStream out, Duration progressInterval) {
    this.out = out;
    this.progressInterval = progressInterval;
  }

  /**
   * Runs the job to its end (or until Ctrl-C cancels it), prints the summary and answers it; the
   * embedded services are closed before this returns.
   */
  public RunSummary run(MmflowJob job, Configuration config) throws Exception {
    Files.createDirectories(Path.of(config.get(RuntimeOptions.DATA_DIR)));
    LibraryLog libraries = LibraryLog.mark();
    boolean local = config.get(RuntimeOptions.TARGET) == RuntimeOptions.Target.LOCAL;
    try {
      RunSummary summary;
      try (AutoCloseable services =
          local ? LocalServices.start(job.services(), config, out) : () -> {}) {
        job.validate(config);
        summary = runValidated(job, config);
      }
      summary.print(out, job.name());
      if (libraries != null) {
        libraries.print(out);
      }
      return summary;
    } finally {
      finished.countDown(); // a Ctrl-C waits for this before the JVM exits
    }
  }

  private RunSummary runValidated(MmflowJob job, Configuration given) throws Exception {
    try (ServingDatabase db = ServingDatabase.open(given)) {
      Configuration config = JobEnvironment.withRunId(db.jobConfiguration(given));
      JobEnvironment.prepareSinks(config, db.connection(), out);
      StreamExecutionEnvironment env = environment(config);
      JobEnvironment.configure(env, config);
      job.build(env, config, db.connection());

      Instant start = Instant.now();
      JobClient client = env.executeAsync(JobEnvironment.jobName(job, config));
      CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
      // Ctrl-C (the way to stop a streaming job run from the CLI): cancel the job, then let this
      // thread print the summary and close the embedded services before the JVM exits
      AtomicBoolean stopping = new AtomicBoolean();
      Thread stop =
          new Thread(
              () -> {
                stopping.set(true);
                out.println("stopping: cancelling the job (Ctrl-C)…");
                client.cancel();
                try {
                  finished.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "mmflow-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      try {
        Map<String, Object> last = Map.of();
        while (!done.isDone()) {
          try {
            done.get(progressInterval.toMillis(), TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.TimeoutException stillRunning) {
            last = progress(client, start, last);
          } catch (ExecutionException failed) {
            break; // reported below
          }
        }
        JobExecutionResult result;
        try {
          result = done.get();
        } catch (ExecutionException e) {
          if (stopping.get()) {
            return recordRun(
                RunSummary.fromAccumulators(last, Duration.between(start, Instant.now())),
                db,
                config,
                job,
                client,
                start,
                "cancelled");
          }
          throw new MmflowException(
              ErrorCode.INTERNAL_ERROR, "job " + job.name() + " failed: " + rootMessage(e), e);
        }
        job.finished(config, db.connection());
        return recordRun(
            RunSummary.fromAccumulators(
                result.getAllAccumulatorResults(), Duration.between(start, Instant.now())),
            db,
            config,
            job,
            client,
            start,
            "finished");
      } finally {
        if (!stopping.get()) {
          Runtime.getRuntime().removeShutdownHook(stop);
        }
      }
    }
  }

  /**
   * Writes the run's row of {@code job_runs} and what its remote calls cost to {@code job_costs}
   * (when it made any); a store that refuses is a warning, the run's summary stands.
   */
  private RunSummary recordRun(
      RunSummary summary,
      ServingDatabase db,
      Configuration config,
      MmflowJob job,
      JobClient client,
      Instant start,
      String status) {
    try {
      JobRuns.record(
          config,
          db.connection(),
          JobRuns.of(
              job,
              config,
              client.getJobID().toHexString(),
              JobEnvironment.jobName(job, config),
              start,
              Instant.now(),
              status,
              summary));
    } catch (java.sql.SQLException | RuntimeException e) {
      out.println(
          "warning: could not write job_runs: "
              + io.mmflow.core.error.SecretScrubber.scrub(String.valueOf(e.getMessage())));
    }
    if (db.connection() != null && !summary.remoteCosts().isEmpty()) {
      try {
        JobCosts.record(
            db.connection(),
            job.name(),
            client.getJobID().toHexString(),
            start,
            Instant.now(),
            summary.remoteCosts());
      } catch (java.sql.SQLException e) {
        out.println(
            "warning: could not write job_costs: "
                + io.mmflow.core.error.SecretScrubber.scrub(String.valueOf(e.getMessage())));
      }
    }
    return summary;
  }

  /** Prints a progress line; answers the accumulators read (or {@code last} when unavailable). */
  private Map<String, Object> progress(JobClient client, Instant start, Map<String, Object> last) {
    try {
      Map<String, Object> acc = client.getAccumulators().get(2, TimeUnit.SECONDS);
      out.println(
          RunSummary.fromAccumulators(acc, Duration.between(start, Instant.now())).progressLine());
      return acc;
    } catch (Exception ignored) {
      return last; // progress is best effort: the job may be finishing
    }
  }

  private static StreamExecutionEnvironment environment(Configuration config) {
    if (config.get(RuntimeOptions.TARGET) == RuntimeOptions.Target.LOCAL) {
      Configuration flink = JobEnvironment.localFlinkConfiguration(config);
      if (!config.containsKey(HeartbeatManagerOptions.HEARTBEAT_INTERVAL.key())) {
        // accumulators (the live progress) travel with heartbeats: 10 s by default
        flink.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
      }
      return StreamExecutionEnvironment.createLocalEnvironment(
          config.get(RuntimeOptions.PARALLELISM), flink);
    }
    JobEnvironment.RemoteCluster cluster = JobEnvironment.remoteCluster(config);
    return StreamExecutionEnvironment.createRemoteEnvironment(
        cluster.host(), cluster.port(), JobEnvironment.flinkConfiguration(config), cluster.jar());
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}

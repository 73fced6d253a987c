package io.mmflow.jobs.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;

/**
 * What a long statement of {@code bin/mmflow sql} has done so far, on the error stream (the rows
 * stay clean on the output): every {@code every}, once the job has run that long, its status, how
 * long it has run and, for a query, the rows received.
 */
final class QueryProgress implements AutoCloseable {
  /** How often a long statement reports. */
  static final Duration EVERY = Duration.ofSeconds(5);

  private final ScheduledExecutorService timer;

  private QueryProgress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Starts reporting on {@code err}.
   *
   * @param job the statement's job, or null when it has none
   * @param rows the rows received so far, or null for a statement that writes
   */
  static QueryProgress start(JobClient job, AtomicLong rows, PrintWriter err, Duration every) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mmflow-sql-progress");
              t.setDaemon(true);
              return t;
            });
    long started = System.nanoTime();
    timer.scheduleAtFixedRate(
        () -> err.println(line(job, rows, Duration.ofNanos(System.nanoTime() - started))),
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return new QueryProgress(timer);
  }

  static String line(JobClient job, AtomicLong rows, Duration running) {
    StringBuilder line = new StringBuilder("mmflow: ");
    if (job != null) {
      String status;
      try {
        status = job.getJobStatus().get(2, TimeUnit.SECONDS).name();
      } catch (Exception e) {
        status = "status unknown";
      }
      line.append("job ").append(job.getJobID()).append(' ').append(status).append(", ");
    }
    line.append(running.toSeconds()).append(" s");
    if (rows != null) {
      line.append(", ").append(rows.get()).append(rows.get() == 1 ? " row" : " rows");
      line.append(" so far");
    }
    return line.toString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

package io.mmflow.jobs.runtime;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.config.SourceOptions;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** One mmflow job: a name, what it does, and how it builds its pipeline. */
public interface MmflowJob {
  /** The name users type: {@code bin/mmflow run <name>}. */
  String name();

  /** One line for {@code --help}. */
  String description();

  /** What the job reads, for the first line of a run: the source path by default. */
  default String input(Configuration config) {
    return config.get(SourceOptions.PATH);
  }

  /**
   * Checks, before anything starts, that the configuration gives this job what it needs (an input
   * that exists, valid limits); throws a coded exception naming the problem.
   */
  void validate(Configuration config);

  /**
   * The external services this job reads from beyond its source path; a local run starts an
   * embedded one for each that the configuration does not name ({@link LocalServices}).
   */
  default Set<Service> services() {
    return Set.of();
  }

  /** An external service a job may need. */
  enum Service {
    /** A Kafka cluster ({@code mmflow.kafka.bootstrap-servers}) holding the job's topic. */
    KAFKA
  }

  /**
   * Checks the configuration this job needs and builds its pipeline on {@code env}.
   *
   * @param postgres the serving database, or null when Postgres output is disabled
   */
  void build(StreamExecutionEnvironment env, Configuration config, PostgresConnection postgres);

  /**
   * Called once the job has run to its end (not when cancelled or failed), by the runner and by the
   * {@code flink run} entry point, with the configuration it ran with; the default does nothing.
   *
   * @param postgres the serving database, or null when Postgres output is disabled
   */
  default void finished(Configuration config, PostgresConnection postgres) {}
}

package io.mmflow.core.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The serving PostgreSQL. */
public final class PostgresOptions {
  /** Environment variable read for the password when the option is not set. */
  public static final String PASSWORD_ENV = "MMFLOW_POSTGRES_PASSWORD";

  public static final ConfigOption<Boolean> ENABLED =
      ConfigOptions.key("mmflow.postgres.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription("Write results and dead letters to PostgreSQL.");

  public static final ConfigOption<String> URL =
      ConfigOptions.key("mmflow.postgres.url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "JDBC URL, e.g. jdbc:postgresql://db:5432/mmflow. Unset: the runner starts an"
                  + " embedded PostgreSQL whose data persists in <data-dir>/postgres.");

  public static final ConfigOption<String> USER =
      ConfigOptions.key("mmflow.postgres.user")
          .stringType()
          .defaultValue("postgres")
          .withDescription("Database user.");

  public static final ConfigOption<String> PASSWORD =
      ConfigOptions.key("mmflow.postgres.password")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Database password; prefer the environment variable "
                  + PASSWORD_ENV
                  + ". Never logged.");

  public static final ConfigOption<Integer> EMBEDDED_PORT =
      ConfigOptions.key("mmflow.postgres.embedded.port")
          .intType()
          .defaultValue(54329)
          .withDescription("Loopback port of the embedded PostgreSQL; 0 picks a free one.");

  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("mmflow.postgres.batch-size")
          .intType()
          .defaultValue(500)
          .withDescription("Rows per JDBC batch.");

  public static final ConfigOption<Duration> BATCH_INTERVAL =
      ConfigOptions.key("mmflow.postgres.batch-interval")
          .durationType()
          .defaultValue(Duration.ofMillis(200))
          .withDescription("Longest time a row waits in a JDBC batch.");

  public static final ConfigOption<Integer> MAX_RETRIES =
      ConfigOptions.key("mmflow.postgres.max-retries")
          .intType()
          .defaultValue(3)
          .withDescription("Retries of a failed batch before the job fails over.");

  private PostgresOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(
        ENABLED, URL, USER, PASSWORD, EMBEDDED_PORT, BATCH_SIZE, BATCH_INTERVAL, MAX_RETRIES);
  }
}

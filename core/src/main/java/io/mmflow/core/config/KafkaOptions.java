package io.mmflow.core.config;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** The Kafka feed: where feed events are read from and how (schema in docs/feeds.md). */
public final class KafkaOptions {
  /** Where a consumer group without committed offsets starts. */
  public enum StartingOffsets {
    /** The oldest record of each partition. */
    EARLIEST,
    /** Only records written after the job starts. */
    LATEST,
    /** The group's committed offsets; the oldest record where the group has none. */
    COMMITTED
  }

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("mmflow.kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Kafka bootstrap servers, e.g. kafka:9092. Unset: the feed runner starts an embedded"
                  + " single-node Kafka on loopback.");

  public static final ConfigOption<Integer> EMBEDDED_PORT =
      ConfigOptions.key("mmflow.kafka.embedded-port")
          .intType()
          .defaultValue(9092)
          .withDescription(
              "Loopback port of the embedded Kafka broker that a local run starts when"
                  + " mmflow.kafka.bootstrap-servers is unset (its log lives in"
                  + " <mmflow.runtime.data-dir>/kafka); 0 for any free port.");

  public static final ConfigOption<String> TOPIC =
      ConfigOptions.key("mmflow.kafka.topic")
          .stringType()
          .defaultValue("mmflow-feed")
          .withDescription("Topic of the feed events.");

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("mmflow.kafka.group-id")
          .stringType()
          .defaultValue("mmflow")
          .withDescription("Consumer group; offsets are committed on checkpoints.");

  public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
      ConfigOptions.key("mmflow.kafka.starting-offsets")
          .enumType(StartingOffsets.class)
          .defaultValue(StartingOffsets.COMMITTED)
          .withDescription(
              "Where reading starts: EARLIEST, LATEST, or COMMITTED (the group's offsets, the"
                  + " earliest where it has none).");

  public static final ConfigOption<Boolean> STOP_AT_LATEST =
      ConfigOptions.key("mmflow.kafka.stop-at-latest")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Read up to the partitions' latest offsets as of the job's start, then finish (a"
                  + " backfill of what the topic holds). Default: run until cancelled.");

  public static final ConfigOption<String> DEAD_LETTER_TOPIC =
      ConfigOptions.key("mmflow.kafka.dead-letter-topic")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Topic that also receives dead letters, with the original bytes of malformed"
                  + " events. Unset: dead letters go only to the result stores.");

  public static final ConfigOption<MemorySize> MAX_INLINE_BYTES =
      ConfigOptions.key("mmflow.kafka.max-inline-bytes")
          .memoryType()
          .defaultValue(MemorySize.parse("8mb"))
          .withDescription(
              "Largest inline part (decoded text or data_base64); an event with a bigger one"
                  + " becomes a dead letter MMF-1002.");

  /** The environment variable with the SASL password (never in the configuration file). */
  public static final String PASSWORD_ENV = "MMFLOW_KAFKA_PASSWORD";

  /** How the clients talk to the brokers (Kafka's {@code security.protocol}). */
  public enum SecurityProtocol {
    PLAINTEXT,
    SSL,
    SASL_PLAINTEXT,
    SASL_SSL
  }

  /** The SASL mechanisms with a user name and a password. */
  public enum SaslMechanism {
    PLAIN,
    SCRAM_SHA_256,
    SCRAM_SHA_512;

    /** Kafka's name of the mechanism ({@code SCRAM-SHA-512}). */
    public String kafkaName() {
      return name().replace('_', '-');
    }
  }

  public static final ConfigOption<SecurityProtocol> SECURITY_PROTOCOL =
      ConfigOptions.key("mmflow.kafka.security-protocol")
          .enumType(SecurityProtocol.class)
          .defaultValue(SecurityProtocol.PLAINTEXT)
          .withDescription(
              "Kafka's security.protocol for the feed source and the dead-letter topic: PLAINTEXT,"
                  + " SSL (TLS with the JVM's trust store), SASL_PLAINTEXT or SASL_SSL.");

  public static final ConfigOption<String> SASL_MECHANISM =
      ConfigOptions.key("mmflow.kafka.sasl-mechanism")
          .stringType()
          .defaultValue("SCRAM-SHA-512")
          .withDescription(
              "SASL mechanism with the SASL protocols: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.");

  public static final ConfigOption<String> SASL_USERNAME =
      ConfigOptions.key("mmflow.kafka.sasl-username")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "SASL user name (the SASL protocols); the password is read from the environment"
                  + " variable "
                  + PASSWORD_ENV
                  + " and never logged.");

  private KafkaOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(
        BOOTSTRAP_SERVERS,
        EMBEDDED_PORT,
        TOPIC,
        GROUP_ID,
        STARTING_OFFSETS,
        STOP_AT_LATEST,
        DEAD_LETTER_TOPIC,
        MAX_INLINE_BYTES,
        SECURITY_PROTOCOL,
        SASL_MECHANISM,
        SASL_USERNAME);
  }
}

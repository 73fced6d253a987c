package io.mmflow.jobs.runtime;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.RuntimeOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.apache.flink.configuration.Configuration;

/**
 * The embedded services of a local run: for each service a job declares ({@link
 * MmflowJob#services()}) and the configuration does not name, one started on loopback, its address
 * written into the configuration. The serving PostgreSQL is not among them: every job may write to
 * it, and {@link ServingDatabase} starts it.
 */
public final class LocalServices {
  private LocalServices() {}

  /** Starts what {@code services} need; closing the answer stops them. */
  public static AutoCloseable start(
      Set<MmflowJob.Service> services, Configuration config, PrintStream out) {
    if (services.contains(MmflowJob.Service.KAFKA)) {
      return kafka(config, out);
    }
    return () -> {};
  }

  /**
   * Without {@code mmflow.kafka.bootstrap-servers}, starts an embedded single-node Kafka on
   * loopback (log in {@code <data-dir>/kafka}, kept between runs) with the topic, and points the
   * job at it.
   */
  private static AutoCloseable kafka(Configuration config, PrintStream out) {
    String servers = config.get(KafkaOptions.BOOTSTRAP_SERVERS);
    if (servers != null && !servers.isBlank()) {
      return () -> {};
    }
    Path log = Path.of(config.get(RuntimeOptions.DATA_DIR), "kafka");
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(log, config.get(KafkaOptions.EMBEDDED_PORT));
    broker.createTopic(config.get(KafkaOptions.TOPIC), config.get(RuntimeOptions.PARALLELISM));
    config.set(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    out.printf(
        "embedded Kafka at %s (topic %s, log in %s); write events with: bin/mmflow feed"
            + " --bootstrap-servers %s%n",
        broker.bootstrapServers(), config.get(KafkaOptions.TOPIC), log, broker.bootstrapServers());
    return broker;
  }
}

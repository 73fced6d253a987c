package io.mmflow.jobs.feeds;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.serde.Json;
import io.mmflow.jobs.runtime.JobEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the feeds-job tests share: events, a producer, the job on a MiniCluster, read-backs. */
final class FeedFixture {
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private FeedFixture() {}

  /** An event of one inline text part. */
  static byte[] textEvent(String itemId, String correlationId, Instant at, String text) {
    ObjectNode part = Json.mapper().createObjectNode().put("text", text);
    return event(itemId, correlationId, at, List.of(part));
  }

  /** An event of {@code parts} (each a JSON object of docs/feeds.md). */
  static byte[] event(String itemId, String correlationId, Instant at, List<ObjectNode> parts) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("item_id", itemId);
    root.put("correlation_id", correlationId);
    root.put("event_time", at.toString());
    ArrayNode array = root.putArray("parts");
    parts.forEach(array::add);
    return Json.writeBytes(root);
  }

  static ObjectNode inlinePart(String partId, String mediaType, byte[] data) {
    return Json.mapper()
        .createObjectNode()
        .put("part_id", partId)
        .put("media_type", mediaType)
        .put("data_base64", Base64.getEncoder().encodeToString(data));
  }

  static ObjectNode textPart(String partId, String text) {
    return Json.mapper().createObjectNode().put("part_id", partId).put("text", text);
  }

  static ObjectNode refPart(String partId, String mediaType, String uri) {
    return Json.mapper()
        .createObjectNode()
        .put("part_id", partId)
        .put("media_type", mediaType)
        .put("uri", uri);
  }

  static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** Sends each event keyed by its correlation id and waits until all are acknowledged. */
  static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, List<String> keys, List<byte[]> values)
      throws Exception {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topic, keys.get(i).getBytes(StandardCharsets.UTF_8), values.get(i))));
    }
    producer.flush();
    for (var f : sent) {
      f.get();
    }
  }

  /**
   * The feeds job's configuration for a test: the broker and topic read from the start, a warehouse
   * under {@code dir}, {@code postgres}, parallelism 2; {@code extra} wins.
   */
  static Configuration config(
      Path dir,
      EmbeddedKafkaBroker broker,
      EmbeddedPostgresServer postgres,
      String topic,
      Map<String, String> extra) {
    Map<String, String> keys = new HashMap<>();
    keys.put("mmflow.kafka.bootstrap-servers", broker.bootstrapServers());
    keys.put("mmflow.kafka.topic", topic);
    keys.put("mmflow.kafka.starting-offsets", "EARLIEST");
    keys.put("mmflow.runtime.data-dir", dir.toString());
    keys.put("mmflow.runtime.parallelism", "2");
    keys.put("mmflow.postgres.url", postgres.jdbcUrl());
    keys.putAll(extra);
    return MmflowConfig.load(Map.of(), keys);
  }

  /** A local environment configured as the runner does, with the job's sinks' tables created. */
  static StreamExecutionEnvironment environment(Configuration config, PostgresConnection postgres) {
    JobEnvironment.prepareSinks(config, postgres, System.out);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            config.get(io.mmflow.core.config.RuntimeOptions.PARALLELISM),
            JobEnvironment.flinkConfiguration(config));
    JobEnvironment.configure(env, config);
    return env;
  }

  /** The first column of the first row of {@code sql}, as a long. */
  static long queryLong(String jdbcUrl, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Rows of {@code sql}, each as its columns' strings. */
  static List<List<String>> query(String jdbcUrl, String sql) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** All rows of an Iceberg table, as committed now. */
  static List<Record> icebergRows(Configuration config, TableIdentifier id) throws Exception {
    Table table = IcebergTables.catalogLoader(config).loadCatalog().loadTable(id);
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(rows::add);
    }
    return rows;
  }

  /** Polls {@code condition} every 200 ms until it holds or {@code timeout} passes. */
  static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        last = e; // the table may not exist yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what, last);
  }
}

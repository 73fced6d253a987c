package io.mmflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sql/flink/cookbook-documents.sql and cookbook-feeds.sql run whole through {@code bin/mmflow sql
 * -f} on a MiniCluster: the scans of datasets/documents OCR'd into the results table, feed posts
 * from a real Kafka broker through ML_PREDICT into an Iceberg table, the per-language count and the
 * text functions.
 */
class SqlCookbookITCase {
  static final Path ROOT = Path.of(System.getProperty("mmflow.repo.root", ".."));

  @TempDir Path dir;

  /**
   * {@code bin/mmflow sql ARGS} on this test's data folder; its output, after checking it passed.
   */
  private String sql(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 5];
    all[0] = "sql";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--data-dir";
    all[args.length + 2] = dir.toString();
    all[args.length + 3] = "-D";
    all[args.length + 4] = "mmflow.postgres.enabled=false";
    int code = MmflowCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void everyStatementOfTheCookbookRuns() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      kafka.createTopic("feed", 1);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        for (String post :
            new String[] {
              "The new phone is wonderful, fast and the battery lasts all day.",
              "Terrible support, nobody answered my mail at anna@example.org for a week.",
              "not json at all"
            }) {
          String event =
              post.startsWith("not")
                  ? post
                  : "{\"item_id\": \"post-"
                      + post.length()
                      + "\", \"parts\": [{\"part_id\": \"0\", \"media_type\": \"text/plain\","
                      + " \"text\": \""
                      + post
                      + "\"}]}";
          producer.send(new ProducerRecord<>("feed", event.getBytes(StandardCharsets.UTF_8)));
        }
      }
      String documents =
          sql(
              "-f",
              ROOT.resolve("sql/flink/cookbook-documents.sql").toString(),
              "--var",
              "SCANS=" + ROOT.resolve("datasets/documents/scans").toAbsolutePath());
      // the OCR'd pages of the two scans, read from the results table
      assertThat(documents).contains("| object ").contains("| scanned-memo.png ");
      // the per-language count: the scans' text is English
      assertThat(documents).contains("| lang ").contains("| en   | ocr ");

      String feeds;
      try (LoopbackOpenAiServer vision = LoopbackOpenAiServer.start()) {
        Path providers =
            vision.writeProvidersFile(
                dir.resolve("providers.yaml"),
                """
                - id: vision
                  model: gpt-4o
                  tasks: [caption]
                  cost: {input-per-1k: 0.005, output-per-1k: 0.015}
                """);
        feeds =
            sql(
                "--streaming",
                "-f",
                ROOT.resolve("sql/flink/cookbook-feeds.sql").toString(),
                "--var",
                "KAFKA=" + kafka.bootstrapServers(),
                "--var",
                "TOPIC=feed",
                "--var",
                "IMAGES=" + ROOT.resolve("datasets/documents/scans").toAbsolutePath(),
                "--var",
                "PROVIDERS=" + providers);
        assertThat(vision.requestCount()).isEqualTo(1); // the one PNG among the scans
      }
      // the scanned memo captioned by the remote model, with its cost
      assertThat(feeds).contains("| caption ").contains("| scanned-memo.png ").contains("| ok ");
      // the text functions on the posts: the e-mail address redacted
      assertThat(feeds).contains("[EMAIL]");
      // the streaming insert wrote the posts' sentiment (the malformed record skipped)
      assertThat(sql("-e", "SELECT item_id, label FROM post_sentiment ORDER BY item_id"))
          .contains("positive")
          .contains("negative")
          .contains("2 rows");
    }
  }
}

package io.mmflow.jobs.feeds;

import static io.mmflow.jobs.feeds.FeedFixture.T0;
import static io.mmflow.jobs.feeds.FeedFixture.await;
import static io.mmflow.jobs.feeds.FeedFixture.query;
import static io.mmflow.jobs.feeds.FeedFixture.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.embedded.LoopbackS3;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.jobs.runtime.ServingDatabase;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The feeds job end to end, as it runs in production: unbounded, on a real Kafka broker (KRaft, in
 * this JVM), with media referenced in S3 (S3Proxy), real OCR and the default sentiment model,
 * writing to real Iceberg tables and PostgreSQL. Mixed events (inline text, an inline image, S3
 * references, one malformed event, one reference to a missing object, one late part) are checked in
 * both stores: results, fused views, dead letters with their codes and bytes, and the late table.
 */
class FeedsJobITCase {
  static final String TOPIC = "feed";

  @Test
  void mixedEventsEndInResultsFusedViewsDeadLettersAndTheLateTable(@TempDir Path dir)
      throws Exception {
    try (LoopbackS3 s3 = LoopbackS3.start();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        KafkaProducer<byte[], byte[]> producer = FeedFixture.producer(broker)) {
      broker.createTopic(TOPIC, 2);
      try (S3Client client = s3.client()) {
        client.createBucket(b -> b.bucket("media"));
        client.putObject(
            b -> b.bucket("media").key("notes/b1.txt"),
            RequestBody.fromString("The support was awful, slow and useless."));
        client.putObject(
            b -> b.bucket("media").key("shots/b2.png"),
            RequestBody.fromBytes(textImage("Thank you, wonderful help")));
      }
      Configuration config = config(dir, broker, postgres, s3);

      // phase 1: two conversations, a malformed event, a missing object
      FeedFixture.send(
          producer,
          TOPIC,
          List.of("c1", "c1", "c2", "x", "c3", "c4"),
          List.of(
              FeedFixture.textEvent("a1", "c1", T0, "I love this phone, the battery is great!"),
              FeedFixture.event(
                  "a2",
                  "c1",
                  T0.plusSeconds(2),
                  List.of(
                      FeedFixture.inlinePart(
                          "0", "image/png", textImage("This is a terrible product")))),
              FeedFixture.event(
                  "b1",
                  "c2",
                  T0.plusSeconds(1),
                  List.of(
                      FeedFixture.refPart("0", "text/plain", "s3://media/notes/b1.txt"),
                      FeedFixture.refPart("1", "image/png", "s3://media/shots/b2.png"))),
              "{\"item_id\": \"broken\", \"parts\": [".getBytes(StandardCharsets.UTF_8),
              FeedFixture.event(
                  "d1",
                  "c3",
                  T0.plusSeconds(3),
                  List.of(FeedFixture.refPart("0", "text/plain", "s3://media/missing.txt"))),
              // a photo without words: OCR finds nothing, and that is its result
              FeedFixture.event(
                  "p1",
                  "c4",
                  T0.plusSeconds(3),
                  List.of(FeedFixture.inlinePart("0", "image/png", blankImage())))));

      try (ServingDatabase db = ServingDatabase.open(config)) {
        StreamExecutionEnvironment env = FeedFixture.environment(config, db.connection());
        FeedsJob.build(env, config, db.connection(), FeedsJob.Taps.NONE);
        JobClient job = env.executeAsync("feeds-it");
        try {
          String url = postgres.jdbcUrl();
          await(
              "phase 1 results",
              Duration.ofSeconds(120),
              () -> queryLong(url, "SELECT count(*) FROM results WHERE task = 'sentiment'") >= 4);

          // phase 2: a later event moves event time on; both conversations' windows close
          FeedFixture.send(
              producer,
              TOPIC,
              List.of("c9"),
              List.of(FeedFixture.textEvent("z1", "c9", T0.plusSeconds(600), "ok")));
          await(
              "fused views of c1 and c2",
              Duration.ofSeconds(60),
              () -> queryLong(url, "SELECT count(*) FROM fused_latest") >= 2);

          // phase 3: a part of c1 whose window has closed: late
          FeedFixture.send(
              producer,
              TOPIC,
              List.of("c1"),
              List.of(FeedFixture.textEvent("a3", "c1", T0.plusSeconds(4), "Actually it broke.")));
          await(
              "the late part",
              Duration.ofSeconds(60),
              () -> queryLong(url, "SELECT count(*) FROM late_results") >= 1);
          long pgResults = queryLong(url, "SELECT count(*) FROM results");
          await(
              "the Iceberg commit",
              Duration.ofSeconds(60),
              () ->
                  FeedFixture.icebergRows(config, IcebergTables.resultsTable(config)).size()
                          == pgResults
                      && FeedFixture.icebergRows(config, IcebergTables.lateTable(config)).size()
                          == 1);

          assertPostgres(url);
          assertIceberg(config, pgResults);
        } finally {
          job.cancel().get();
        }
      }
    }
  }

  private static void assertPostgres(String url) throws Exception {
    // every text part and text found in an image has a sentiment, in its part's modality
    assertThat(
            query(
                url,
                "SELECT item_id, part_id, modality, correlation_id FROM results"
                    + " WHERE task = 'sentiment' ORDER BY 1, 2"))
        .containsExactly(
            List.of("a1", "0", "text", "c1"),
            List.of("a2", "0", "image", "c1"),
            List.of("a3", "0", "text", "c1"),
            List.of("b1", "0", "text", "c2"),
            List.of("b1", "1", "image", "c2"),
            List.of("z1", "0", "text", "c9"));
    assertThat(query(url, "SELECT text FROM results WHERE item_id = 'a1' AND task = 'sentiment'"))
        .containsExactly(List.of("I love this phone, the battery is great!"));
    assertThat(
            query(
                url,
                "SELECT lower(text) FROM results WHERE item_id = 'a2' AND task = 'ocr'"
                    + " AND part_id = 'p1'"))
        .singleElement()
        .satisfies(row -> assertThat(row.get(0)).contains("terrible product"));
    assertThat(
            query(
                url,
                "SELECT labels->0->>'label' FROM results WHERE task = 'sentiment'"
                    + " AND item_id IN ('a1', 'b1') AND part_id = '0' ORDER BY item_id"))
        .containsExactly(List.of("positive"), List.of("negative"));

    // the malformed event keeps its bytes; the missing object is a read failure
    assertThat(
            query(
                url,
                "SELECT error_code, stage, convert_from(payload, 'UTF8') FROM dead_letters"
                    + " WHERE error_code = 'MMF-1010'"))
        .containsExactly(
            List.of("MMF-1010", "parse-event", "{\"item_id\": \"broken\", \"parts\": ["));
    assertThat(query(url, "SELECT item_id, error_code FROM dead_letters WHERE item_id = 'd1'"))
        .containsExactly(List.of("d1", "MMF-2001"));
    assertThat(queryLong(url, "SELECT count(*) FROM dead_letters")).isEqualTo(2);
    assertThat(
            query(
                url,
                "SELECT modality, status, text, attributes->>'text_found' FROM results"
                    + " WHERE item_id = 'p1' AND task = 'extraction'"))
        .containsExactly(List.of("image", "ok", "", "false"));

    // fused views: c1 from its text and image (the late part left out), c2 likewise
    assertThat(
            query(
                url,
                "SELECT correlation_id, status, result_count FROM fused_latest"
                    + " WHERE correlation_id IN ('c1', 'c2') ORDER BY 1"))
        // c1: a1's sentiment; a2's OCR page, its text and sentiment (not the late a3)
        .containsExactly(List.of("c1", "success", "4"), List.of("c2", "success", "4"));
    assertThat(query(url, "SELECT item_id, correlation_id FROM late_results"))
        .containsExactly(List.of("a3", "c1"));
  }

  private static void assertIceberg(Configuration config, long pgResults) throws Exception {
    List<Record> results = FeedFixture.icebergRows(config, IcebergTables.resultsTable(config));
    assertThat(results).hasSize((int) pgResults);
    List<Record> dead = FeedFixture.icebergRows(config, IcebergTables.deadLetterTable(config));
    assertThat(dead).extracting(r -> r.getField("error_code")).contains("MMF-1010", "MMF-2001");
    List<Record> late = FeedFixture.icebergRows(config, IcebergTables.lateTable(config));
    assertThat(late).extracting(r -> r.getField("item_id")).containsExactly("a3");
    List<Record> fused = FeedFixture.icebergRows(config, IcebergTables.fusedTable(config));
    assertThat(fused).extracting(r -> r.getField("correlation_id")).contains("c1", "c2");
  }

  static Configuration config(
      Path dir, EmbeddedKafkaBroker broker, EmbeddedPostgresServer postgres, LoopbackS3 s3) {
    return FeedFixture.config(
        dir,
        broker,
        postgres,
        TOPIC,
        Map.of(
            "mmflow.s3.endpoint", s3.endpoint().toString(),
            "mmflow.s3.path-style-access", "true",
            "mmflow.runtime.checkpoint-interval", "500 ms",
            "mmflow.fusion.gap", "30 s",
            "mmflow.fusion.out-of-orderness", "1 s",
            "mmflow.fusion.idleness", "1 s"));
  }

  /** A PNG of one line of black text, large enough for Tesseract. */
  static byte[] blankImage() throws Exception {
    java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(200, 120, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(new java.awt.Color(120, 170, 220));
    g.fillRect(0, 0, 200, 120);
    g.dispose();
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", png);
    return png.toByteArray();
  }

  static byte[] textImage(String text) throws Exception {
    BufferedImage image = new BufferedImage(1000, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font("DejaVu Sans", Font.PLAIN, 44));
    g.drawString(text, 20, 80);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}

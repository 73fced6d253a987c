package io.mmflow.jobs.bench;

import io.mmflow.connectors.kafka.FeedEvents;
import io.mmflow.connectors.kafka.FeedRecord;
import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresTable;
import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.jobs.feeds.FeedsJob;
import io.mmflow.jobs.pipeline.PartPipeline;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.tika.MediaTypeDetector;
import io.mmflow.operators.fusion.FusionSettings;
import io.mmflow.operators.infer.extract.TextParts;
import io.mmflow.operators.infer.local.LocalInference;
import io.mmflow.operators.infer.local.TextClassification;
import io.mmflow.operators.route.PartRoutes;
import io.mmflow.operators.validate.ValidationRules;
import java.nio.charset.CharsetDecoder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The anchor of {@code bench stream}: the text work of the feeds job without Flink. One thread per
 * partition reads the topic with a plain {@link KafkaConsumer}, parses the events ({@link
 * FeedEvents}), validates each part ({@link ValidationRules}), reads text parts ({@link
 * TextParts}), runs the sentiment model on each poll's texts as one batch ({@link
 * TextClassification}), fuses each conversation's results in memory as the job's session windows do
 * ({@link BareFusion}), upserts the result rows and the fused rows into PostgreSQL with one JDBC
 * batch each per poll ({@link PostgresTable#RESULTS}, {@link PostgresTable#FUSED_RESULTS}) and
 * appends them to the configured Iceberg results and fused tables (in {@code bench stream}, tables
 * of its own: {@link BareLoopSearch}) in upsert mode, one commit per checkpoint interval made on a
 * thread of its own ({@link BareIcebergWriter}): the same rows as the job's, with the same code.
 *
 * <p>What it leaves out is what Flink adds: checkpoints and their barriers, exactly-once commits,
 * serialization between operators, fusion state that survives a failure, late results, dead-letter
 * rows (counted here, not written) and the job's metrics. Parts other than texts are counted and
 * skipped: the anchor is for text feeds. (Until the twentieth session it wrote no fused rows: the
 * anchor then did less than the job's work.)
 */
final class BareFeedLoop implements AutoCloseable {
  private final Configuration config;
  private final String bootstrapServers;
  private final String topic;
  private final String jdbcUrl;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong results = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final BareIcebergWriter.Committer<ModalityResult> iceberg;
  private final BareIcebergWriter.Committer<FusedResult> icebergFused;
  private final AtomicLong fused = new AtomicLong();

  private BareFeedLoop(
      Configuration config, String bootstrapServers, String topic, String jdbcUrl) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.jdbcUrl = jdbcUrl;
    this.iceberg = BareIcebergWriter.Committer.results(config);
    this.icebergFused = BareIcebergWriter.Committer.fused(config);
  }

  /** Starts one consumer thread per partition of {@code topic} ({@code partitions} of them). */
  static BareFeedLoop start(
      Configuration config, String bootstrapServers, String topic, int partitions, String url) {
    BareFeedLoop loop = new BareFeedLoop(config, bootstrapServers, topic, url);
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      Thread t = new Thread(() -> loop.consume(partition), "bare-feed-loop-" + p);
      t.setDaemon(true);
      loop.threads.add(t);
      t.start();
    }
    return loop;
  }

  /** Results written so far. */
  long results() {
    return results.get();
  }

  /** A thread's failure, thrown: the anchor must not report a rate of a loop that died. */
  void check() {
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("the bare consumer loop failed: " + t, t);
    }
    iceberg.check();
    icebergFused.check();
  }

  private void consume(int partition) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer();
        Connection jdbc = PostgresConnection.fromConfig(config, jdbcUrl).open();
        PreparedStatement upsert = jdbc.prepareStatement(PostgresTable.RESULTS.upsert());
        PreparedStatement upsertFused =
            jdbc.prepareStatement(PostgresTable.FUSED_RESULTS.upsert());
        BareIcebergWriter<ModalityResult> writer = iceberg.writer(partition);
        BareIcebergWriter<FusedResult> fusedWriter = icebergFused.writer(partition)) {
      TopicPartition tp = new TopicPartition(topic, partition);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      ModelSpec spec = LocalInference.sentimentModel(config);
      TextClassification model =
          new TextClassification(
              config.get(ModelOptions.REGISTRY), spec.id(), config.get(ModelOptions.PII));
      model.open(null);
      int maxBatch = config.getOptional(ModelOptions.MAX_BATCH).orElse(spec.maxBatch());
      ValidationRules rules = PartPipeline.rules(config, FeedsJob.NAME);
      MediaTypeDetector detector = new MediaTypeDetector();
      CharsetDecoder utf8 = TextParts.utf8();
      long maxInline = config.get(KafkaOptions.MAX_INLINE_BYTES).getBytes();
      long interval = config.get(RuntimeOptions.CHECKPOINT_INTERVAL).toNanos();
      long lastCommit = System.nanoTime();
      BareFusion fusion = new BareFusion(FusionSettings.from(config));
      try {
        while (running.get()) {
          ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
          List<ModalityResult> texts = new ArrayList<>(records.count());
          List<FusedResult> fusedNow = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> r : records) {
            FeedEvents.Result event =
                FeedEvents.parse(
                    new FeedRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value()),
                    maxInline);
            if (!event.ok()) {
              rejected.incrementAndGet();
              continue;
            }
            for (MediaItem part : event.items()) {
              ValidationRules.Verdict verdict = rules.check(part, detector);
              if (!verdict.accepted()) {
                rejected.incrementAndGet();
              } else if (!PartRoutes.isPlainText(verdict.item())) {
                skipped.incrementAndGet();
              } else {
                TextParts.Outcome text = TextParts.read(verdict.item(), utf8);
                if (text.ok()) {
                  texts.add(text.result());
                } else {
                  rejected.incrementAndGet();
                }
              }
            }
          }
          for (int from = 0; from < texts.size(); from += maxBatch) {
            for (ModalityResult result :
                model.apply(texts.subList(from, Math.min(texts.size(), from + maxBatch)))) {
              if (result.status() == ResultStatus.ERROR) {
                rejected.incrementAndGet();
                continue;
              }
              PostgresTable.RESULTS.bind(upsert, result, null);
              upsert.addBatch();
              writer.write(result);
              results.incrementAndGet();
              fusion.add(result, fusedNow);
            }
          }
          if (!texts.isEmpty()) {
            upsert.executeBatch();
          }
          fusion.fuseDue(fusedNow);
          for (FusedResult f : fusedNow) {
            PostgresTable.FUSED_RESULTS.bind(upsertFused, f, null);
            upsertFused.addBatch();
            fusedWriter.write(f);
          }
          if (!fusedNow.isEmpty()) {
            upsertFused.executeBatch();
            fused.addAndGet(fusedNow.size());
          }
          if (System.nanoTime() - lastCommit >= interval) {
            writer.commit();
            fusedWriter.commit();
            lastCommit = System.nanoTime();
          }
        }
        writer.commit();
        fusedWriter.commit();
      } finally {
        model.close();
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "mmflow-bare-feed-loop");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(30).toMillis());
    }
    try (iceberg;
        icebergFused) {
      // the threads' last commits finish
    }
  }

  /**
   * Parts rejected (malformed events, invalid parts, failed results) and non-text parts skipped.
   */
  String counts() {
    return "results %d, fused rows %d, rejected %d, non-text parts skipped %d"
        .formatted(results.get(), fused.get(), rejected.get(), skipped.get());
  }
}

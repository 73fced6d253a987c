package io.mmflow.jobs.feeds;

import io.mmflow.connectors.kafka.DeadLetterTopic;
import io.mmflow.connectors.kafka.FeedRecord;
import io.mmflow.connectors.kafka.FeedSource;
import io.mmflow.connectors.kafka.KafkaSecurity;
import io.mmflow.connectors.kafka.ParseFeedEvents;
import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.source.s3.S3References;
import io.mmflow.core.config.FusionOptions;
import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.jobs.pipeline.JobSinks;
import io.mmflow.jobs.pipeline.PartPipeline;
import io.mmflow.jobs.runtime.MmflowJob;
import io.mmflow.jobs.runtime.SubmitMain;
import io.mmflow.operators.fusion.Fusion;
import io.mmflow.operators.fusion.FusionSettings;
import io.mmflow.operators.metrics.CountDeadLetters;
import io.mmflow.operators.metrics.CountRecords;
import io.mmflow.operators.metrics.RunCounters;
import io.mmflow.operators.validate.ValidateMedia;
import io.mmflow.operators.validate.ValidationRules;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming feeds job: feed events from Kafka (docs/feeds.md) → one media item per part, bad
 * events to dead letters with their bytes → validation → {@code s3://} references fetched with the
 * async S3 client → the per-part analysis of {@link PartPipeline} (text parts' sentiment, OCR of
 * images and documents, speech-to-text, image models, remote providers) → results → event-time
 * fusion per correlation id ({@link Fusion}) → results, fused results, late results and dead
 * letters in Iceberg (committed on checkpoints) and Postgres (upserts on keys), dead letters
 * optionally to a Kafka topic too.
 *
 * <p>It runs until cancelled, or with {@code mmflow.kafka.stop-at-latest} up to the offsets the
 * topic had at the start (a backfill); then every window fires at the end of the input.
 */
public final class FeedsJob implements MmflowJob {
  public static final String NAME = "feeds";

  /** The longest a result waits in a JDBC batch, unless configured. */
  static final Duration JDBC_BATCH_INTERVAL = Duration.ofMillis(50);

  /** The longest a record waits in a network buffer, unless configured. */
  static final Duration BUFFER_TIMEOUT = Duration.ofMillis(20);

  /** What the job makes, before any sink. */
  public record Streams(
      DataStream<ModalityResult> results,
      DataStream<DeadLetter> deadLetters,
      DataStream<FusedResult> fused,
      DataStream<ModalityResult> late) {}

  /**
   * Places where a test may insert operators (to fail the job deliberately): on the parts after
   * parsing and on the results before fusion and the sinks.
   */
  public record Taps(
      UnaryOperator<DataStream<MediaItem>> parts,
      UnaryOperator<DataStream<ModalityResult>> results) {
    public static final Taps NONE = new Taps(s -> s, s -> s);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "real-time feeds: Kafka events → per-part analysis → fusion per conversation";
  }

  /** Kafka; a local run without bootstrap servers gets an embedded broker. */
  @Override
  public Set<Service> services() {
    return Set.of(Service.KAFKA);
  }

  @Override
  public String input(Configuration config) {
    return "Kafka topic "
        + config.get(KafkaOptions.TOPIC)
        + config
            .getOptional(KafkaOptions.BOOTSTRAP_SERVERS)
            .map(s -> " at " + s)
            .orElse(" (embedded broker)");
  }

  @Override
  public void validate(Configuration config) {
    FeedSource.builder(config); // bootstrap servers present, security settings complete
    KafkaSecurity.check(config, System::getenv);
    PartPipeline.check(config);
    FusionSettings.from(config);
  }

  @Override
  public void build(
      StreamExecutionEnvironment env, Configuration config, PostgresConnection postgres) {
    build(env, config, postgres, Taps.NONE);
  }

  /** Builds the job with {@code taps} (tests). */
  public static void build(
      StreamExecutionEnvironment env, Configuration given, PostgresConnection postgres, Taps taps) {
    Configuration config = latencyDefaults(given);
    if (!given.contains(ExecutionOptions.BUFFER_TIMEOUT)) {
      env.setBufferTimeout(BUFFER_TIMEOUT.toMillis());
    }
    Streams streams = pipeline(env, config, taps);
    JobSinks.attach(streams.results(), streams.deadLetters(), config, postgres);
    JobSinks.fusion(streams.fused(), streams.late(), config, postgres);
    DeadLetterTopic.sink(config)
        .ifPresent(
            sink ->
                streams
                    .deadLetters()
                    .sinkTo(sink)
                    .name("dead letters to Kafka")
                    .uid("kafka-dead-letters"));
  }

  /**
   * The feeds job's defaults where the configuration leaves them unset: rows wait at most {@link
   * #JDBC_BATCH_INTERVAL} in a JDBC batch (the option's default, 200 ms, suits bulk jobs), and
   * records at most {@link #BUFFER_TIMEOUT} in a network buffer between operators (Flink's default
   * is 100 ms). A text item crosses four exchanges on its way to PostgreSQL, so these waits were
   * most of its latency: {@code bench stream} at 2,500 events/s, p50 208 → 88 ms and p99 404 → 355
   * ms, CPU per item within the machine's noise.
   */
  static Configuration latencyDefaults(Configuration config) {
    Configuration out = new Configuration(config);
    if (!config.contains(PostgresOptions.BATCH_INTERVAL)) {
      out.set(PostgresOptions.BATCH_INTERVAL, JDBC_BATCH_INTERVAL);
    }
    return out;
  }

  /** The pipeline from the Kafka topic to its outputs. */
  public static Streams pipeline(StreamExecutionEnvironment env, Configuration config, Taps taps) {
    KafkaSourceBuilder<FeedRecord> source = FeedSource.builder(config);
    if (config.get(KafkaOptions.STOP_AT_LATEST)) {
      source.setBounded(OffsetsInitializer.latest());
    }
    SingleOutputStreamOperator<MediaItem> parsed =
        env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "kafka feed")
            .uid("source-kafka")
            .process(new ParseFeedEvents(config.get(KafkaOptions.MAX_INLINE_BYTES).getBytes()))
            .name("parse feed events")
            .uid("parse-events");
    DataStream<DeadLetter> malformed =
        parsed
            .getSideOutput(DeadLetters.TAG)
            .process(new CountDeadLetters(true))
            .name("count malformed events")
            .uid("count-malformed");

    ValidationRules rules = PartPipeline.rules(config, NAME);
    SingleOutputStreamOperator<MediaItem> checked =
        taps.parts()
            .apply(parsed)
            .process(new ValidateMedia(rules))
            .name("validate")
            .uid("validate");
    // references pass the first check unread: fetch them, then check what came back
    S3References.Resolved fetched =
        S3References.resolve(
            checked.filter(item -> !item.hasContent()).name("S3 references").uid("route-refs"),
            config);
    SingleOutputStreamOperator<MediaItem> fetchedValid =
        fetched
            .items()
            .process(new ValidateMedia(rules, false))
            .name("validate fetched")
            .uid("validate-fetched");
    // inline and fetched parts are routed each on its own (no union): the routing chains to them
    List<DataStream<MediaItem>> valid =
        List.of(
            checked.filter(MediaItem::hasContent).name("inline parts").uid("route-inline"),
            fetchedValid);
    DataStream<DeadLetter> rejected =
        malformed.union(
            checked.getSideOutput(DeadLetters.TAG),
            fetched
                .deadLetters()
                .process(new CountDeadLetters(false))
                .name("count fetch failures")
                .uid("count-fetch-failures"),
            fetchedValid.getSideOutput(DeadLetters.TAG));

    PartPipeline.Streams parts =
        PartPipeline.analyse(valid, rejected, config, PartPipeline.Flavour.FEED);
    DataStream<ModalityResult> results = taps.results().apply(parts.results());

    SingleOutputStreamOperator<FusedResult> fused =
        Fusion.fuse(results, FusionSettings.from(config), config.get(FusionOptions.IDLENESS));
    DataStream<ModalityResult> late =
        fused
            .getSideOutput(Fusion.LATE)
            .process(new CountRecords<ModalityResult>(RunCounters.LATE_RESULTS))
            .returns(TypeInformation.of(ModalityResult.class))
            .name("count late results")
            .uid("count-late");
    return new Streams(results, parts.deadLetters(), fused, late);
  }

  /** Entry point for {@code flink run -c io.mmflow.jobs.feeds.FeedsJob mmflow-jobs-*-job.jar}. */
  public static void main(String[] args) throws Exception {
    SubmitMain.run(new FeedsJob(), args);
  }
}

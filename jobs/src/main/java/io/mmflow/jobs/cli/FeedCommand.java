package io.mmflow.jobs.cli;

import io.mmflow.connectors.kafka.FeedProducer;
import io.mmflow.connectors.source.s3.S3ClientSettings;
import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.datasets.feeds.SyntheticFeed;
import io.mmflow.datasets.feeds.SyntheticFeed.Mix;
import io.mmflow.datasets.feeds.SyntheticFeed.Settings;
import io.mmflow.datasets.feeds.SyntheticFeed.Texts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic feed events (docs/feeds.md) to a Kafka topic at a steady rate: a load",
      "generator for the feeds job. Text from datasets/sentiment; optional PNG images and WAV",
      "clips, inline or as s3:// references. The last line is",
      "RESULT feed=kafka sent=N rate=X errors=N (sent: acknowledged by the broker)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow feed --bootstrap-servers 127.0.0.1:9092 --rate 100 --duration 60",
      "  mmflow feed --bootstrap-servers kafka:9092 --rate 500 --duration 30 \\",
      "      --mix text=1,image=0.1,audio=0.05 --seed 7",
      "  mmflow feed --bootstrap-servers kafka:9092 --mix image=0.5 --s3-bucket media \\",
      "      -D mmflow.s3.endpoint=http://minio:9000 -D mmflow.s3.path-style-access=true"
    })
final class FeedCommand implements Callable<Integer> {
  /** How long the broker gets to answer before the command gives up. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "100",
      description = "Events per second (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      paramLabel = "S",
      defaultValue = "10",
      description = "Seconds to send for (default ${DEFAULT-VALUE}).")
  double durationSeconds;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Kafka brokers; default: mmflow.kafka.bootstrap-servers. Required.")
  String bootstrapServers;

  @Option(
      names = "--topic",
      paramLabel = "T",
      description = "Topic; default: mmflow.kafka.topic (mmflow-feed).")
  String topic;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "Partitions of the topic when this command creates it; default: the broker's.")
  Integer partitions;

  @Option(
      names = "--mix",
      paramLabel = "KIND=F,...",
      defaultValue = "text=1,image=0,audio=0",
      description =
          "Fractions of events with a text, image and audio part (default ${DEFAULT-VALUE});"
              + " an event that draws none gets text.")
  String mix;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--max-items-per-conversation",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Consecutive events share a correlation id, 1 to N of them (default ${DEFAULT-VALUE}).")
  int maxItemsPerConversation;

  @Option(
      names = "--malformed",
      paramLabel = "F",
      defaultValue = "0",
      description = "Fraction of events sent malformed, to exercise dead letters (default 0).")
  double malformed;

  @Option(
      names = "--s3-bucket",
      paramLabel = "BUCKET",
      description =
          "Send images and audio as s3:// references into this bucket (uploaded first, created"
              + " if missing, with the mmflow.s3.* settings) instead of inline.")
  String s3Bucket;

  @Option(
      names = "--corpus",
      paramLabel = "DIR",
      description =
          "Folder of sentence<TAB>label files for the text parts; default: datasets/sentiment.")
  Path corpus;

  @Mixin ConfigMixin config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Configuration conf = config.load(Map.of());
    String servers =
        bootstrapServers != null ? bootstrapServers : conf.get(KafkaOptions.BOOTSTRAP_SERVERS);
    if (servers == null || servers.isBlank()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "no Kafka broker to write to: pass --bootstrap-servers HOST:PORT or set "
              + KafkaOptions.BOOTSTRAP_SERVERS.key()
              + " (a feeds job without it starts an embedded broker and prints its address)");
    }
    String feedTopic = topic != null ? topic : conf.get(KafkaOptions.TOPIC);
    Duration duration = Duration.ofNanos((long) (durationSeconds * 1e9));
    if (!(rate > 0) || Double.isInfinite(rate) || !(durationSeconds > 0)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID, "--rate and --duration must be positive numbers");
    }
    Settings settings;
    try {
      settings = new Settings(seed, Mix.parse(mix), maxItemsPerConversation, s3Bucket, malformed);
    } catch (IllegalArgumentException e) {
      throw new MmflowException(ErrorCode.CONFIGURATION_INVALID, e.getMessage());
    }
    Texts texts = Texts.load(corpus != null ? corpus : DemoCommand.home("datasets/sentiment"));
    SyntheticFeed feed = new SyntheticFeed(settings, texts);

    ensureTopic(servers, feedTopic);
    if (s3Bucket != null) {
      int uploaded = upload(conf, s3Bucket, feed.referencedObjects());
      out.printf(
          "uploaded %d objects to s3://%s/%s%n",
          uploaded, s3Bucket, SyntheticFeed.REFERENCE_PREFIX);
    }
    out.printf(
        Locale.ROOT,
        "feed: %s events/s for %s s to topic %s at %s; mix %s, seed %d; text from %s%n",
        format(rate),
        format(durationSeconds),
        feedTopic,
        servers,
        settings.mix(),
        seed,
        texts.source());
    out.flush();

    FeedProducer.Report report;
    try (FeedProducer producer = new FeedProducer(servers, feedTopic, Map.of())) {
      report =
          producer.run(
              rate,
              duration,
              now -> {
                SyntheticFeed.Event e = feed.next(now);
                return new FeedProducer.Message(e.key(), e.json());
              });
    }
    if (report.attempted() < (long) Math.floor(rate * durationSeconds)) {
      out.printf(
          "fell behind: %d of %d events sent within the duration%n",
          report.attempted(), (long) Math.floor(rate * durationSeconds));
    }
    if (report.firstError() != null) {
      out.println("first error: " + report.firstError());
    }
    out.printf(
        Locale.ROOT,
        "RESULT feed=kafka sent=%d rate=%.1f errors=%d%n",
        report.sent(),
        report.rate(),
        report.errors());
    out.flush();
    return report.errors() == 0 ? 0 : 1;
  }

  /** Checks that the broker answers, and creates the topic unless it exists. */
  private void ensureTopic(String servers, String name) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CONNECT_TIMEOUT.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CONNECT_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(props)) {
      long timeout = CONNECT_TIMEOUT.toMillis();
      admin.describeCluster().nodes().get(timeout, TimeUnit.MILLISECONDS);
      if (admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS).contains(name)) {
        return;
      }
      try {
        admin
            .createTopics(
                List.of(new NewTopic(name, Optional.ofNullable(partitions), Optional.empty())))
            .all()
            .get(timeout, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) { // made by someone else meanwhile
          throw e;
        }
      }
    } catch (TimeoutException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED,
          "no answer from Kafka at " + servers + " within " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED,
          "Kafka at " + servers + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MmflowException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
    }
  }

  /** Puts the referenced objects into the bucket, creating it when missing. */
  private static int upload(Configuration conf, String bucket, Map<String, byte[]> objects) {
    try (S3Client s3 = S3ClientSettings.from(conf).newClient()) {
      try {
        s3.headBucket(b -> b.bucket(bucket));
      } catch (NoSuchBucketException e) {
        s3.createBucket(b -> b.bucket(bucket));
      }
      objects.forEach(
          (key, bytes) ->
              s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)));
      return objects.size();
    }
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}

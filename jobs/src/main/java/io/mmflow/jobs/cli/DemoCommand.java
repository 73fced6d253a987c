package io.mmflow.jobs.cli;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.kafka.FeedProducer;
import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.datasets.feeds.SyntheticFeed;
import io.mmflow.jobs.documents.DocumentsJob;
import io.mmflow.jobs.feeds.FeedsJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = {
      "Run the documents job on embedded defaults over datasets/documents.",
      "It uses a Flink MiniCluster, an Iceberg warehouse in .data/warehouse and an embedded",
      "PostgreSQL whose data persists in .data/postgres. Running it again changes no counts.",
      "With --feeds: the streaming feeds job instead, on an embedded Kafka broker (.data/kafka)",
      "that first receives synthetic feed events (texts, images, a few malformed events)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow demo",
      "  mmflow demo --input ~/Documents --data-dir /tmp/mmflow",
      "  mmflow demo --feeds"
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Documents to process; default: datasets/documents of this checkout.")
  String input;

  @Option(
      names = "--feeds",
      description = "Run the feeds job on an embedded Kafka broker with synthetic events.")
  boolean feeds;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "500",
      description = "--feeds: synthetic events written first (default ${DEFAULT-VALUE}).")
  int events;

  @Mixin ConfigMixin config;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (feeds) {
      return feedsDemo();
    }
    String path = input != null ? input : defaultInput().toString();
    return RunCommand.runJob(
        new DocumentsJob(),
        config.load(Map.of(SourceOptions.PATH.key(), path)),
        spec.commandLine().getOut());
  }

  /**
   * Starts an embedded broker (log in {@code <data-dir>/kafka}), writes synthetic events to the
   * feed topic (a tenth with an image part, 2 % malformed), then runs the feeds job over what the
   * topic holds.
   */
  private int feedsDemo() throws Exception {
    Configuration settings = config.load(Map.of(KafkaOptions.STOP_AT_LATEST.key(), "true"));
    Path log = Path.of(settings.get(RuntimeOptions.DATA_DIR), "kafka");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(log, 0)) {
      String topic = settings.get(KafkaOptions.TOPIC);
      broker.createTopic(topic, settings.get(RuntimeOptions.PARALLELISM));
      settings.set(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
      SyntheticFeed feed =
          new SyntheticFeed(
              SyntheticFeed.Settings.of(System.currentTimeMillis())
                  .withMix(new SyntheticFeed.Mix(1, 0.1, 0))
                  .withMalformedFraction(0.02),
              SyntheticFeed.Texts.load(home("datasets/sentiment")));
      try (FeedProducer producer = new FeedProducer(broker.bootstrapServers(), topic, Map.of())) {
        FeedProducer.Report sent =
            producer.run(
                Math.max(events, 1) * 4.0,
                Duration.ofMillis(250),
                t -> {
                  SyntheticFeed.Event e = feed.next(t);
                  return new FeedProducer.Message(e.key(), e.json());
                });
        spec.commandLine()
            .getOut()
            .printf(
                "wrote %d synthetic feed events to %s on the embedded broker %s%n",
                sent.sent(), topic, broker.bootstrapServers())
            .flush();
      }
      return RunCommand.runJob(new FeedsJob(), settings, spec.commandLine().getOut());
    }
  }

  static Path defaultInput() {
    return home("datasets/documents");
  }

  /** {@code relative} inside the checkout bin/mmflow runs from (system property mmflow.home). */
  static Path home(String relative) {
    return Path.of(System.getProperty("mmflow.home", ".")).resolve(relative);
  }
}

package io.mmflow.jobs.cli;

import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.jobs.runtime.JobRunner;
import io.mmflow.jobs.runtime.MmflowJob;
import io.mmflow.jobs.runtime.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    name = "run",
    description = "Run a job: on a local MiniCluster (default) or on a remote Flink cluster.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow run documents --input ~/scans",
      "  mmflow run documents --input s3://bucket/inbox --config prod.yaml",
      "  mmflow run documents --input docs/ -D mmflow.postgres.url=jdbc:postgresql://db/mmflow",
      "  mmflow run documents --input /shared/docs --remote jobmanager:8081 \\",
      "      -D mmflow.postgres.url=jdbc:postgresql://db/mmflow",
      "  mmflow run feeds                                  # embedded Kafka on 127.0.0.1:9092",
      "  mmflow run feeds --bootstrap-servers kafka:9092 --topic posts",
      "  mmflow run feeds --bootstrap-servers kafka:9092 --until-latest   # a backfill",
      "",
      "Jobs: documents (bulk text extraction and OCR of a folder or bucket of documents),",
      "      feeds (real-time analysis and fusion of Kafka feed events; runs until stopped)."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB", description = "The job to run: documents, feeds.")
  String job;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description =
          "feeds: the Kafka brokers (sets mmflow.kafka.bootstrap-servers); unset: an embedded"
              + " broker on loopback.")
  String bootstrapServers;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "feeds: the topic of feed events (sets mmflow.kafka.topic).")
  String topic;

  @Option(
      names = "--until-latest",
      description =
          "feeds: stop at the offsets the topic has at the start (sets"
              + " mmflow.kafka.stop-at-latest).")
  boolean untilLatest;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Input folder, file or URI (sets mmflow.source.path).")
  String input;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "Operator parallelism (sets mmflow.runtime.parallelism).")
  Integer parallelism;

  @Option(
      names = "--remote",
      paramLabel = "HOST:PORT",
      description = "Submit to the Flink cluster whose REST endpoint is HOST:PORT.")
  String remote;

  @Mixin ConfigMixin config;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    MmflowJob mmflowJob = Jobs.byName(job);
    Map<String, String> settings = new LinkedHashMap<>();
    if (input != null) {
      settings.put(SourceOptions.PATH.key(), input);
    }
    if (parallelism != null) {
      settings.put(RuntimeOptions.PARALLELISM.key(), parallelism.toString());
    }
    if (bootstrapServers != null) {
      settings.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    }
    if (topic != null) {
      settings.put(KafkaOptions.TOPIC.key(), topic);
    }
    if (untilLatest) {
      settings.put(KafkaOptions.STOP_AT_LATEST.key(), "true");
    }
    if (remote != null) {
      settings.put(RuntimeOptions.TARGET.key(), "remote");
      settings.put(RuntimeOptions.REMOTE_ADDRESS.key(), remote);
    }
    return runJob(mmflowJob, config.load(settings), spec.commandLine().getOut());
  }

  static int runJob(MmflowJob job, Configuration config, java.io.PrintWriter writer)
      throws Exception {
    java.io.PrintStream out = System.out;
    out.printf(
        "mmflow %s: input %s, parallelism %d, %s%n",
        job.name(),
        job.input(config),
        config.get(RuntimeOptions.PARALLELISM),
        config.get(RuntimeOptions.TARGET) == RuntimeOptions.Target.LOCAL
            ? "local MiniCluster, data in "
                + Path.of(config.get(RuntimeOptions.DATA_DIR)).toAbsolutePath()
            : "remote cluster " + config.get(RuntimeOptions.REMOTE_ADDRESS));
    RunSummary summary = new JobRunner(out, Duration.ofSeconds(2)).run(job, config);
    QueryHints.print(out, config);
    writer.flush();
    return summary.accountedFor() ? 0 : 1;
  }
}

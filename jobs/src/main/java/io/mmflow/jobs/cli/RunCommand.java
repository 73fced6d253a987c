package io.mmflow.jobs.cli;

import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.jobs.runtime.JobRunner;
import io.mmflow.jobs.runtime.Jobs;
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
      "",
      "Jobs: documents (bulk text extraction of a folder of documents)."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB", description = "The job to run: documents.")
  String job;

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
        config.get(SourceOptions.PATH),
        config.get(RuntimeOptions.PARALLELISM),
        config.get(RuntimeOptions.TARGET) == RuntimeOptions.Target.LOCAL
            ? "local MiniCluster, data in "
                + Path.of(config.get(RuntimeOptions.DATA_DIR)).toAbsolutePath()
            : "remote cluster " + config.get(RuntimeOptions.REMOTE_ADDRESS));
    RunSummary summary = new JobRunner(out, Duration.ofSeconds(2)).run(job, config);
    summary.print(out, job.name());
    QueryHints.print(out, config);
    writer.flush();
    return summary.accountedFor() ? 0 : 1;
  }
}

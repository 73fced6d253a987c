package io.mmflow.jobs.cli;

import io.mmflow.core.config.SourceOptions;
import io.mmflow.jobs.documents.DocumentsJob;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
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
      "PostgreSQL whose data persists in .data/postgres. Running it again changes no counts."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  mmflow demo", "  mmflow demo --input ~/Documents --data-dir /tmp/mmflow"})
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Documents to process; default: datasets/documents of this checkout.")
  String input;

  @Mixin ConfigMixin config;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String path = input != null ? input : defaultInput().toString();
    return RunCommand.runJob(
        new DocumentsJob(),
        config.load(Map.of(SourceOptions.PATH.key(), path)),
        spec.commandLine().getOut());
  }

  static Path defaultInput() {
    return home("datasets/documents");
  }

  /** {@code relative} inside the checkout bin/mmflow runs from (system property mmflow.home). */
  static Path home(String relative) {
    return Path.of(System.getProperty("mmflow.home", ".")).resolve(relative);
  }
}

package io.mmflow.jobs.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/mmflow} in a JVM of its own, on this JVM's Java, class path and module openings: what
 * a benchmark or a test kills ({@code kill -9}) to see that a run resumes.
 */
public final class CliProcess {
  private CliProcess() {}

  /** Starts {@code mmflow args...}; its output goes to {@code log}. */
  public static Process start(List<String> args, Path log) throws IOException {
    return start(java.util.Map.of(), args, log);
  }

  /**
   * Starts {@code mmflow args...} with these system properties besides this JVM's (the logging
   * configuration bin/mmflow gives, say); its output (stdout and stderr: the console) goes to
   * {@code log}.
   */
  public static Process start(java.util.Map<String, String> properties, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the module openings Flink needs and mmflow's own properties (its home, job jar, logging), as
    // this JVM got them from bin/mmflow or surefire
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")
          || arg.startsWith("--add-exports")
          || arg.startsWith("-Dmmflow.")
          || arg.startsWith("-Dlog4j2.")) {
        command.add(arg);
      }
    }
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.mmflow.jobs.cli.MmflowCli");
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}

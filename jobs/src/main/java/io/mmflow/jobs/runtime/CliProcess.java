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

  /**
   * The start of a command line for a JVM like this one: its {@code java}, the module openings
   * Flink needs, its heap limit, its common pool's size and mmflow's and the logging's properties,
   * as this JVM got them from bin/mmflow or surefire. Class path and main class follow.
   */
  public static List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")
          || arg.startsWith("--add-exports")
          || arg.startsWith("-Xmx")
          || arg.startsWith("-Dmmflow.")
          || arg.startsWith("-Djava.util.concurrent.ForkJoinPool.")
          || arg.startsWith("-Dlog4j")) {
        command.add(arg);
      }
    }
    return command;
  }

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
    List<String> command = java();
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

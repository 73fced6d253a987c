package io.mmflow.jobs.cli;

import io.mmflow.core.error.MmflowException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code bin/mmflow}: the one command users type. */
@Command(
    name = "mmflow",
    mixinStandardHelpOptions = true,
    version = "mmflow 0.1.0",
    description = "Multi-modal AI processing on Apache Flink.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      QueryCommand.class,
      SqlCommand.class,
      TrinoCommand.class,
      BackfillCommand.class,
      EvalCommand.class,
      BenchCommand.class,
      TrainCommand.class,
      FeedCommand.class,
      OptionsCommand.class,
      SchemaCommand.class,
      HelpCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  bin/mmflow demo                          # the documents job on the samples",
      "  bin/mmflow run documents --input ~/docs  # your own folder",
      "  bin/mmflow query postgres \"SELECT count(*) FROM results\"",
      "  bin/mmflow sql -e \"SELECT MMF_LANGUAGE(text), count(*) FROM results GROUP BY 1\"",
      "  bin/mmflow eval ocr                      # CER/WER with and without preprocessing",
      "  bin/mmflow bench ocr                     # pages/s vs the tesseract CLI",
      "  bin/mmflow feed --bootstrap-servers 127.0.0.1:9092 --rate 100 --duration 60",
      "  bin/mmflow test                          # the whole test suite",
      "  bin/mmflow <command> --help",
      "",
      "Any command: --verbose also shows the libraries' warnings (PDFBox, Tika, Flink, ...) on the",
      "console; they are always in <data-dir>/logs/mmflow.log, counted in a job's summary."
    })
public final class MmflowCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code: 0 ok, 1 failure, 2 usage error. */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** The console option every command takes: the libraries' warnings on the console too. */
  static final String VERBOSE = "--verbose";

  /**
   * {@code args} without {@link #VERBOSE}, which bin/mmflow turns into the logging property {@code
   * mmflow.console.libraries=WARN} before the JVM starts; set here too when the CLI runs without
   * it, with the logging configured again.
   */
  static String[] withoutVerbose(String[] args) {
    if (!Arrays.asList(args).contains(VERBOSE)) {
      return args;
    }
    if (System.getProperty("mmflow.console.libraries") == null) {
      System.setProperty("mmflow.console.libraries", "WARN");
      org.apache.logging.log4j.core.config.Configurator.reconfigure();
    }
    return Arrays.stream(args).filter(a -> !a.equals(VERBOSE)).toArray(String[]::new);
  }

  /** Runs the CLI with the given output and error writers (for tests). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    boolean debug = Arrays.asList(args).contains("--debug");
    CommandLine cli = new CommandLine(new MmflowCli()).setOut(out).setErr(err);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          PrintWriter perr = e.getCommandLine().getErr();
          perr.println("mmflow: " + e.getMessage());
          perr.println(
              "Try 'mmflow "
                  + (e.getCommandLine().getCommandName().equals("mmflow")
                      ? ""
                      : e.getCommandLine().getCommandName() + " ")
                  + "--help'.");
          perr.flush();
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          PrintWriter perr = c.getErr();
          if (e instanceof MmflowException m) {
            perr.println(
                "mmflow: error " + m.code().code() + " " + m.code().name() + ": " + m.getMessage());
          } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
              root = root.getCause();
            }
            perr.println(
                "mmflow: error: " + root.getClass().getSimpleName() + ": " + root.getMessage());
          }
          if (debug) {
            e.printStackTrace(perr);
          } else {
            perr.println("(run again with --debug for the stack trace; logs in .data/logs)");
          }
          perr.flush();
          return 1;
        });
    int code = cli.execute(withoutVerbose(args));
    out.flush();
    err.flush();
    return code;
  }
}

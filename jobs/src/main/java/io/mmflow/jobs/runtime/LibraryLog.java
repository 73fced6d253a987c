package io.mmflow.jobs.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The libraries' warnings and errors of a run (PDFBox on a damaged PDF, Tika, Flink), which the
 * console leaves out: counted from the log file of bin/mmflow ({@code <data-dir>/logs/mmflow.log},
 * system property {@code mmflow.log.dir}) for the run's summary, so that a user knows they are
 * there and where. mmflow's own messages ({@code io.mmflow}) are not counted: they reach the
 * console.
 */
public final class LibraryLog {
  /** A line of the file's layout: time, level, abbreviated logger name. */
  private static final Pattern LINE =
      Pattern.compile(
          "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} (WARN |ERROR|FATAL) (\\S+)");

  private final Path file;
  private final long start;

  private LibraryLog(Path file, long start) {
    this.file = file;
    this.start = start;
  }

  /** Where the file is now: the run's lines come after; null when bin/mmflow's logging is off. */
  public static LibraryLog mark() {
    String dir = System.getProperty("mmflow.log.dir");
    if (dir == null) {
      return null;
    }
    Path file = Path.of(dir, "mmflow.log");
    try {
      return new LibraryLog(file, Files.exists(file) ? Files.size(file) : 0);
    } catch (IOException e) {
      return null;
    }
  }

  /** The libraries' warnings and errors written since {@link #mark}. */
  public long count() {
    long n = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(Math.min(start, channel.size()));
      // line by line: a long run's log is not read into memory whole
      BufferedReader lines =
          new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher m = LINE.matcher(line);
        if (m.find() && !m.group(2).startsWith("i.m.") && !m.group(2).startsWith("io.mmflow")) {
          n++;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return n;
  }

  /** The summary's line, when there are any. */
  public void print(PrintStream out) {
    long n = count();
    if (n > 0) {
      out.printf(
          "  %-18s %8d   (PDFBox, Tika, Flink...: in %s; --verbose shows them)%n",
          "library warnings", n, file);
    }
  }
}

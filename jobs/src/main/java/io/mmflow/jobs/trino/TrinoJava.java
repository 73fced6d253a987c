package io.mmflow.jobs.trino;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The JDK that runs Trino, found on the machine: never assumed, and named when missing. */
public final class TrinoJava {
  /** The oldest Java the pinned Trino runs on. */
  static final int JAVA_FEATURE = 24;

  /** Where users can point mmflow at a JDK for Trino. */
  public static final String JAVA_HOME_ENV = "MMFLOW_TRINO_JAVA_HOME";

  private TrinoJava() {}

  /**
   * A JDK that runs Trino: {@value #JAVA_HOME_ENV}, else the newest JDK of version {@value
   * #JAVA_FEATURE}+ under {@code /usr/lib/jvm}; a message saying what to install when none is.
   */
  static Path home() throws IOException {
    String given = System.getenv(JAVA_HOME_ENV);
    if (given != null && !given.isBlank()) {
      Path home = Path.of(given);
      if (feature(home).orElse(0) < JAVA_FEATURE) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            JAVA_HOME_ENV + "=" + given + " is not a JDK " + JAVA_FEATURE + " or newer");
      }
      return home;
    }
    List<Path> found = new ArrayList<>();
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> dirs = Files.list(jvms)) {
        dirs.filter(d -> feature(d).orElse(0) >= JAVA_FEATURE).forEach(found::add);
      }
    }
    return found.stream()
        .max(Comparator.comparingInt(d -> feature(d).orElse(0)))
        .orElseThrow(
            () ->
                new MmflowException(
                    ErrorCode.CONFIGURATION_INVALID,
                    "Trino "
                        + TrinoServer.VERSION
                        + " needs Java "
                        + JAVA_FEATURE
                        + " or newer, and none is in /usr/lib/jvm: install one (e.g. Temurin 25"
                        + " from adoptium.net, or a distribution's openjdk-25-jdk-headless) and"
                        + " set "
                        + JAVA_HOME_ENV
                        + " to it"));
  }

  /** What is missing for Trino's JVM, in a sentence; null when a JDK for it is there. */
  public static String missingJava() {
    try {
      home();
      return null;
    } catch (MmflowException | IOException e) {
      return e.getMessage();
    }
  }

  /** The feature version a JDK's {@code release} file gives, if it has one and a java. */
  static Optional<Integer> feature(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String head = v.split("[.+-]")[0];
          return Optional.of(Integer.parseInt(head.equals("1") ? v.split("\\.")[1] : head));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}

package io.mmflow.jobs.trino;

import io.mmflow.core.config.RuntimeOptions;
import org.apache.flink.configuration.Configuration;

/** What the Trino tests share. */
public final class TrinoTests {
  private TrinoTests() {}

  /**
   * Points {@code config} at the Trino installation the build keeps ({@code target/trino}, system
   * property {@code mmflow.test.trino-dir}): extracted once, then reused by every test class and
   * run.
   */
  public static void shareInstallation(Configuration config) {
    String dir = System.getProperty("mmflow.test.trino-dir");
    if (dir != null) {
      config.set(RuntimeOptions.TRINO_DIR, dir);
    }
  }
}

package io.mmflow.jobs.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Versions the build wrote into {@code mmflow-versions.properties} from the parent pom: mmflow's
 * own and those of the parts it fetches at run time (the Trino server).
 */
public final class BuildInfo {
  private static final Properties VERSIONS = load();

  private BuildInfo() {}

  /** mmflow's version. */
  public static String mmflowVersion() {
    return VERSIONS.getProperty("mmflow.version", "unknown");
  }

  /** The pinned Trino version. */
  public static String trinoVersion() {
    String v = VERSIONS.getProperty("trino.version");
    if (v == null) {
      throw new IllegalStateException("mmflow-versions.properties has no trino.version");
    }
    return v;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in =
        BuildInfo.class.getClassLoader().getResourceAsStream("mmflow-versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // versions unknown: said where they are used
    }
    return p;
  }
}

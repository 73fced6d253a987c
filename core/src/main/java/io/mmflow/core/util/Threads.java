package io.mmflow.core.util;

import java.util.concurrent.ThreadFactory;

/** Thread factories. */
public final class Threads {
  private Threads() {}

  /**
   * Daemon threads named {@code name}: helpers that must never keep a JVM (a task manager, the CLI)
   * alive, e.g. a parser abandoned on a pathological file or a retry timer.
   */
  public static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}

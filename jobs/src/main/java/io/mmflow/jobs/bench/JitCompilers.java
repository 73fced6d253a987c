package io.mmflow.jobs.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How busy the JVM's JIT compilers were over a span of a bench: their share of a core. A bench's
 * warm-up goes on until it is small, because on two vCPUs the compilers take a large part of the
 * machine for minutes (a MiniCluster, an HTTP client and a server are much code) and a figure taken
 * before they settle measures the compilers, not the steady state.
 */
final class JitCompilers {
  private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

  /** A span started by {@link #start()}. */
  record Span(long compilingMillis, long startNanos) {
    /**
     * The compilers' busy time since the start over the time passed: their share of a core (the
     * JVM's figure sums its compiler threads); NaN where the JVM does not time compilation.
     */
    double shareOfCore() {
      if (!timed()) {
        return Double.NaN;
      }
      double elapsedMillis = (System.nanoTime() - startNanos) / 1e6;
      return (COMPILER.getTotalCompilationTime() - compilingMillis) / elapsedMillis;
    }
  }

  private JitCompilers() {}

  /** Whether this JVM times its compilers (HotSpot does). */
  static boolean timed() {
    return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported();
  }

  /** Starts a span now. */
  static Span start() {
    return new Span(timed() ? COMPILER.getTotalCompilationTime() : 0, System.nanoTime());
  }
}

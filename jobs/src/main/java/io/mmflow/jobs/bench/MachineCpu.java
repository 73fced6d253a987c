package io.mmflow.jobs.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a bench's CPU time goes, from Linux's {@code /proc}: the machine's busy time (all
 * processes: the JVM with the job, broker and producer, and PostgreSQL's processes) and this JVM's
 * threads by name. A bench divides the change over a phase by the phase's items. Near saturation
 * throughput figures swing with the machine; CPU per item moves much less, and its split by thread
 * tells where a change saved work. Empty where there is no {@code /proc}.
 */
final class MachineCpu {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final double TICK_MICROS = 1e6 / 100; // USER_HZ is 100 on Linux

  /** One thread's CPU time so far and its group. */
  record ThreadTime(String group, double micros) {}

  /** Busy CPU microseconds so far: the machine's, and each of this JVM's threads by thread id. */
  record Sample(double machine, Map<String, ThreadTime> threads) {
    /**
     * What was used since {@code earlier}, per thread group: each thread's time since then (all of
     * it for a thread started since); a thread that ended in between is lost, and its time counts
     * as outside the JVM.
     */
    Usage since(Sample earlier) {
      Map<String, Double> groups = new TreeMap<>();
      threads.forEach(
          (tid, now) -> {
            ThreadTime before = earlier.threads.get(tid);
            double start =
                before == null || !before.group().equals(now.group()) ? 0 : before.micros();
            groups.merge(now.group(), Math.max(0, now.micros() - start), Double::sum);
          });
      return new Usage(machine - earlier.machine, groups);
    }
  }

  /** Busy CPU microseconds over a phase: the machine's, and per thread group of this JVM. */
  record Usage(double machine, Map<String, Double> groups) {
    /**
     * The largest shares per item: microseconds an item of each thread group, {@code other JVM
     * threads} and {@code outside the JVM} (PostgreSQL, the kernel), largest first.
     */
    String perItem(long items, int top) {
      if (items == 0 || Double.isNaN(machine)) {
        return "n/a";
      }
      Map<String, Double> shares = new LinkedHashMap<>();
      double jvm = groups.values().stream().mapToDouble(Double::doubleValue).sum();
      groups.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .limit(top)
          .forEach(e -> shares.put(e.getKey(), e.getValue()));
      double shown = shares.values().stream().mapToDouble(Double::doubleValue).sum();
      shares.put("other JVM threads", jvm - shown);
      shares.put("outside the JVM", machine - jvm);
      return shares.entrySet().stream()
          .map(e -> "%s %.0f".formatted(e.getKey(), e.getValue() / items))
          .collect(Collectors.joining(", "));
    }
  }

  private MachineCpu() {}

  /** Busy CPU time since boot in microseconds (user, nice, system, irq, softirq, steal), or NaN. */
  static double busyMicros() {
    try {
      String line = Files.readAllLines(STAT).get(0); // cpu user nice system idle iowait irq ...
      String[] f = line.trim().split("\\s+");
      long ticks = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        ticks += Long.parseLong(f[i]);
      }
      return ticks * TICK_MICROS;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The machine's busy time and the CPU time of each of this JVM's threads. */
  static Sample sample() {
    Map<String, ThreadTime> threads = new HashMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(TASKS)) {
      for (Path task : dir) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double micros = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MICROS;
          threads.put(task.getFileName().toString(), new ThreadTime(group(name), micros));
        } catch (IOException | RuntimeException e) {
          // the thread ended while being read
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Sample(Double.NaN, Map.of());
    }
    return new Sample(busyMicros(), threads);
  }

  /**
   * A thread's group: its name (the kernel keeps 15 characters of it: Flink's task names start with
   * the first operator's) without numbers, so that the subtasks of one operator and the threads of
   * one pool count together.
   */
  static String group(String name) {
    return name.replaceAll("[0-9]+", "N").replaceAll("[#(/ -]+N?$", "").trim();
  }
}

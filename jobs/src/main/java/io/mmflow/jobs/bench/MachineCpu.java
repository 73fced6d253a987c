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

  /**
   * Busy CPU microseconds: the machine's, and this JVM's threads by thread id ({@code [group,
   * micros]}); {@link #since} turns them into groups.
   */
  record Sample(double machine, Map<String, Object[]> tasks, Map<String, Double> threads) {
    /**
     * {@code this} minus {@code earlier}, per thread group: each thread's time since {@code
     * earlier} (all of it for a thread started since); a thread that ended in between is lost, and
     * its time counts as outside the JVM.
     */
    Sample since(Sample earlier) {
      Map<String, Double> d = new TreeMap<>();
      tasks.forEach(
          (tid, now) -> {
            Object[] before = earlier.tasks.get(tid);
            double used =
                (double) now[1]
                    - (before == null || !before[0].equals(now[0]) ? 0 : (double) before[1]);
            d.merge((String) now[0], Math.max(0, used), Double::sum);
          });
      return new Sample(machine - earlier.machine, Map.of(), d);
    }

    /**
     * The largest shares per item: microseconds an item of each thread group, {@code other JVM
     * threads} and {@code outside the JVM} (PostgreSQL, the kernel), largest first.
     */
    String perItem(long items, int top) {
      if (items == 0 || Double.isNaN(machine)) {
        return "n/a";
      }
      Map<String, Double> shares = new LinkedHashMap<>();
      double jvm = threads.values().stream().mapToDouble(Double::doubleValue).sum();
      threads.entrySet().stream()
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
    Map<String, Object[]> tasks = new HashMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(TASKS)) {
      for (Path task : dir) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double micros = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MICROS;
          tasks.put(task.getFileName().toString(), new Object[] {group(name), micros});
        } catch (IOException | RuntimeException e) {
          // the thread ended while being read
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Sample(Double.NaN, Map.of(), Map.of());
    }
    return new Sample(busyMicros(), tasks, Map.of());
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

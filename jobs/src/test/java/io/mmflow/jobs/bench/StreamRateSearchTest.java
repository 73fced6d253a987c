package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamRateSearchTest {
  /** The rates a search visits against a consumer that holds exactly up to {@code capacity}. */
  private static List<Long> visits(double start, double capacity) {
    List<Long> rates = new ArrayList<>();
    double rate = start;
    double held = Double.NaN;
    double failed = Double.POSITIVE_INFINITY;
    while (!Double.isNaN(rate) && rates.size() < 30) {
      rates.add(Math.round(rate));
      if (rate <= capacity) {
        held = Double.isNaN(held) ? rate : Math.max(held, rate);
      } else {
        failed = Math.min(failed, rate);
      }
      rate = StreamRateSearch.next(rate, held, failed);
    }
    return rates;
  }

  @Test
  void climbsByHalfThenHalvesTheGapToTheResolution() {
    List<Long> rates = visits(1000, 3700);
    assertThat(rates).startsWith(1000L, 1500L, 2250L, 3375L, 5063L);
    assertThat(rates).hasSizeLessThan(12);
    long best = rates.stream().filter(r -> r <= 3700).max(Long::compare).orElseThrow();
    long worst = rates.stream().filter(r -> r > 3700).min(Long::compare).orElseThrow();
    assertThat((double) worst / best - 1).isLessThanOrEqualTo(StreamRateSearch.RESOLUTION);
    assertThat(best).isBetween(3400L, 3700L);
  }

  @Test
  void goesDownWhenTheStartDoesNotHold() {
    List<Long> rates = visits(1000, 400);
    assertThat(rates).startsWith(1000L, 700L, 490L, 343L);
    long best = rates.stream().filter(r -> r <= 400).max(Long::compare).orElseThrow();
    assertThat(best).isBetween(380L, 400L);
  }

  @Test
  void stopsWhenNothingHoldsAtAll() {
    assertThat(visits(1000, 0)).last().satisfies(r -> assertThat(r).isLessThan(30L));
    assertThat(visits(1000, 0)).hasSizeLessThan(15);
  }

  /**
   * A consumer that holds up to 3,700 but stalls once at the first step: the search (its own
   * bookkeeping, {@link StreamRateSearch#record} and {@link StreamRateSearch#advance}, fed steps
   * instead of measuring them) tries that rate again, and the stall does not end its climb.
   */
  @Test
  void aRateFailsOnlyWhenItFailsTwiceInARow() {
    double capacity = 3700;
    StreamRateSearch search =
        new StreamRateSearch(
            "test",
            null,
            new StreamRateSearch.Settings(1000, Duration.ZERO, Duration.ofSeconds(10), 30),
            new PrintStream(OutputStream.nullOutputStream()));
    boolean stalled = false;
    List<String> steps = new ArrayList<>();
    while (!search.done()) {
      double rate = search.rate();
      boolean ok = rate <= capacity && stalled;
      stalled = true; // only the very first step stalls
      StreamRateSearch.Step step = step(rate, ok ? 200 : 900);
      StreamRateSearch.Verdict v = search.record(step);
      steps.add(Math.round(rate) + ":" + v);
      search.advance(step, v);
    }
    assertThat(steps).startsWith("1000:AGAIN", "1000:HELD", "1500:HELD");
    assertThat(steps).contains("5063:AGAIN", "5063:FAILED");
    assertThat(search.outcome().maxRps()).isBetween(3400.0, 3700.0);
  }

  /** A step of 10 s at {@code rate}, every item written, whose text p99 is {@code p99Ms}. */
  private static StreamRateSearch.Step step(double rate, double p99Ms) {
    long items = Math.round(rate * 10);
    return new StreamRateSearch.Step(
        rate,
        rate,
        new StreamLatencies.Window(
            items, items, Map.of("text", new double[] {50, 100, p99Ms, items}), "", rate),
        300);
  }

  /** Searches in turns: a step of each in order, and one that ends early leaves the other going. */
  @Test
  void searchesTakeTurnsUntilEachHasEnded() throws Exception {
    List<String> order = new ArrayList<>();
    record Counted(String name, int steps, List<String> order) implements SteppedSearch {
      @Override
      public boolean done() {
        return order.stream().filter(name::equals).count() >= steps;
      }

      @Override
      public void step() {
        order.add(name);
      }
    }
    StreamRateSearch.inTurns(List.of(new Counted("job", 2, order), new Counted("bare", 4, order)));
    assertThat(order).containsExactly("job", "bare", "job", "bare", "bare", "bare");
  }

  @Test
  void threadGroupsJoinSubtasksAndPools() {
    assertThat(MachineCpu.group("GC Thread#1")).isEqualTo("GC Thread");
    assertThat(MachineCpu.group("C2 CompilerThre")).isEqualTo("CN CompilerThre");
    assertThat(MachineCpu.group("sentiment: sent")).isEqualTo("sentiment: sent");
    assertThat(MachineCpu.group("kafka-producer-")).isEqualTo("kafka-producer");
  }
}

package io.mmflow.operators.infer.remote.routing;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders the candidate provider/models for a call, best first; the caller tries them in that order,
 * falling back to the next on failure (or while a candidate's circuit breaker is open).
 *
 * <p>What is known of each candidate: its expected latency (declared until measured, then an
 * exponentially weighted moving average of measured latencies), its expected cost per call, its
 * declared quality in [0, 1], and its reliability (a moving average of success, 1 = every call
 * answered). Strategies:
 *
 * <ul>
 *   <li>{@code WEIGHTED}: the seeds' score, {@code w_latency × latency score + w_cost × cost score
 *       + w_quality × quality + w_reliability × reliability}, where the latency and cost scores are
 *       relative to the best candidate ({@code fastest / latency}, {@code cheapest / cost}; a free
 *       candidate scores 1), so that the weights mean the same whatever the units;
 *   <li>{@code LOWEST_LATENCY}, {@code LOWEST_COST}: by that figure, ties by declared order;
 *   <li>{@code ORDERED}: the declared order (plain fallback).
 * </ul>
 *
 * Not thread-safe; one per operator subtask.
 */
public final class ProviderRouter {
  /** How candidates are ordered. */
  public enum Strategy {
    WEIGHTED,
    LOWEST_LATENCY,
    LOWEST_COST,
    ORDERED
  }

  /** Weights of the {@code WEIGHTED} score; the seeds' defaults are 0.3, 0.2, 0.4, 0.1. */
  public record Weights(double latency, double cost, double quality, double reliability)
      implements Serializable {
    public static Weights defaults() {
      return new Weights(0.3, 0.2, 0.4, 0.1);
    }
  }

  /**
   * A candidate as declared.
   *
   * @param id provider/model
   * @param costPerCall expected cost of one call in USD (per-call price, or tokens × price)
   * @param quality declared quality in [0, 1]
   * @param expectedLatency the latency assumed until calls are measured
   */
  public record Candidate(String id, double costPerCall, double quality, Duration expectedLatency)
      implements Serializable {}

  private static final double ALPHA = 0.2;

  private final List<Candidate> candidates;
  private final Strategy strategy;
  private final Weights weights;
  private final Map<String, double[]> stats = new HashMap<>(); // id → {latency ms, reliability}

  public ProviderRouter(List<Candidate> candidates, Strategy strategy, Weights weights) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one candidate");
    }
    this.candidates = List.copyOf(candidates);
    this.strategy = strategy;
    this.weights = weights;
    for (Candidate c : candidates) {
      stats.put(c.id(), new double[] {c.expectedLatency().toNanos() / 1e6, 1.0});
    }
  }

  /** Records a call's outcome: its latency (answered or not) and whether it answered. */
  public void record(String id, boolean success, long latencyNanos) {
    double[] s = stats.get(id);
    s[0] = (1 - ALPHA) * s[0] + ALPHA * (latencyNanos / 1e6);
    s[1] = (1 - ALPHA) * s[1] + ALPHA * (success ? 1 : 0);
  }

  /** The expected latency of a candidate, in milliseconds. */
  public double latencyMs(String id) {
    return stats.get(id)[0];
  }

  /** The measured reliability of a candidate in [0, 1]. */
  public double reliability(String id) {
    return stats.get(id)[1];
  }

  /** The candidates, best first. */
  public List<Candidate> order() {
    List<Candidate> out = new ArrayList<>(candidates);
    switch (strategy) {
      case ORDERED -> {}
      case LOWEST_LATENCY -> out.sort(Comparator.comparingDouble(c -> latencyMs(c.id())));
      case LOWEST_COST -> out.sort(Comparator.comparingDouble(Candidate::costPerCall));
      case WEIGHTED -> {
        Map<String, Double> score = new HashMap<>();
        for (Candidate c : candidates) {
          score.put(c.id(), score(c));
        }
        out.sort(Comparator.comparingDouble((Candidate c) -> score.get(c.id())).reversed());
      }
    }
    return out;
  }

  /** The {@code WEIGHTED} score of a candidate, in [0, 1] with weights summing to 1. */
  public double score(Candidate c) {
    double fastest = Double.MAX_VALUE;
    double cheapest = Double.MAX_VALUE;
    for (Candidate o : candidates) {
      fastest = Math.min(fastest, latencyMs(o.id()));
      cheapest = Math.min(cheapest, o.costPerCall());
    }
    double latency = latencyMs(c.id()) <= 0 ? 1 : Math.max(fastest, 1e-9) / latencyMs(c.id());
    double cost = c.costPerCall() <= 0 ? 1 : cheapest / c.costPerCall();
    return weights.latency() * latency
        + weights.cost() * cost
        + weights.quality() * c.quality()
        + weights.reliability() * reliability(c.id());
  }
}

package io.mmflow.operators.infer.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mmflow.core.util.Hashing;
import io.mmflow.operators.normalize.RemoteResults;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Remote answers kept so that the same question is not paid for twice: a replayed record after a
 * restart, a duplicate file, the same post in two feeds.
 *
 * <ul>
 *   <li>Exact (Caffeine, size- and age-bounded): keyed by the SHA-256 of content + task + model +
 *       model version + prompt; any change to one of them is a different question.
 *   <li>Semantic (text prompts only, optional): an answer for a text whose embedding has cosine
 *       similarity above the threshold with a cached text's, for the same task, model and prompt. A
 *       linear scan over at most {@code semanticEntries} unit vectors, oldest dropped first.
 * </ul>
 *
 * The caller marks answers served from here as cache hits in the result's provenance.
 *
 * @param <V> the answer
 */
public final class AnswerCache<V> {
  /** Where an answer came from. */
  public enum Hit {
    EXACT,
    SEMANTIC,
    /** Found by the exact key in the table across runs ({@link PostgresAnswerStore}). */
    STORED,
    /**
     * Not a cache: the provider's stored answer to a call that a killed attempt paid for and never
     * recorded; its cost counts where it is served ({@link RemoteResults#RECOVERED}).
     */
    RECOVERED;

    /** The name results carry in their {@code cache_hit} attribute. */
    public String wireName() {
      return switch (this) {
        case SEMANTIC -> RemoteResults.SEMANTIC;
        case RECOVERED -> RemoteResults.RECOVERED;
        default -> name().toLowerCase(Locale.ROOT);
      };
    }
  }

  /** A cached answer and how it matched. */
  public record Found<V>(V answer, Hit hit, double similarity) {}

  private final Cache<String, V> exact;
  private final double threshold;
  private final int semanticEntries;
  private final Deque<Entry<V>> semantic = new ArrayDeque<>();

  private record Entry<V>(String scope, float[] vector, V answer) {}

  /**
   * @param maxEntries exact entries kept
   * @param ttl how long an exact entry lives
   * @param semanticThreshold cosine similarity for a semantic hit, in (0, 1]; {@code > 1} turns the
   *     semantic cache off
   * @param semanticEntries vectors kept for semantic look-ups
   */
  public AnswerCache(long maxEntries, Duration ttl, double semanticThreshold, int semanticEntries) {
    this.exact = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).build();
    this.threshold = semanticThreshold;
    this.semanticEntries = semanticEntries;
  }

  /** The exact key: SHA-256 over the parts, each length-prefixed so that no two lists collide. */
  public static String key(
      String contentSha256, String task, String model, String modelVersion, String prompt) {
    MessageDigest sha = Hashing.digest();
    for (String part : new String[] {contentSha256, task, model, modelVersion, prompt}) {
      byte[] b = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
      sha.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
      sha.update(b);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The answer stored under {@code key}, else the nearest semantic match in {@code scope}. */
  public Optional<Found<V>> find(String key, String scope, float[] unitVector) {
    V v = exact.getIfPresent(key);
    if (v != null) {
      return Optional.of(new Found<>(v, Hit.EXACT, 1.0));
    }
    if (unitVector == null || threshold > 1) {
      return Optional.empty();
    }
    synchronized (semantic) {
      Entry<V> best = null;
      double bestSimilarity = -1;
      for (Entry<V> e : semantic) {
        if (e.scope().equals(scope) && e.vector().length == unitVector.length) {
          double dot = 0;
          for (int i = 0; i < unitVector.length; i++) {
            dot += e.vector()[i] * unitVector[i];
          }
          if (dot > bestSimilarity) {
            bestSimilarity = dot;
            best = e;
          }
        }
      }
      return best != null && bestSimilarity >= threshold
          ? Optional.of(new Found<>(best.answer(), Hit.SEMANTIC, bestSimilarity))
          : Optional.empty();
    }
  }

  /** Stores an answer; {@code unitVector} (or null) makes it findable by similarity. */
  public void put(String key, String scope, float[] unitVector, V answer) {
    exact.put(key, answer);
    if (unitVector != null && threshold <= 1) {
      synchronized (semantic) {
        semantic.addLast(new Entry<>(scope, unitVector.clone(), answer));
        while (semantic.size() > semanticEntries) {
          semantic.removeFirst();
        }
      }
    }
  }

  public long exactSize() {
    exact.cleanUp();
    return exact.estimatedSize();
  }
}

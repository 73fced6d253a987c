package io.mmflow.jobs.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Character and word error rates of recognized text against ground truth, the standard OCR
 * measures: the Levenshtein (1966) edit distance (insertions, deletions, substitutions) between the
 * two sequences, divided by the length of the truth. Whitespace is normalized first (runs of
 * whitespace become one space, ends trimmed), since line breaks are layout, not content.
 */
public final class TextMetrics {
  private TextMetrics() {}

  /** Edits and reference length for one page; sum these over pages for a corpus rate. */
  public record Errors(long edits, long referenceLength) {
    public double rate() {
      return referenceLength == 0 ? (edits == 0 ? 0.0 : 1.0) : (double) edits / referenceLength;
    }

    public Errors plus(Errors other) {
      return new Errors(edits + other.edits, referenceLength + other.referenceLength);
    }

    public static final Errors NONE = new Errors(0, 0);
  }

  public static String normalize(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s+", " ");
  }

  public static Errors characterErrors(String truth, String recognized) {
    String t = normalize(truth);
    String r = normalize(recognized);
    return new Errors(distance(codePoints(t), codePoints(r)), t.codePointCount(0, t.length()));
  }

  public static Errors wordErrors(String truth, String recognized) {
    List<String> t = words(truth);
    List<String> r = words(recognized);
    return new Errors(distance(t.toArray(), r.toArray()), t.size());
  }

  private static List<String> words(String s) {
    String n = normalize(s);
    return n.isEmpty() ? List.of() : Arrays.asList(n.split(" "));
  }

  private static Integer[] codePoints(String s) {
    return s.codePoints().boxed().toArray(Integer[]::new);
  }

  /** Levenshtein distance with two rows, O(n*m) time and O(m) memory. */
  static long distance(Object[] a, Object[] b) {
    long[] prev = new long[b.length + 1];
    long[] cur = new long[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length; j++) {
        long subst = prev[j - 1] + (a[i - 1].equals(b[j - 1]) ? 0 : 1);
        cur[j] = Math.min(subst, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      long[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length];
  }
}

package io.mmflow.core.util;

/** Small operations on embedding vectors. */
public final class Vectors {
  private Vectors() {}

  /**
   * {@code v} scaled in place to L2 norm 1 (a zero vector stays zero), so that cosine similarity is
   * a dot product; returns {@code v}.
   */
  public static float[] unitLength(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) (v[d] / norm);
      }
    }
    return v;
  }
}

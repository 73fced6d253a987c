package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.checkArgument;

/**
 * What a result cost: tokens in and out and money. Local models cost {@link #FREE}.
 *
 * @param inputTokens tokens sent (prompt), 0 when not token-priced
 * @param outputTokens tokens received (completion)
 * @param usd cost in US dollars
 */
public record Cost(long inputTokens, long outputTokens, double usd) {
  public static final Cost FREE = new Cost(0, 0, 0.0);

  public Cost {
    checkArgument(inputTokens >= 0 && outputTokens >= 0, "token counts must be >= 0");
    checkArgument(usd >= 0 && !Double.isNaN(usd), "cost must be >= 0, but was: %s", usd);
  }

  /** This cost and {@code other} together (e.g. a call and the embedding made for it). */
  public Cost plus(Cost other) {
    return new Cost(
        inputTokens + other.inputTokens, outputTokens + other.outputTokens, usd + other.usd);
  }
}

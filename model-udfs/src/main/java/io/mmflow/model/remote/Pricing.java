package io.mmflow.model.remote;

import io.mmflow.core.util.Checks;

/**
 * What a remote model costs, in USD: per 1,000 input and output tokens, plus a fixed amount per
 * call (for providers that price per image or per request). All parts may be combined; all are
 * {@code >= 0}.
 */
public record Pricing(double inputPer1k, double outputPer1k, double perCall) {
  /** A model that costs nothing (e.g. a local server). */
  public static final Pricing FREE = new Pricing(0, 0, 0);

  public Pricing {
    Checks.checkArgument(
        inputPer1k >= 0 && outputPer1k >= 0 && perCall >= 0,
        "prices must be >= 0, but were: %s, %s, %s",
        inputPer1k,
        outputPer1k,
        perCall);
  }

  /** The cost of one call that used these token counts. */
  public double usd(long inputTokens, long outputTokens) {
    return perCall + inputTokens * inputPer1k / 1000.0 + outputTokens * outputPer1k / 1000.0;
  }
}

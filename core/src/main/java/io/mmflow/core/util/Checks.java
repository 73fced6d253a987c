package io.mmflow.core.util;

/** Argument checks whose messages name the bad value. */
public final class Checks {
  private Checks() {}

  public static void checkArgument(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(template, args));
    }
  }

  public static String requireNonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          name + " must not be blank, but was: " + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  public static double checkUnitInterval(double value, String name) {
    checkArgument(
        value >= 0.0 && value <= 1.0 && !Double.isNaN(value),
        "%s must be in [0,1], but was: %s",
        name,
        value);
    return value;
  }
}

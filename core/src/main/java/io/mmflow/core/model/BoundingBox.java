package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.checkArgument;

/** A box in pixels of the page or image, origin at the top left. */
public record BoundingBox(int x, int y, int width, int height) {
  public BoundingBox {
    checkArgument(
        width >= 0 && height >= 0, "box size must be >= 0, but was: %sx%s", width, height);
  }
}

package io.mmflow.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

final class SchemaEnums {
  private SchemaEnums() {}

  static <E extends Enum<E>> E parse(Class<E> type, String name) {
    if (name != null) {
      for (E value : type.getEnumConstants()) {
        if (value.name().equalsIgnoreCase(name.trim())) {
          return value;
        }
      }
    }
    String accepted =
        Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "Unknown " + type.getSimpleName() + " '" + name + "'; expected one of: " + accepted);
  }
}

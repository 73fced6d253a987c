package io.mmflow.model.remote;

import static java.util.Objects.requireNonNull;

/**
 * A provider's API key. Its {@link #toString()} never shows the key, so records that hold one (such
 * as {@link ProviderSpec}) can be printed and logged safely; only {@link #reveal()} gives the key,
 * to hand it to the HTTP client.
 */
public final class ApiKey {
  /** No key: for local OpenAI-compatible servers that do not check one. */
  public static final ApiKey NONE = new ApiKey("", "none");

  private final String key;
  private final String source;

  private ApiKey(String key, String source) {
    this.key = key;
    this.source = source;
  }

  /**
   * A key and where it came from, e.g. {@code "env OPENAI_API_KEY"}; the source is shown by {@link
   * #toString()}, the key never.
   */
  public static ApiKey of(String key, String source) {
    requireNonNull(key, "key is null");
    return new ApiKey(key.trim(), requireNonNull(source, "source is null"));
  }

  /** The key itself; never log or store it. */
  public String reveal() {
    return key;
  }

  /** Whether there is a key at all. */
  public boolean isPresent() {
    return !key.isEmpty();
  }

  /** Where the key came from, never the key. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return isPresent() ? "ApiKey[" + source + ", ***]" : "ApiKey[none]";
  }
}

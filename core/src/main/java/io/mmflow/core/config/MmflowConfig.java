package io.mmflow.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Loads and checks mmflow configuration.
 *
 * <p>Order, later wins: option defaults, the YAML file ({@code --config}), then {@code -D}/CLI
 * overrides. Keys may be flat ({@code mmflow.source.path: x}) or nested YAML. A key under {@code
 * mmflow.} that no option declares is refused with the nearest known key, so typos never pass
 * silently; values are checked against their option's type before any job starts.
 */
public final class MmflowConfig {
  private MmflowConfig() {}

  /**
   * A setting whose name has one of these words as a part of it (between dots, dashes or
   * underscores) holds a secret: {@code jdbc.password}, {@code s3.secret-key}, {@code
   * catalog.credential}; not {@code remote.tokens-per-minute}.
   */
  private static final java.util.regex.Pattern SECRET =
      java.util.regex.Pattern.compile(
          "(^|[._-])(password|passwd|secret|api-key|apikey|token|credential|credentials"
              + "|access-key|access-key-id|secret-key|session-token|private-key)($|[._-])");

  /** Whether setting {@code key} holds a secret (a password, a key, a token, a credential). */
  public static boolean isSecret(String key) {
    return SECRET.matcher(key.toLowerCase(java.util.Locale.ROOT)).find();
  }

  /** Every declared option, for validation and {@code --help}. */
  public static List<ConfigOption<?>> allOptions() {
    return Stream.of(
            SourceOptions.all(),
            S3Options.all(),
            ExtractionOptions.all(),
            OcrOptions.all(),
            IcebergOptions.all(),
            PostgresOptions.all(),
            KafkaOptions.all(),
            ModelOptions.all(),
            RemoteOptions.all(),
            FusionOptions.all(),
            BackfillOptions.all(),
            RuntimeOptions.all())
        .flatMap(List::stream)
        .collect(Collectors.toList());
  }

  /** Reads a YAML file into flat string keys. */
  public static Map<String, String> readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID, "config file not found: " + file.toAbsolutePath());
    }
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      Map<String, String> flat = new LinkedHashMap<>();
      if (root != null && !root.isNull()) {
        if (!root.isObject()) {
          throw new MmflowException(
              ErrorCode.CONFIGURATION_INVALID,
              "config file " + file + " must hold key: value pairs at its top level");
        }
        flatten("", root, flat);
      }
      return flat;
    } catch (IOException e) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "config file "
              + file
              + " is not valid YAML: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(n -> items.add(n.asText()));
      out.put(prefix, String.join(";", items));
    } else if (!node.isNull()) {
      out.put(prefix, node.asText());
    }
  }

  /**
   * Builds the configuration from the file's keys and overrides, then validates it.
   *
   * @throws MmflowException {@link ErrorCode#CONFIGURATION_INVALID} naming the bad key or value
   */
  public static Configuration load(Map<String, String> fileKeys, Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(fileKeys);
    merged.putAll(overrides);
    checkKnownKeys(merged.keySet());
    Configuration config = Configuration.fromMap(merged);
    validate(config);
    return config;
  }

  /** Checks that every declared option's value parses. */
  public static void validate(Configuration config) {
    for (ConfigOption<?> option : allOptions()) {
      try {
        config.get(option);
      } catch (RuntimeException e) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "invalid value '"
                + config.toMap().get(option.key())
                + "' for "
                + option.key()
                + ": "
                + rootMessage(e));
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static void checkKnownKeys(Iterable<String> keys) {
    List<String> known = allOptions().stream().map(ConfigOption::key).toList();
    for (String key : keys) {
      if (!key.startsWith("mmflow.")
          || key.startsWith(IcebergOptions.CATALOG_PROPERTY_PREFIX)
          || known.contains(key)) {
        continue; // Flink's own keys pass through to Flink
      }
      String nearest = nearest(key, known);
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "unknown configuration key '" + key + "' (did you mean '" + nearest + "'?)");
    }
  }

  /** The known name closest to {@code key}, for "did you mean" hints. */
  public static String nearest(String key, Collection<String> known) {
    return known.stream().min(Comparator.comparingInt(k -> editDistance(k, key))).orElse("");
  }

  /** Levenshtein distance, for "did you mean" hints. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(subst, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Catalog properties given under {@link IcebergOptions#CATALOG_PROPERTY_PREFIX}. */
  public static Map<String, String> icebergCatalogProperties(Configuration config) {
    Map<String, String> props = new LinkedHashMap<>();
    config
        .toMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith(IcebergOptions.CATALOG_PROPERTY_PREFIX)) {
                props.put(k.substring(IcebergOptions.CATALOG_PROPERTY_PREFIX.length()), v);
              }
            });
    return props;
  }
}

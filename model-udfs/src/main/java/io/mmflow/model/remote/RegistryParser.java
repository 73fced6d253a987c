package io.mmflow.model.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Task;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Parses and checks one entry of {@code providers:} of a {@link ProviderRegistry}. */
final class RegistryParser {
  static final Set<String> PROVIDER_KEYS =
      Set.of(
          "name",
          "base-url",
          "api-key-env",
          "api-key-file",
          "organization",
          "timeout",
          "store-completions",
          "models");
  static final Set<String> MODEL_KEYS =
      Set.of("id", "model", "tasks", "cost", "quality", "max-tokens", "temperature");
  static final Set<String> COST_KEYS = Set.of("input-per-1k", "output-per-1k", "per-call");

  private final String location;
  private final Path base;
  private final Function<String, String> env;
  private String where = "";

  RegistryParser(String location, Path base, Function<String, String> env) {
    this.location = location;
    this.base = base;
    this.env = env;
  }

  ProviderSpec provider(JsonNode node) {
    if (!node.isObject()) {
      throw fail("each entry of 'providers' must be a mapping");
    }
    String name = text(node, "name");
    where = "provider '" + name + "': ";
    checkKeys(node, PROVIDER_KEYS, "", this::fail);
    String baseUrl = baseUrl(text(node, "base-url"));
    ApiKey key = apiKey(node, name);
    Optional<String> organization = Optional.ofNullable(optionalText(node, "organization"));
    Duration timeout = duration(node, "timeout", Duration.ofSeconds(30));
    boolean storeCompletions = flag(node, "store-completions");
    JsonNode list = node.path("models");
    if (!list.isArray() || list.isEmpty()) {
      throw fail("'models' must be a non-empty list");
    }
    List<RemoteModelSpec> models = new ArrayList<>();
    String providerWhere = where;
    for (JsonNode m : list) {
      where = providerWhere;
      models.add(model(name, m));
    }
    return new ProviderSpec(name, baseUrl, key, organization, timeout, models, storeCompletions);
  }

  private RemoteModelSpec model(String provider, JsonNode node) {
    if (!node.isObject()) {
      throw fail("each entry of 'models' must be a mapping");
    }
    String id = text(node, "id");
    where = where + "model '" + id + "': ";
    checkKeys(node, MODEL_KEYS, "", this::fail);
    String model = text(node, "model");
    JsonNode taskList = node.path("tasks");
    if (!taskList.isArray() || taskList.isEmpty()) {
      throw fail("'tasks' must be a non-empty list, e.g. [sentiment, summary]");
    }
    Set<Task> tasks = new LinkedHashSet<>();
    for (JsonNode t : taskList) {
      try {
        tasks.add(Task.fromWireName(t.asText()));
      } catch (IllegalArgumentException e) {
        throw fail("'tasks': " + e.getMessage());
      }
    }
    Pricing pricing = pricing(node.path("cost"));
    double quality = number(node, "quality", 0.5);
    if (quality < 0 || quality > 1) {
      throw fail("'quality' must be between 0 and 1, not " + quality);
    }
    double maxTokens = number(node, "max-tokens", 256);
    if (maxTokens < 1 || maxTokens != Math.rint(maxTokens)) {
      throw fail("'max-tokens' must be a whole number >= 1");
    }
    double temperature = number(node, "temperature", 0);
    if (temperature < 0 || temperature > 2) {
      throw fail("'temperature' must be between 0 and 2, not " + temperature);
    }
    return new RemoteModelSpec(
        provider, id, model, tasks, pricing, quality, (int) maxTokens, temperature);
  }

  private Pricing pricing(JsonNode cost) {
    if (cost.isMissingNode()) {
      return Pricing.FREE;
    }
    checkKeys(cost, COST_KEYS, "cost.", this::fail);
    double in = number(cost, "input-per-1k", 0);
    double out = number(cost, "output-per-1k", 0);
    double call = number(cost, "per-call", 0);
    if (in < 0 || out < 0 || call < 0) {
      throw fail("cost values must be >= 0 (input-per-1k, output-per-1k, per-call)");
    }
    return new Pricing(in, out, call);
  }

  private ApiKey apiKey(JsonNode node, String name) {
    String var = optionalText(node, "api-key-env");
    String file = optionalText(node, "api-key-file");
    if (var != null && file != null) {
      throw fail("give either api-key-env or api-key-file, not both");
    }
    if (var != null) {
      String value = env.apply(var);
      if (value == null || value.isBlank()) {
        throw fail("api-key-env: the environment variable " + var + " is not set");
      }
      return ApiKey.of(value, "env " + var);
    }
    if (file != null) {
      Path path = base == null ? Path.of(file) : base.resolve(file);
      try {
        String value = Files.readString(path).trim();
        if (value.isEmpty()) {
          throw fail("api-key-file: " + path + " is empty");
        }
        return ApiKey.of(value, "file " + path);
      } catch (IOException e) {
        throw fail(
            "api-key-file: " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
      }
    }
    return ApiKey.NONE;
  }

  private String baseUrl(String url) {
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw fail("'base-url' must be an http(s) URL such as https://api.openai.com/v1");
      }
      if (uri.getUserInfo() != null) {
        throw fail("'base-url' must not hold credentials; use api-key-env or api-key-file");
      }
    } catch (URISyntaxException e) {
      throw fail("'base-url' is not a URL: " + e.getReason());
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private String text(JsonNode n, String key) {
    String v = optionalText(n, key);
    if (v == null) {
      throw fail("'" + key + "' is missing");
    }
    return v;
  }

  private static String optionalText(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
  }

  private double number(JsonNode n, String key, double fallback) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw fail("'" + key + "' must be a number, not '" + v.asText() + "'");
    }
    return v.asDouble();
  }

  private boolean flag(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw fail("'" + key + "' must be true or false, not '" + v.asText() + "'");
    }
    return v.asBoolean();
  }

  private Duration duration(JsonNode n, String key, Duration fallback) {
    String s = optionalText(n, key);
    if (s == null) {
      return fallback;
    }
    try {
      Duration d;
      if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      } else if (s.endsWith("s")) {
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      } else {
        d = Duration.ofMillis(Long.parseLong(s));
      }
      if (d.isNegative() || d.isZero()) {
        throw fail("'" + key + "' must be positive");
      }
      return d;
    } catch (NumberFormatException e) {
      throw fail("'" + key + "' must be a duration such as 500ms or 10s, not '" + s + "'");
    }
  }

  static void checkKeys(
      JsonNode n, Set<String> known, String prefix, Function<String, MmflowException> fail) {
    if (!n.isObject()) {
      throw fail.apply("'" + prefix + "' must be a mapping");
    }
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!known.contains(key)) {
        throw fail.apply(
            "unknown key '%s%s' (did you mean '%s%s'?)"
                .formatted(prefix, key, prefix, MmflowConfig.nearest(key, known)));
      }
    }
  }

  private MmflowException fail(String message) {
    return ProviderRegistry.invalid(location, where + message);
  }
}

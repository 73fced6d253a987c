package io.mmflow.model.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The remote models a job may call, declared in a YAML file in the manner of LiteLLM's model list:
 *
 * <pre>{@code
 * providers:
 *   - name: local-openai
 *     base-url: http://127.0.0.1:8089/v1
 *     api-key-env: OPENAI_API_KEY        # or api-key-file: /path (relative to this file)
 *     organization: org-x                # optional
 *     timeout: 10s                       # default 30s
 *     models:
 *       - id: gpt-small                  # mmflow's id (results' model_id)
 *         model: gpt-4o-mini             # the provider's model name
 *         tasks: [sentiment, summary, entities, caption]
 *         cost: {input-per-1k: 0.00015, output-per-1k: 0.0006}   # and/or per-call: 0.006
 *         quality: 0.8                   # 0..1, default 0.5
 *         max-tokens: 256                # default 256
 *         temperature: 0                 # default 0
 * }</pre>
 *
 * <p>Every mistake stops with one {@link ErrorCode#CONFIGURATION_INVALID} message naming the file,
 * the provider, the model and the key. Keys are read when the registry is loaded; a missing
 * variable or file is named, its value never shown.
 */
public final class ProviderRegistry {
  private final String location;
  private final List<ProviderSpec> providers;
  private final Map<String, RemoteModelSpec> models;

  private ProviderRegistry(String location, List<ProviderSpec> providers) {
    this.location = location;
    this.providers = List.copyOf(providers);
    Map<String, RemoteModelSpec> byId = new LinkedHashMap<>();
    for (ProviderSpec p : providers) {
      for (RemoteModelSpec m : p.models()) {
        if (byId.putIfAbsent(m.id(), m) != null) {
          throw invalid(location, "model '" + m.id() + "' is declared twice");
        }
      }
    }
    this.models = byId;
  }

  /** Reads the registry file at {@code file}; keys come from the process environment. */
  public static ProviderRegistry load(Path file) {
    return load(file, System::getenv);
  }

  /** Reads the registry file at {@code file}, looking environment variables up in {@code env}. */
  public static ProviderRegistry load(Path file, Function<String, String> env) {
    String location = file.toString();
    if (!Files.isRegularFile(file)) {
      throw invalid(location, "the provider registry file does not exist");
    }
    try {
      Path base = file.toAbsolutePath().getParent();
      return parse(Files.readString(file), location, base, env);
    } catch (IOException e) {
      throw invalid(location, "cannot be read: " + e.getMessage());
    }
  }

  /**
   * Parses registry text; {@code location} names it in messages, {@code base} resolves relative
   * {@code api-key-file} paths and {@code env} looks environment variables up.
   */
  public static ProviderRegistry parse(
      String yaml, String location, Path base, Function<String, String> env) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw invalid(location, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.path("providers").isArray()) {
      throw invalid(location, "expected a top-level 'providers:' list");
    }
    RegistryParser.checkKeys(root, java.util.Set.of("providers"), "", m -> invalid(location, m));
    List<ProviderSpec> providers = new ArrayList<>();
    for (JsonNode node : root.get("providers")) {
      ProviderSpec p = new RegistryParser(location, base, env).provider(node);
      if (providers.stream().anyMatch(q -> q.name().equals(p.name()))) {
        throw invalid(location, "provider '" + p.name() + "' is declared twice");
      }
      providers.add(p);
    }
    return new ProviderRegistry(location, providers);
  }

  /** Where the registry was read from. */
  public String location() {
    return location;
  }

  /** The providers, in file order. */
  public List<ProviderSpec> providers() {
    return providers;
  }

  /** All models of all providers, in file order. */
  public List<RemoteModelSpec> models() {
    return List.copyOf(models.values());
  }

  /** The model with this id; a clear error naming the known ids when there is none. */
  public RemoteModelSpec model(String id) {
    RemoteModelSpec spec = models.get(id);
    if (spec == null) {
      throw invalid(
          location, "no model '%s' (known: %s)".formatted(id, String.join(", ", models.keySet())));
    }
    return spec;
  }

  /** The provider that serves {@code model}. */
  public ProviderSpec provider(RemoteModelSpec model) {
    return providers.stream()
        .filter(p -> p.name().equals(model.provider()))
        .findFirst()
        .orElseThrow(() -> invalid(location, "no provider '" + model.provider() + "'"));
  }

  static MmflowException invalid(String location, String message) {
    return new MmflowException(
        ErrorCode.CONFIGURATION_INVALID, "provider registry " + location + ": " + message);
  }
}

package io.mmflow.model.remote;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One OpenAI-compatible endpoint of the provider registry and the models it serves. The API key is
 * an {@link ApiKey}, so {@link #toString()} never shows it.
 *
 * @param name the provider's name in the registry
 * @param baseUrl the API root, e.g. {@code https://api.openai.com/v1}
 * @param apiKey the key sent as a bearer token, or {@link ApiKey#NONE}
 * @param organization the OpenAI organization header, if any
 * @param timeout the most one call may take, connection included
 * @param models the models of this provider
 * @param storeCompletions whether chat calls ask the provider to keep their answers ({@code store:
 *     true}, tagged with mmflow's request key in {@code metadata}), so that an answer paid for by a
 *     run that was killed before it recorded it can be fetched instead of paid again (OpenAI's
 *     stored chat completions; {@code store-completions} in the providers file, off by default)
 */
public record ProviderSpec(
    String name,
    String baseUrl,
    ApiKey apiKey,
    Optional<String> organization,
    Duration timeout,
    List<RemoteModelSpec> models,
    boolean storeCompletions) {

  public ProviderSpec {
    requireNonNull(name, "name is null");
    requireNonNull(baseUrl, "baseUrl is null");
    requireNonNull(apiKey, "apiKey is null");
    requireNonNull(organization, "organization is null");
    requireNonNull(timeout, "timeout is null");
    models = List.copyOf(models);
  }

  /** A provider whose answers are not stored at its end. */
  public ProviderSpec(
      String name,
      String baseUrl,
      ApiKey apiKey,
      Optional<String> organization,
      Duration timeout,
      List<RemoteModelSpec> models) {
    this(name, baseUrl, apiKey, organization, timeout, models, false);
  }
}

package io.mmflow.model.remote;

import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.core.model.Task;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** Builds provider and model declarations that point at a loopback server. */
final class RemoteTestModels {
  static final Pricing PRICING = new Pricing(0.5, 1.5, 0.001);

  private RemoteTestModels() {}

  static OpenAiRemoteModel model(LoopbackOpenAiServer server, String key, Duration timeout) {
    return model(server, key, timeout, false);
  }

  /** A model of a provider that stores chat completions when {@code storeCompletions}. */
  static OpenAiRemoteModel model(
      LoopbackOpenAiServer server, String key, Duration timeout, boolean storeCompletions) {
    RemoteModelSpec spec =
        new RemoteModelSpec(
            "loop", "gpt-small", "gpt-4o-mini", EnumSet.allOf(Task.class), PRICING, 0.8, 64, 0);
    ProviderSpec provider =
        new ProviderSpec(
            "loop",
            server.baseUrl(),
            key == null ? ApiKey.NONE : ApiKey.of(key, "test"),
            Optional.of("org-x"),
            timeout,
            List.of(spec),
            storeCompletions);
    return OpenAiRemoteModel.of(provider, spec);
  }

  static OpenAiRemoteModel model(LoopbackOpenAiServer server) {
    return model(server, "test-key-123", Duration.ofSeconds(10));
  }
}

package io.mmflow.model.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and checking the provider registry. */
class ProviderRegistryTest {
  private static final String SECRET = "sk-secretvalue12345678";
  private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", SECRET);

  private static final String GOOD =
      """
      providers:
        - name: local-openai
          base-url: http://127.0.0.1:8089/v1/
          api-key-env: OPENAI_API_KEY
          organization: org-x
          timeout: 10s
          models:
            - id: gpt-small
              model: gpt-4o-mini
              tasks: [sentiment, summary, entities, caption]
              cost: {input-per-1k: 0.00015, output-per-1k: 0.0006}
              quality: 0.8
              max-tokens: 256
              temperature: 0
            - id: whisper
              model: whisper-1
              tasks: [transcription]
              cost: {per-call: 0.006}
      """;

  private static ProviderRegistry parse(String yaml) {
    return ProviderRegistry.parse(yaml, "test.yaml", null, ENV::get);
  }

  private static void fails(String yaml, String... parts) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(MmflowException.class)
        .satisfies(
            e ->
                assertThat(((MmflowException) e).code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
        .hasMessageContaining("test.yaml")
        .hasMessageContainingAll(parts);
  }

  @Test
  void parsesTheExample() {
    ProviderRegistry r = parse(GOOD);
    ProviderSpec p = r.providers().get(0);
    assertThat(p.baseUrl()).isEqualTo("http://127.0.0.1:8089/v1");
    assertThat(p.apiKey().reveal()).isEqualTo(SECRET);
    assertThat(p.organization()).contains("org-x");
    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(10));
    RemoteModelSpec m = r.model("gpt-small");
    assertThat(m.model()).isEqualTo("gpt-4o-mini");
    assertThat(m.tasks()).contains(Task.SENTIMENT, Task.CAPTION);
    assertThat(m.pricing().usd(1000, 1000))
        .isCloseTo(0.00075, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(m.quality()).isEqualTo(0.8);
    assertThat(m.maxTokens()).isEqualTo(256);
    assertThat(r.model("whisper").pricing().usd(0, 0)).isEqualTo(0.006);
    assertThat(r.provider(m)).isSameAs(p);
    assertThat(r.toString() + p + r.providers() + p.apiKey()).doesNotContain(SECRET);
    assertThat(p.toString()).contains("env OPENAI_API_KEY");
    assertThat(p.storeCompletions()).isFalse();
  }

  @Test
  void storeCompletionsIsAFlag() {
    String storing =
        GOOD.replace("    timeout: 10s\n", "    timeout: 10s\n    store-completions: true\n");
    assertThat(parse(storing).providers().get(0).storeCompletions()).isTrue();
    fails(storing.replace(": true", ": sometimes"), "'store-completions' must be true or false");
  }

  @Test
  void unknownKeySaysDidYouMean() {
    fails(GOOD.replace("max-tokens", "max-token"), "gpt-small", "'max-token'", "'max-tokens'");
    fails(GOOD.replace("base-url", "baseurl"), "'baseurl'", "did you mean 'base-url'");
    fails(GOOD.replace("per-call", "per_call"), "'cost.per_call'", "'cost.per-call'");
  }

  @Test
  void missingBaseUrlAndBadUrl() {
    fails(
        GOOD.replace("    base-url: http://127.0.0.1:8089/v1/\n", ""),
        "local-openai",
        "'base-url' is missing");
    fails(GOOD.replace("http://127.0.0.1:8089/v1/", "ftp://x/v1"), "http(s) URL");
  }

  @Test
  void unknownTaskNegativeCostAndBadQuality() {
    fails(
        GOOD.replace("[transcription]", "[transcribe]"), "whisper", "transcribe", "transcription");
    fails(GOOD.replace("per-call: 0.006", "per-call: -1"), "whisper", ">= 0");
    fails(GOOD.replace("quality: 0.8", "quality: 3"), "'quality'");
    fails(GOOD.replace("timeout: 10s", "timeout: soon"), "'timeout'");
  }

  @Test
  void missingEnvironmentVariableIsNamedWithoutValue() {
    assertThatThrownBy(() -> ProviderRegistry.parse(GOOD, "test.yaml", null, k -> null))
        .hasMessageContaining("OPENAI_API_KEY is not set");
  }

  @Test
  void keyFromFileAndDuplicates(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("key.txt"), SECRET + "\n");
    Path file = dir.resolve("providers.yaml");
    Files.writeString(file, GOOD.replace("api-key-env: OPENAI_API_KEY", "api-key-file: key.txt"));
    ProviderRegistry r = ProviderRegistry.load(file, k -> null);
    assertThat(r.providers().get(0).apiKey().reveal()).isEqualTo(SECRET);
    assertThat(r.providers().get(0).toString()).doesNotContain(SECRET);
    fails(
        GOOD.replace("api-key-env: OPENAI_API_KEY", "api-key-file: /no/such/key"), "/no/such/key");
    fails(GOOD.replace("id: whisper", "id: gpt-small"), "'gpt-small' is declared twice");
    assertThatThrownBy(() -> parse(GOOD).model("nope"))
        .hasMessageContaining("known: gpt-small, whisper");
  }

  @Test
  void notAListOrNotYaml() {
    fails("models: []", "'providers:'");
    fails("providers: [\n", "not valid YAML");
  }

  @Test
  void theLoopbackServerWritesAProvidersFileThatLoads(@TempDir Path dir) throws Exception {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      Path file =
          server.writeProvidersFile(
              dir.resolve("p.yaml"),
              Duration.ofMillis(400),
              """
              - id: small
                model: gpt-4o-mini
                tasks: [sentiment, summary]
              - id: emb
                model: text-embedding-3-small
                tasks: [embedding]
              """);
      ProviderRegistry registry = ProviderRegistry.load(file);
      ProviderSpec loop = registry.provider(registry.model("small"));
      assertThat(loop.name()).isEqualTo("loop");
      assertThat(loop.baseUrl()).startsWith(server.baseUrl());
      assertThat(loop.timeout()).isEqualTo(Duration.ofMillis(400));
      assertThat(registry.models()).extracting(RemoteModelSpec::id).containsExactly("small", "emb");
      assertThat(registry.model("emb").supports(Task.EMBEDDING)).isTrue();
      // without a timeout the provider's default (30 s) applies
      Path plain =
          server.writeProvidersFile(
              dir.resolve("q.yaml"), "- id: x\n  model: m\n  tasks: [summary]\n");
      ProviderRegistry defaults = ProviderRegistry.load(plain);
      assertThat(defaults.provider(defaults.model("x")).timeout())
          .isEqualTo(Duration.ofSeconds(30));
    }
  }
}

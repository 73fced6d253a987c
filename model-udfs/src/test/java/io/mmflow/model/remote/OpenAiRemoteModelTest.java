package io.mmflow.model.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.connectors.embedded.LoopbackRequest;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every endpoint through the real SDK against the loopback server. */
class OpenAiRemoteModelTest {
  private final LoopbackOpenAiServer server = LoopbackOpenAiServer.start();
  private final OpenAiRemoteModel model = RemoteTestModels.model(server);

  @AfterEach
  void close() {
    model.close();
    server.close();
  }

  @Test
  void sentimentRoundTripWithUsageCostAndRequestId() {
    RemoteAnswer a = model.sentiment("I love this great product").join();
    assertThat(a.topLabel().orElseThrow().label()).isEqualTo("positive");
    assertThat(a.topLabel().orElseThrow().score()).isEqualTo(0.9);
    assertThat(a.modelId()).isEqualTo("gpt-small");
    assertThat(a.cost().inputTokens()).isPositive();
    assertThat(a.cost().outputTokens()).isPositive();
    double expected = RemoteTestModels.PRICING.usd(a.cost().inputTokens(), a.cost().outputTokens());
    assertThat(a.cost().usd()).isEqualTo(expected);
    assertThat(a.requestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req-loopback"));
    assertThat(a.latencyMs()).isNotNegative();
    assertThat(model.sentiment("this is awful and bad").join().topLabel().orElseThrow().label())
        .isEqualTo("negative");

    LoopbackRequest sent = server.requests().get(0);
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.body())
        .contains("I love this great product", "json_object", "gpt-4o-mini", "sentiment");
    assertThat(sent.header("authorization")).isEqualTo("***");
    assertThat(sent.header("openai-organization")).isEqualTo("org-x");
  }

  @Test
  void aStoredCallIsFoundAgainByItsKeyWithItsAnswerAndCostWithoutAskingAgain() {
    try (OpenAiRemoteModel storing =
        RemoteTestModels.model(server, "test-key-123", java.time.Duration.ofSeconds(10), true)) {
      RemoteAnswer paid = storing.text(Task.SENTIMENT, "I love this great product", "k-1").join();
      storing.text(Task.SENTIMENT, "this is awful and bad", "k-2").join();
      assertThat(server.requests().get(0).body())
          .contains("\"store\":true", "\"mmflow_key\":\"k-1\"");
      long asked = server.requestCount();

      RemoteAnswer found =
          storing
              .findStored(Task.SENTIMENT, "k-1", "I love this great product")
              .join()
              .orElseThrow();
      assertThat(found.labels()).isEqualTo(paid.labels());
      assertThat(found.cost()).isEqualTo(paid.cost());
      assertThat(storing.findStored(Task.SENTIMENT, "k-2", "x").join().orElseThrow().topLabel())
          .hasValueSatisfying(l -> assertThat(l.label()).isEqualTo("negative"));
      // never sent: nothing stored, so the caller asks
      assertThat(storing.findStored(Task.SENTIMENT, "k-3", "x").join()).isEmpty();
      // the look-ups were GETs, no chat call was made again
      List<LoopbackRequest> after = server.requests().subList((int) asked, 5);
      assertThat(after).extracting(LoopbackRequest::method).containsOnly("GET");
      assertThat(after.get(0).body()).isEmpty();
    }
    // a provider that stores nothing is not asked, and its calls carry no store flag
    assertThat(model.findStored(Task.SENTIMENT, "k-1", "x").join()).isEmpty();
    long before = server.requestCount();
    model.text(Task.SENTIMENT, "fine", "k-4").join();
    assertThat(server.requestCount()).isEqualTo(before + 1);
    assertThat(server.requests().get((int) before).body()).doesNotContain("store", "mmflow_key");
  }

  @Test
  void summaryAndEntities() {
    String text = "Alice met Bob in Paris. They talked for hours.";
    assertThat(model.text(Task.SUMMARY, text).join().text()).contains("Alice met Bob in Paris.");
    List<Entity> entities = model.text(Task.ENTITIES, text).join().entities();
    assertThat(entities).extracting(Entity::text).containsExactly("Alice", "Bob", "Paris", "They");
    assertThat(entities.get(2).charStart()).isEqualTo(text.indexOf("Paris"));
  }

  @Test
  void captionSendsTheImageAsADataUrl() {
    byte[] image = "not really a png".getBytes(StandardCharsets.UTF_8);
    RemoteAnswer a = model.caption(image, "image/png").join();
    assertThat(a.text().orElseThrow()).startsWith("an image of " + image.length + " bytes");
    assertThat(server.requests().get(0).body()).contains("image_url", "data:image/png;base64,");
  }

  @Test
  void transcriptionIsMultipart() {
    RemoteAnswer a = model.transcribe(new byte[1234], "talk.wav").join();
    assertThat(a.task()).isEqualTo(Task.TRANSCRIPTION);
    assertThat(a.text().orElseThrow()).contains("talk.wav", "1234 bytes");
    LoopbackRequest sent = server.requests().get(0);
    assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
    assertThat(sent.header("content-type")).startsWith("multipart/form-data");
  }

  @Test
  void embeddingsAreDeterministicUnitVectors() {
    RemoteAnswer a = model.embed(List.of("hello world", "other", "hello world")).join();
    assertThat(a.embeddings()).hasSize(3);
    float[] v = a.embeddings().get(0);
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(a.embeddings().get(2)).containsExactly(v);
    assertThat(a.embeddings().get(1)).isNotEqualTo(v);
    assertThat(a.cost().inputTokens()).isEqualTo(5);
    assertThat(server.requests().get(0).path()).isEqualTo("/v1/embeddings");
  }
}

package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.Latency;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.connectors.embedded.LoopbackRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * bench remote's baseline really runs Flink's ML_PREDICT with flink-model-openai, in a JVM of its
 * own, against the loopback server: every row becomes one chat completion request with the given
 * model, system prompt and text.
 */
class MlPredictBaselineITCase {

  @Test
  void mlPredictSendsEveryRowToTheServerAndIsTimed() throws Exception {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      server.settings().latency(Latency.fixed(5));
      List<String> texts =
          IntStream.range(0, 40).mapToObj(i -> "review " + i + " is fine").toList();
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      MlPredictBaseline.Outcome outcome =
          MlPredictBaseline.measure(
              server.baseUrl(),
              "gpt-4o-mini",
              "You are a baseline. Reply with JSON only.",
              texts,
              10,
              8,
              new PrintStream(log, true, StandardCharsets.UTF_8));

      assertThat(outcome.problem()).as(log.toString(StandardCharsets.UTF_8)).isNull();
      assertThat(outcome.rows()).isEqualTo(40);
      assertThat(outcome.rps()).isPositive();
      // the warm-up runs the first 10 rows, then the timed run all 40
      List<LoopbackRequest> requests = server.requests();
      assertThat(requests).hasSize(50);
      assertThat(requests)
          .allSatisfy(
              r -> {
                assertThat(r.path()).isEqualTo("/v1/chat/completions");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body())
                    .contains("\"model\":\"gpt-4o-mini\"")
                    .contains("You are a baseline.");
              });
      assertThat(requests.stream().filter(r -> r.body().contains("review 5 is fine"))).hasSize(2);
    }
  }

  @Test
  void theChildClassPathLeavesOutTheSdkThatTheProviderJarBundles() {
    String cp =
        MlPredictBaseline.childClassPath(java.nio.file.Path.of("/x/flink-model-openai.jar"));
    assertThat(cp)
        .doesNotContain("openai-java")
        .doesNotContain("kotlin-stdlib")
        .doesNotContain("okhttp-");
    assertThat(cp).contains("flink-table-planner-loader").endsWith("/x/flink-model-openai.jar");
  }
}

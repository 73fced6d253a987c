package io.mmflow.model.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.Latency;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The loopback server answers many requests at once. */
class LoopbackConcurrencyTest {
  @Test
  void twoHundredConcurrentCallsOverlap() {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start();
        OpenAiRemoteModel model = RemoteTestModels.model(server)) {
      model.sentiment("warm up").join();
      server.settings().latency(Latency.fixed(20));
      long start = System.nanoTime();
      List<CompletableFuture<RemoteAnswer>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(model.sentiment("text number " + i + " is good"));
      }
      calls.forEach(CompletableFuture::join);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      // one at a time would take 200 x 20 ms = 4 s; generous bound, no tight timing
      assertThat(took).isLessThan(Duration.ofMillis(2500));
      assertThat(server.requestCount()).isEqualTo(201);
      assertThat(server.statusCounts()).containsEntry(200, 201L);
    }
  }

  @Test
  void latencyDistributionsAreSeededAndBounded() {
    java.util.Random a = new java.util.Random(1);
    java.util.Random b = new java.util.Random(1);
    Latency l = Latency.logNormal(20, 0.5);
    assertThat(l.sampleMillis(a)).isEqualTo(l.sampleMillis(b));
    Latency u = Latency.uniform(5, 10);
    for (int i = 0; i < 100; i++) {
      assertThat(u.sampleMillis(a)).isBetween(5L, 10L);
    }
  }
}

package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.Latency;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.connectors.embedded.LoopbackRequest;
import io.mmflow.model.remote.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bench remote's SDK-alone anchor makes every call to the server, keeps at most the given number in
 * flight, counts failures apart from answers, and its figures land in the RESULT line.
 */
class RemoteBenchmarkTest {

  private static ProviderRegistry registry(LoopbackOpenAiServer server) throws Exception {
    Path file = RemoteBenchmark.providersFile(server);
    try {
      return ProviderRegistry.load(file);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void theSdkAloneSendsEveryTextAndKeepsCapacityCallsInFlight() throws Exception {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      server.settings().latency(Latency.fixed(30)).logCapacity(100);
      RemoteBenchmark.Round run = RemoteBenchmark.sdkAlone(registry(server), 8, 40);

      assertThat(run.ok()).isEqualTo(40);
      // counted from /proc/stat (10-ms ticks: a short quiet run may count none, never NaN)
      assertThat(run.cpuUs()).as("the machine's CPU a call").isNotNaN().isNotNegative();
      // 40 calls, 8 at a time, 30 ms each: five rounds, 39 answers after the first in ~4 x 30 ms
      // (~325 calls/s); all 40 at once would answer within a few ms of each other
      assertThat(run.rps()).isPositive().isLessThan(500);
      // (the server counts a call until its handler returns, just after the answer left: +1)
      assertThat(server.peakInFlight()).isBetween(2, 9);
      List<LoopbackRequest> requests = server.requests();
      assertThat(requests).hasSize(40);
      assertThat(requests.stream().filter(r -> r.body().contains(RemoteBenchmark.text(39))))
          .hasSize(1);
    }
  }

  @Test
  void failedCallsAreNotCountedAsAnswers() throws Exception {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      server.settings().serverErrorRate(1.0);
      RemoteBenchmark.Round run = RemoteBenchmark.sdkAlone(registry(server), 4, 12);

      assertThat(run.ok()).isZero();
      assertThat(server.statusCounts()).containsEntry(500, 12L);
    }
  }

  @Test
  void theResultLineCarriesEveryRatio() {
    RemoteBenchmark.Figures f =
        new RemoteBenchmark.Figures(200, 20, 1000, 1000, 1500.0, 2000.0, 250.0, 610.4, 480.0);
    assertThat(f.resultLine())
        .isEqualTo(
            "RESULT bench=remote capacity=200 latency_ms=20 achieved_rps=1500.0"
                + " bound_rps=10000.0 ratio_bound=0.150 mlpredict_rps=250.0 ratio_mlpredict=6.000"
                + " sdk_rps=2000.0 ratio_sdk=0.750 cpu_us_stage=610 cpu_us_sdk=480");
  }
}

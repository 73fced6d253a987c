package io.mmflow.operators.fusion;

import static io.mmflow.core.model.Modality.AUDIO;
import static io.mmflow.core.model.Modality.IMAGE;
import static io.mmflow.core.model.Modality.TEXT;
import static io.mmflow.operators.fusion.FusionFixtures.T0;
import static io.mmflow.operators.fusion.FusionFixtures.sentiment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mmflow.core.config.FusionOptions;
import io.mmflow.core.config.FusionOptions.WindowKind;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.FusionStatus;
import io.mmflow.core.model.ModalityResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** The fusion stage in a local MiniCluster job; results arrive in list order. */
class FusionWindowTest {
  private record Run(List<FusedResult> fused, List<ModalityResult> late) {}

  private static Run run(Configuration conf, List<ModalityResult> input) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
    SingleOutputStreamOperator<FusedResult> fused =
        Fusion.fuse(
            env.fromData(input, TypeInformation.of(ModalityResult.class)),
            FusionSettings.from(conf));
    CloseableIterator<FusedResult> fusedIt = fused.collectAsync();
    CloseableIterator<ModalityResult> lateIt = fused.getSideOutput(Fusion.LATE).collectAsync();
    env.executeAsync("fusion-test");
    List<FusedResult> out = new ArrayList<>();
    List<ModalityResult> late = new ArrayList<>();
    try (fusedIt;
        lateIt) {
      fusedIt.forEachRemaining(out::add);
      lateIt.forEachRemaining(late::add);
    }
    return new Run(out, late);
  }

  private static String p(double pos) {
    return "positive=" + pos;
  }

  @Test
  void sessionsPerCorrelationIdWithOutOfOrderAndLateResults() throws Exception {
    Configuration conf = new Configuration();
    conf.set(FusionOptions.WINDOW, WindowKind.SESSION);
    conf.set(FusionOptions.GAP, Duration.ofSeconds(10));
    conf.set(FusionOptions.OUT_OF_ORDERNESS, Duration.ofSeconds(2));
    conf.set(FusionOptions.EXPECTED_MODALITIES, "text,audio,image");
    ModalityResult lateImage = sentiment("b", IMAGE, 5_000, 0.9, p(0.9));
    List<ModalityResult> input =
        List.of(
            sentiment("a", TEXT, 1_000, 0.9, p(0.9), "negative=0.1"),
            sentiment("b", TEXT, 1_500, 0.8, "negative=0.8", p(0.2)),
            // 1 s behind the newest (1.5 s), within the 2 s bound
            sentiment("a", AUDIO, 500, 0.7, p(0.7), "negative=0.3"),
            sentiment("a", IMAGE, 3_000, 0.6, p(0.6), "negative=0.4"),
            sentiment("b", AUDIO, 2_000, 0.6, "negative=0.6", p(0.4)),
            // 27 s after a's last result: a new session; the watermark (28 s) closes a's
            // session [0.5 s, 13 s) and b's [1.5 s, 12 s)
            sentiment("a", TEXT, 30_000, 0.9, "negative=0.9", p(0.1)),
            // b's window has closed and there is no allowed lateness
            lateImage,
            sentiment("a", AUDIO, 31_000, 0.8, "negative=0.8", p(0.2)));

    Run run = run(conf, input);

    List<FusedResult> fused =
        run.fused().stream()
            .sorted(
                Comparator.comparing(FusedResult::correlationId)
                    .thenComparing(FusedResult::windowStart))
            .toList();
    assertThat(fused)
        .extracting(
            FusedResult::correlationId,
            f -> f.windowStart().toEpochMilli() - T0.toEpochMilli(),
            f -> f.windowEnd().toEpochMilli() - T0.toEpochMilli(),
            FusedResult::resultCount,
            FusedResult::status,
            f -> f.sentiment().label())
        .containsExactly(
            tuple("a", 500L, 13_000L, 3, FusionStatus.SUCCESS, "positive"),
            tuple("a", 30_000L, 41_000L, 2, FusionStatus.PARTIAL_FAILURE, "negative"),
            tuple("b", 1_500L, 12_000L, 2, FusionStatus.PARTIAL_FAILURE, "negative"));
    assertThat(fused.get(0).modalitiesPresent()).containsExactly(TEXT, IMAGE, AUDIO);
    assertThat(fused.get(1).modalitiesMissing()).containsExactly(IMAGE);
    assertThat(fused.get(2).modalitiesMissing()).containsExactly(IMAGE);
    assertThat(run.late()).containsExactly(lateImage);
  }

  @Test
  void tumblingWindowsRefireForResultsWithinTheAllowedLateness() throws Exception {
    Configuration conf = new Configuration();
    conf.set(FusionOptions.WINDOW, WindowKind.TUMBLING);
    conf.set(FusionOptions.SIZE, Duration.ofSeconds(10));
    conf.set(FusionOptions.OUT_OF_ORDERNESS, Duration.ZERO);
    conf.set(FusionOptions.ALLOWED_LATENESS, Duration.ofSeconds(5));
    ModalityResult tooLate = sentiment("a", IMAGE, 3_000, 0.9, p(0.9));
    List<ModalityResult> input =
        List.of(
            sentiment("a", TEXT, 1_000, 0.9, p(0.9)),
            // watermark 12 s: fires [0, 10 s) with one result
            sentiment("a", TEXT, 12_000, 0.9, p(0.9)),
            // late, but before 10 s + 5 s lateness: [0, 10 s) fires again with two
            sentiment("a", AUDIO, 2_000, 0.9, p(0.9)),
            // watermark 20 s: [0, 10 s) is gone, [10 s, 20 s) fires
            sentiment("a", TEXT, 20_000, 0.9, p(0.9)),
            tooLate);

    Run run = run(conf, input);

    assertThat(run.fused())
        .extracting(
            f -> f.windowStart().toEpochMilli() - T0.toEpochMilli(), FusedResult::resultCount)
        .containsExactly(tuple(0L, 1), tuple(0L, 2), tuple(10_000L, 1), tuple(20_000L, 1));
    assertThat(run.late()).containsExactly(tooLate);
  }
}

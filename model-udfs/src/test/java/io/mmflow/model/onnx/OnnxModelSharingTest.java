package io.mmflow.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.model.text.TextModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Sessions shared under a key ({@link OnnxModel#open(ModelSpec, Object)}), with the bundled
 * sentiment model (built by the project's datasets module): one session per key, open until its
 * last holder closes; other keys and unkeyed opens get their own.
 */
class OnnxModelSharingTest {
  private static final ModelSpec SPEC =
      ModelRegistry.load(ModelRegistry.DEFAULT_LOCATION).get("sentiment-en");

  @Test
  void opensUnderOneKeyShareASessionAndOthersGetTheirOwn() {
    try (OnnxModel a = OnnxModel.open(SPEC, "job/0");
        OnnxModel b = OnnxModel.open(SPEC, "job/0");
        OnnxModel otherSlot = OnnxModel.open(SPEC, "job/1");
        OnnxModel own = OnnxModel.open(SPEC)) {
      assertThat(a.sharesSessionWith(b)).isTrue();
      assertThat(a.sharesSessionWith(otherSlot)).isFalse();
      assertThat(a.sharesSessionWith(own)).isFalse();
    }
  }

  @Test
  void twoThreadsRunningOneSessionGetWhatEachGetsAlone() throws Exception {
    List<String> texts =
        List.of("a great film", "dull and far too long", "the best thing all year", "awful", "ok");
    try (TextModel a = new TextModel(SPEC, "job/0");
        TextModel b = new TextModel(SPEC, "job/0");
        TextModel alone = new TextModel(SPEC)) {
      List<float[]> expected = texts.stream().map(t -> alone.apply(t).rawScores()).toList();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<float[]>>> runs = new ArrayList<>();
        for (TextModel m : List.of(a, b)) {
          runs.add(
              pool.submit(
                  () -> {
                    List<float[]> last = null;
                    for (int round = 0; round < 200; round++) {
                      last = m.applyBatch(texts).stream().map(p -> p.rawScores()).toList();
                    }
                    return last;
                  }));
        }
        for (Future<List<float[]>> run : runs) {
          List<float[]> got = run.get();
          for (int i = 0; i < texts.size(); i++) {
            assertThat(got.get(i)).containsExactly(expected.get(i), within(1e-4f));
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void theSessionStaysOpenUntilItsLastHolderClosesOnce() throws Exception {
    OnnxModel first = OnnxModel.open(SPEC, "job/0");
    try (TextModel second = new TextModel(SPEC, "job/0")) {
      first.close();
      first.close(); // closing twice releases one hold, not two
      try (TextModel third = new TextModel(SPEC, "job/0")) {
        assertThat(second.apply("a great film").labels()).isNotEmpty();
        assertThat(third.apply("a dull film").labels()).isNotEmpty();
      }
      assertThat(second.apply("still answers").labels()).isNotEmpty();
    }
    // every holder closed: the session is closed and a new open gets a new one
    assertThatThrownBy(() -> first.session().getInputInfo())
        .isInstanceOf(IllegalStateException.class);
    try (OnnxModel again = OnnxModel.open(SPEC, "job/0")) {
      assertThat(again.sharesSessionWith(first)).isFalse();
      assertThat(again.session().getInputInfo()).isNotEmpty();
    }
  }
}

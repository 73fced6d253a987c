package io.mmflow.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.model.text.TextModel;
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
        OnnxModel own = OnnxModel.open(SPEC);
        OnnxModel unkeyed = OnnxModel.open(SPEC, null)) {
      assertThat(a.sharesSessionWith(b)).isTrue();
      assertThat(a.sharesSessionWith(otherSlot)).isFalse();
      assertThat(a.sharesSessionWith(own)).isFalse();
      assertThat(unkeyed.sharesSessionWith(own)).isFalse();
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

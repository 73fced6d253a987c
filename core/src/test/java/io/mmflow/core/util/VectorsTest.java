package io.mmflow.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VectorsTest {

  @Test
  void scalesInPlaceToLengthOneAndLeavesZeroVectorsAlone() {
    float[] v = {3, 4};
    assertThat(Vectors.unitLength(v)).isSameAs(v).containsExactly(0.6f, 0.8f);
    assertThat(Vectors.unitLength(new float[] {0, 0, 0})).containsExactly(0, 0, 0);
  }
}

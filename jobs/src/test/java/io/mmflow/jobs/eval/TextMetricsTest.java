package io.mmflow.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextMetricsTest {
  @Test
  void characterErrorRate() {
    assertThat(TextMetrics.characterErrors("hello world", "hello world").rate()).isZero();
    // one substitution (o→0) in 11 characters
    assertThat(TextMetrics.characterErrors("hello world", "hell0 world").edits()).isEqualTo(1);
    assertThat(TextMetrics.characterErrors("hello world", "hell0 world").rate())
        .isEqualTo(1.0 / 11);
    // layout whitespace does not count
    assertThat(TextMetrics.characterErrors("a b\nc", "a  b c ").edits()).isZero();
    assertThat(TextMetrics.characterErrors("abc", "").rate()).isEqualTo(1.0);
    assertThat(TextMetrics.characterErrors("kitten", "sitting").edits()).isEqualTo(3);
  }

  @Test
  void wordErrorRate() {
    TextMetrics.Errors e = TextMetrics.wordErrors("the total is 42 EUR", "the tota1 is 42");
    assertThat(e.edits()).isEqualTo(2); // one substitution, one deletion
    assertThat(e.referenceLength()).isEqualTo(5);
    assertThat(e.rate()).isEqualTo(0.4);
  }

  @Test
  void corpusRatesSumEditsAndLengths() {
    TextMetrics.Errors sum =
        TextMetrics.characterErrors("aaaa", "aaab").plus(TextMetrics.characterErrors("bb", "bb"));
    assertThat(sum.rate()).isEqualTo(1.0 / 6);
    assertThat(TextMetrics.Errors.NONE.rate()).isZero();
  }
}

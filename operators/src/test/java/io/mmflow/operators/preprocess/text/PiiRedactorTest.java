package io.mmflow.operators.preprocess.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.operators.preprocess.text.PiiRedactor.Redaction;
import io.mmflow.operators.preprocess.text.PiiRedactor.Replacement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
  private final PiiRedactor redactor = new PiiRedactor(new PiiDetector());

  @Test
  void replacesEachSpanAndMapsOffsetsBothWays() {
    String text = "Mail a.user@example.com or call (212) 555-0147, card 4111 1111 1111 1111.";

    Redaction r = redactor.redact(text);

    assertThat(r.text()).isEqualTo("Mail [EMAIL] or call [PHONE], card [PAYMENT_CARD].");
    assertThat(r.spans())
        .extracting(PiiSpan::type)
        .containsExactly(PiiType.EMAIL, PiiType.PHONE, PiiType.PAYMENT_CARD);
    for (Replacement rep : r.replacements()) {
      PiiSpan span = rep.span();
      assertThat(text.substring(span.start(), span.end())).isEqualTo(span.text());
      assertThat(r.text().substring(rep.start(), rep.end())).isEqualTo(span.type().placeholder());
      assertThat(r.toOriginal(rep.start())).isEqualTo(span.start());
      assertThat(r.toOriginal(rep.end())).isEqualTo(span.end());
    }
    // text between placeholders maps back to the same characters
    int redactedOr = r.text().indexOf(" or ");
    assertThat(text.substring(r.toOriginal(redactedOr), r.toOriginal(redactedOr) + 4))
        .isEqualTo(" or ");
    assertThat(r.toOriginal(0)).isZero();
    assertThat(r.toOriginal(r.text().length())).isEqualTo(text.length());
  }

  @Test
  void noPiiStringOfTheLabelledSetSurvivesRedaction() {
    for (PiiLabelledSet.Line line : PiiLabelledSet.load().lines()) {
      Redaction r = redactor.redact(line.text());
      for (PiiLabelledSet.Label label : line.labels()) {
        assertThat(r.text()).as("line %d", line.number()).doesNotContain(label.value());
        assertThat(r.text()).contains(label.type().placeholder());
      }
      if (line.labels().isEmpty()) {
        assertThat(r.text()).isEqualTo(line.text());
      }
    }
  }

  @Test
  void refusesOverlappingOrUnsortedSpans() {
    PiiSpan a = new PiiSpan(PiiType.EMAIL, 0, 5, "abcde");
    PiiSpan b = new PiiSpan(PiiType.PHONE, 3, 6, "def");
    assertThatThrownBy(() -> PiiRedactor.redact("abcdefgh", List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.mmflow.operators.preprocess.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  private static String norm(String s) {
    return TextNormalizer.normalize(s).text();
  }

  @Test
  void cleanAsciiIsLeftAsItIsAndAsciiNeedingWorkStillGetsIt() {
    String clean = "Great phone, battery lasts 2 days! (5/5)";
    assertThat(TextNormalizer.isCleanAscii(clean)).isTrue();
    assertThat(norm(clean)).isSameAs(clean);
    for (String dirty :
        new String[] {" lead", "trail ", "two  spaces", "tab\there", "del\u007Fx"}) {
      assertThat(TextNormalizer.isCleanAscii(dirty)).as(dirty).isFalse();
    }
    assertThat(norm(" lead")).isEqualTo("lead");
    assertThat(norm("two  spaces\r\nnext")).isEqualTo("two spaces\nnext");
    assertThat(norm("del\u007Fx")).isEqualTo("delx");
    assertThat(norm("")).isEmpty();
  }

  @Test
  void appliesNfkc() {
    // full-width letters and digits, the fi ligature, a superscript two, a non-breaking space
    assertThat(norm("ＡＢＣ１２３ ﬁle x² a\u00A0b")).isEqualTo("ABC123 file x2 a b");
    // composed and decomposed e-acute become the same
    assertThat(norm("e\u0301")).isEqualTo("\u00E9").isEqualTo(norm("\u00E9"));
  }

  @Test
  void removesControlAndFormatCharacters() {
    assertThat(norm("a\u0000b\u0007c\u200Bd\u00ADe\uFEFFf\u202Eg\u001Bh")).isEqualTo("abcdefgh");
  }

  @Test
  void collapsesWhitespaceAndKeepsOneLineBreakPerBreak() {
    assertThat(norm("  one \t two\u2003three  ")).isEqualTo("one two three");
    assertThat(norm("para one\r\n\r\n\n  para two\rline\u2029end\u0085x"))
        .isEqualTo("para one\npara two\nline\nend\nx");
    assertThat(norm("tab\tkept as space")).isEqualTo("tab kept as space");
    assertThat(norm("\n\n  \t")).isEmpty();
  }

  @Test
  void keepsSupplementaryCharacters() {
    assertThat(norm("math \uD835\uDC00 and emoji \uD83D\uDE00"))
        .isEqualTo("math A and emoji \uD83D\uDE00");
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> TextNormalizer.normalize(null)).hasMessageContaining("null");
  }
}

package io.mmflow.operators.preprocess.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PiiMarksTest {
  /** Marks that allow every pattern: the guard as it ran before the marks. */
  private static final PiiMarks ALL =
      new PiiMarks(
          Integer.MAX_VALUE,
          Integer.MAX_VALUE,
          true,
          true,
          Integer.MAX_VALUE,
          Integer.MAX_VALUE,
          true);

  private static boolean admits(PiiMarks m, PiiType type) {
    return switch (type) {
      case EMAIL -> m.mayHoldEmail();
      case PAYMENT_CARD -> m.mayHoldCard();
      case IBAN -> m.mayHoldIban();
      case NATIONAL_ID -> m.mayHoldSsn() || m.mayHoldNino();
      case IP_ADDRESS -> m.mayHoldIpv4() || m.mayHoldIpv6();
      default -> true; // phones have their own bound (PhoneDigits)
    };
  }

  /**
   * Every span the detector finds, alone, has the marks its type needs: a text holding the span has
   * them too, so the marks never skip a text that holds PII.
   */
  @Test
  void everyFoundSpanHasTheMarksOfItsType() {
    PiiDetector detector = new PiiDetector();
    List<String> texts = new ArrayList<>();
    PiiLabelledSet.load().lines().forEach(l -> texts.add(l.text()));
    texts.add("SSN 078-05-1120; NINO AB 12 34 56 C and CE987654A");
    texts.add("GB82 WEST 1234 5698 7654 32 and DE89370400440532013000");
    texts.add("4111 1111 1111 1111 / 4111-1111-1111-1111 / 378282246310005");
    texts.add("hosts 10.0.0.1, ::1, fe80::1%eth0, 2001:db8::192.0.2.1 and ::ffff:10.1.2.3.");
    texts.add("mail jane.doe@example.com, or x_y+tag@sub.example.org.");
    int spans = 0;
    for (String text : texts) {
      for (PiiSpan s : detector.detect(text)) {
        assertThat(admits(PiiMarks.of(s.text()), s.type())).as(s.toString()).isTrue();
        spans++;
      }
    }
    assertThat(spans).isGreaterThan(30);
  }

  /**
   * The guard with the marks finds exactly what it finds with every pattern run on every text: over
   * the labelled set and 20,000 random texts of the characters PII is made of (long enough that
   * most have some marks and many lack others).
   */
  @Test
  void theMarksNeverChangeWhatIsFound() {
    PiiDetector detector = new PiiDetector();
    List<String> texts = new ArrayList<>();
    PiiLabelledSet.load().lines().forEach(l -> texts.add(l.text()));
    Random random = new Random(7);
    String alphabet = "0123456789.:-@ abcfAEGBZ";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 4 + random.nextInt(60);
      for (int j = 0; j < n; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      texts.add(b.toString());
    }
    int spans = 0;
    int skipped = 0;
    for (String text : texts) {
      List<PiiSpan> all = detector.detect(text, ALL);
      assertThat(detector.detect(text)).as(text).isEqualTo(all);
      spans += all.size();
      PiiMarks m = PiiMarks.of(text);
      skipped += m.mayHoldIpv6() && m.mayHoldCard() && m.mayHoldIpv4() ? 0 : 1;
    }
    assertThat(spans).isGreaterThan(300);
    assertThat(skipped).as("texts where some pattern was skipped").isGreaterThan(5_000);
  }

  @Test
  void plainTextsSkipEveryPattern() {
    PiiMarks m = PiiMarks.of("Review number 12345: the battery lasts and the screen is fine.");
    for (PiiType type : List.of(PiiType.EMAIL, PiiType.PAYMENT_CARD, PiiType.IBAN)) {
      assertThat(admits(m, type)).as(type.name()).isFalse();
    }
    assertThat(m.mayHoldSsn() || m.mayHoldNino() || m.mayHoldIpv4() || m.mayHoldIpv6()).isFalse();
  }
}

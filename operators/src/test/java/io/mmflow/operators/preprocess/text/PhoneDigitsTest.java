package io.mmflow.operators.preprocess.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The digit bound under which the PII guard skips libphonenumber's matcher. */
class PhoneDigitsTest {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  @Test
  void theBoundIsBelowEveryExampleNumberOfEveryRegionAndTheMatcherStillFindsThemAll() {
    int bound = PhoneDigits.minimum(UTIL, "US");
    assertThat(bound).isEqualTo(6); // "+43" and four digits (Austria); US numbers have ten
    PiiDetector detector = new PiiDetector("US");
    List<String> missed = new ArrayList<>();
    int checked = 0;
    for (String region : UTIL.getSupportedRegions()) {
      PhoneNumber n = UTIL.getExampleNumber(region);
      if (n == null) {
        continue;
      }
      String written = UTIL.format(n, PhoneNumberFormat.INTERNATIONAL);
      assertThat(PiiMarks.of(written).digits()).as(written).isGreaterThanOrEqualTo(bound);
      // what the matcher finds with the bound is what it finds without: every valid number
      String text = "Call " + written + " today.";
      boolean matcher =
          UTIL.findNumbers(text, "US", PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)
              .iterator()
              .hasNext();
      boolean guard = detector.detect(text).stream().anyMatch(s -> s.type() == PiiType.PHONE);
      if (matcher != guard) {
        missed.add(written);
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(200);
    assertThat(missed).isEmpty();
  }

  @Test
  void noStringOfFewerDigitsIsAValidNumberWithAnyCallingCodeOrInTheDefaultRegions() {
    // NF completes a 5-digit local number into a valid one: its bound must allow for it
    for (String region : new String[] {"US", "GB", "DE", "IN", "NF"}) {
      int bound = PhoneDigits.minimum(UTIL, region);
      // written with a calling code: "+<code><digits>", every string of digits short enough
      for (int cc : UTIL.getSupportedCallingCodes()) {
        int room = bound - 1 - Integer.toString(cc).length();
        for (int length = 1; length <= room; length++) {
          for (String digits : allStrings(length)) {
            assertThat(valid("+" + cc + digits, region)).as("+%d %s", cc, digits).isFalse();
          }
        }
      }
      // written without one, read in the region
      for (int length = 1; length < bound; length++) {
        for (String digits : allStrings(length)) {
          assertThat(valid(digits, region)).as("%s in %s", digits, region).isFalse();
        }
      }
    }
  }

  private static boolean valid(String written, String region) {
    try {
      return UTIL.isValidNumber(UTIL.parse(written, region));
    } catch (com.google.i18n.phonenumbers.NumberParseException e) {
      return false;
    }
  }

  private static List<String> allStrings(int length) {
    List<String> out = new ArrayList<>();
    int n = (int) Math.pow(10, length);
    for (int i = 0; i < n; i++) {
      out.add(String.format("%0" + length + "d", i));
    }
    return out;
  }

  @Test
  void aTextWithFewerDigitsHasNoNumberAndIsNotSearched() {
    int bound = PhoneDigits.minimum(UTIL, "US");
    String few = "Rated 4.5 by 3 people";
    assertThat(PiiMarks.of(few).mayHoldPhone(bound)).isFalse();
    assertThat(new PiiDetector("US").detect(few)).isEmpty();
    assertThat(PiiMarks.of("１２３ 456").digits()).isEqualTo(6); // full-width digits count too
  }
}

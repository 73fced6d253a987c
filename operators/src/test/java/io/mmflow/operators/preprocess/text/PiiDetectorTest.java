package io.mmflow.operators.preprocess.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiDetectorTest {
  private final PiiDetector detector = new PiiDetector();

  private List<String> found(String text) {
    return detector.detect(text).stream().map(s -> s.type() + ":" + s.text()).toList();
  }

  @Test
  void emails() {
    assertThat(found("mail jane.doe@example.com, or x_y+tag@sub.example.org."))
        .containsExactly("EMAIL:jane.doe@example.com", "EMAIL:x_y+tag@sub.example.org");
    assertThat(found("name@localhost, a@b, @handle, user at example dot com")).isEmpty();
    assertThat(found("too..many@example.com")).containsExactly("EMAIL:too..many@example.com");
  }

  @Test
  void phonesUseTheDefaultRegion() {
    assertThat(found("call (212) 555-0147 or +44 20 7946 0958"))
        .containsExactly("PHONE:(212) 555-0147", "PHONE:+44 20 7946 0958");
    assertThat(found("dial 555-0100 on 2024-03-15")).isEmpty();
    // a British national number is a phone only where the default region is GB
    assertThat(found("ring 020 7946 0958")).isEmpty();
    assertThat(new PiiDetector("gb").detect("ring 020 7946 0958"))
        .extracting(PiiSpan::text)
        .containsExactly("020 7946 0958");
    assertThatThrownBy(() -> new PiiDetector("XX")).hasMessageContaining("unknown phone region");
  }

  @Test
  void paymentCardsNeedLuhnAndAKnownPrefix() {
    assertThat(found("4111 1111 1111 1111 / 4111-1111-1111-1111 / 378282246310005"))
        .containsExactly(
            "PAYMENT_CARD:4111 1111 1111 1111",
            "PAYMENT_CARD:4111-1111-1111-1111",
            "PAYMENT_CARD:378282246310005");
    assertThat(found("4111 1111 1111 1112")).isEmpty(); // Luhn fails
    assertThat(found("7000 1234 5678 9010")).isEmpty(); // Luhn-valid, but no card network's prefix
    assertThat(PiiDetector.luhn("7000123456789012")).isFalse();
    assertThat(PiiDetector.luhn("7000123456789010")).isTrue();
    assertThat(found("4111 1111 1111 1111 123"))
        .containsExactly("PAYMENT_CARD:4111 1111 1111 1111");
    assertThat(found("id 41111111111111119999")).isEmpty(); // part of a longer number
  }

  @Test
  void ibansNeedTheirCountryLengthAndCheckDigits() {
    assertThat(found("GB82 WEST 1234 5698 7654 32 and DE89370400440532013000"))
        .containsExactly("IBAN:GB82 WEST 1234 5698 7654 32", "IBAN:DE89370400440532013000");
    assertThat(PiiDetector.mod97("GB82WEST12345698765432")).isEqualTo(1);
    assertThat(found("GB83 WEST 1234 5698 7654 32")).isEmpty(); // check digits
    assertThat(found("GB82 WEST 1234 5698 7654 3")).isEmpty(); // length
    assertThat(found("GB82 WEST 1234 5698 7654 321")).isEmpty(); // longer than GB's 22
    assertThat(found("QZ82 WEST 1234 5698 7654 32")).isEmpty(); // no such country
  }

  @Test
  void nationalIds() {
    assertThat(found("SSN 078-05-1120; NINO AB 12 34 56 C and CE987654A"))
        .containsExactly(
            "NATIONAL_ID:078-05-1120", "NATIONAL_ID:AB 12 34 56 C", "NATIONAL_ID:CE987654A");
    assertThat(
            found(
                "000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000 123456789"
                    + " QQ123456C BG123456A DA123456A AB123456E"))
        .isEmpty();
  }

  @Test
  void ipAddresses() {
    assertThat(
            found("from 192.0.2.1, 2001:db8::1, ::ffff:192.0.2.128 and [2001:db8:0:0:1:0:0:1]:80."))
        .containsExactly(
            "IP_ADDRESS:192.0.2.1",
            "IP_ADDRESS:2001:db8::1",
            "IP_ADDRESS:::ffff:192.0.2.128",
            "IP_ADDRESS:2001:db8:0:0:1:0:0:1");
    assertThat(found("1.2.3.4.5 256.1.2.3 01.2.3.4 10:30:45 1::2::3 a:b:c 12.05.2024")).isEmpty();
    assertThat(PiiDetector.isIpv6("2001:0db8:85a3:0000:0000:8a2e:0370:7334")).isTrue();
    assertThat(PiiDetector.isIpv6("1:2:3:4:5:6:7")).isFalse();
    assertThat(PiiDetector.isIpv6("1:2:3:4:5:6:7:8:9")).isFalse();
    assertThat(PiiDetector.isIpv6("::1")).isTrue();
    assertThat(PiiDetector.isIpv6("1:2:3:4:5:6:1.2.3.4")).isTrue();
    assertThat(PiiDetector.isIpv6("1.2.3.4::")).isFalse();
  }

  @Test
  void overlapsKeepTheLongerSpanAndTheResultIsSorted() {
    PiiSpan phone = new PiiSpan(PiiType.PHONE, 5, 15, "x".repeat(10));
    PiiSpan card = new PiiSpan(PiiType.PAYMENT_CARD, 0, 19, "x".repeat(19));
    PiiSpan ip = new PiiSpan(PiiType.IP_ADDRESS, 30, 40, "x".repeat(10));
    PiiSpan phoneSameLength = new PiiSpan(PiiType.PHONE, 32, 42, "x".repeat(10));
    assertThat(PiiDetector.resolve(List.of(ip, phone, phoneSameLength, card)))
        .containsExactly(card, ip);
  }

  @Test
  void onlyTheChosenTypesAreReported() {
    PiiDetector emailsOnly = new PiiDetector("US", Set.of(PiiType.EMAIL));
    assertThat(emailsOnly.detect("a@example.com 192.0.2.1 4111111111111111"))
        .extracting(PiiSpan::type)
        .containsExactly(PiiType.EMAIL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "plain words only", "1.2.3", "2025-06-12"})
  void textWithoutPiiGivesNoSpans(String text) {
    assertThat(detector.detect(text)).isEmpty();
  }

  @Test
  void theLabelledSetIsFoundExactly() {
    PiiLabelledSet set = PiiLabelledSet.load();
    assertThat(set.lines()).hasSizeGreaterThanOrEqualTo(60);
    int labelled = 0;
    int recalled = 0;
    List<String> misses = new ArrayList<>();
    List<String> falsePositives = new ArrayList<>();
    for (PiiLabelledSet.Line line : set.lines()) {
      List<String> expected = line.labels().stream().map(l -> l.type() + ":" + l.value()).toList();
      List<String> actual = found(line.text());
      labelled += expected.size();
      for (String e : expected) {
        if (actual.contains(e)) {
          recalled++;
        } else {
          misses.add(line.number() + ": " + e + " in " + actual);
        }
      }
      for (String a : actual) {
        if (!expected.contains(a)) {
          falsePositives.add(line.number() + ": " + a);
        }
      }
      // every labelled value is in its line, in the order given
      int from = 0;
      for (PiiLabelledSet.Label l : line.labels()) {
        int at = line.text().indexOf(l.value(), from);
        assertThat(at).as("line %d: %s", line.number(), l.value()).isGreaterThanOrEqualTo(0);
        from = at + l.value().length();
      }
    }
    assertThat(misses).as("missed PII (recall %d/%d)", recalled, labelled).isEmpty();
    assertThat(falsePositives).as("false positives").isEmpty();
    assertThat(labelled).isGreaterThanOrEqualTo(45);
    assertThat(set.lines().stream().filter(l -> l.labels().isEmpty()).count())
        .isGreaterThanOrEqualTo(20);
  }
}

package io.mmflow.operators.preprocess.text;

/**
 * What a text holds that each kind of PII needs before it can be there, counted in one pass, so
 * that {@link PiiDetector} runs a type's patterns only on texts that could match them. Each test is
 * a necessary condition of that type's pattern (the patterns' {@code \d} is ASCII), so skipping a
 * type never loses a span: the guard finds exactly what it found before, on fewer texts.
 *
 * <ul>
 *   <li>phone: as many digits of any script as the shortest valid number ({@link PhoneDigits});
 *   <li>e-mail: an {@code @};
 *   <li>payment card: 13 ASCII digits (the shortest card number);
 *   <li>IBAN: two capital letters followed by two digits;
 *   <li>US SSN: a hyphen and 9 digits; UK NINO: 6 digits;
 *   <li>IPv4: three times a digit, a dot and a digit; IPv6: two colons (eight groups have seven, a
 *       {@code ::} two).
 * </ul>
 */
record PiiMarks(
    int digits,
    int asciiDigits,
    boolean at,
    boolean hyphen,
    int colons,
    int digitDotDigit,
    boolean ibanStart) {

  static PiiMarks of(String text) {
    int digits = 0;
    int ascii = 0;
    int colons = 0;
    int digitDotDigit = 0;
    boolean at = false;
    boolean hyphen = false;
    boolean ibanStart = false;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        ascii++;
        digits++;
      } else if (c > 0x7f && Character.isDigit(c)) {
        digits++;
      } else if (c == '@') {
        at = true;
      } else if (c == '-') {
        hyphen = true;
      } else if (c == ':') {
        colons++;
      } else if (c == '.') {
        if (i > 0 && i + 1 < n && isDigit(text.charAt(i - 1)) && isDigit(text.charAt(i + 1))) {
          digitDotDigit++;
        }
      } else if (!ibanStart && c >= 'A' && c <= 'Z' && i + 3 < n) {
        char c1 = text.charAt(i + 1);
        ibanStart =
            c1 >= 'A' && c1 <= 'Z' && isDigit(text.charAt(i + 2)) && isDigit(text.charAt(i + 3));
      }
    }
    return new PiiMarks(digits, ascii, at, hyphen, colons, digitDotDigit, ibanStart);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Whether a phone number of at least {@code minimumDigits} digits may be there. */
  boolean mayHoldPhone(int minimumDigits) {
    return digits >= minimumDigits;
  }

  boolean mayHoldEmail() {
    return at;
  }

  boolean mayHoldCard() {
    return asciiDigits >= 13;
  }

  boolean mayHoldIban() {
    return ibanStart;
  }

  boolean mayHoldSsn() {
    return hyphen && asciiDigits >= 9;
  }

  boolean mayHoldNino() {
    return asciiDigits >= 6;
  }

  boolean mayHoldIpv4() {
    return digitDotDigit >= 3;
  }

  boolean mayHoldIpv6() {
    return colons >= 2;
  }
}

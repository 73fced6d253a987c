package io.mmflow.operators.preprocess.text;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in text: each candidate found by a pattern is kept only when its check
 * passes.
 *
 * <ul>
 *   <li>{@link PiiType#EMAIL}: the dot-atom form of RFC 5322 section 3.4.1 (letters, digits and
 *       {@code _%+-} in the local part, dots between atoms, also doubled as some providers accept
 *       them, an apostrophe inside), a domain of labels of at most 63 chars and a TLD of letters or
 *       {@code xn--}; local part at most 64 chars, address at most 254 (RFC 5321 section 4.5.3.1).
 *   <li>{@link PiiType#PHONE}: libphonenumber's {@code PhoneNumberUtil.findNumbers} with {@code
 *       Leniency.VALID}: numbers valid for their region; national numbers are read in the default
 *       region. A bare 10-digit run that happens to be a valid US number (an invoice number) is
 *       reported too.
 *   <li>{@link PiiType#PAYMENT_CARD}: 13 to 19 digits in groups split by single spaces or dashes,
 *       the Luhn check (ISO/IEC 7812-1 annex B) and an IIN prefix and length of Visa, Mastercard,
 *       American Express, Discover, Diners Club, JCB, UnionPay or Maestro. Longer digit runs are
 *       searched for a card on group boundaries (a card followed by its CVV).
 *   <li>{@link PiiType#IBAN}: a country code of {@link #IBAN_LENGTHS}, two check digits and the
 *       BBAN, upper case, single spaces allowed; exactly the country's length and the ISO 7064 mod
 *       97-10 check (ISO 13616).
 *   <li>{@link PiiType#NATIONAL_ID}: US Social Security numbers written {@code ddd-dd-dddd}, with
 *       the area not 000, 666 or 900-999, the group not 00 and the serial not 0000 (SSA); UK
 *       National Insurance numbers (two prefix letters, six digits, suffix A-D, spaces allowed)
 *       with HMRC's prefix rules (no D, F, I, Q, U, V; no O second; not BG, GB, KN, NK, NT, TN,
 *       ZZ).
 *   <li>{@link PiiType#IP_ADDRESS}: dotted IPv4 with octets 0-255 and no leading zeros, not part of
 *       a longer dotted number (so {@code 1.2.3.4.5} is not one); IPv6 in the text forms of RFC
 *       4291 section 2.2 (full, {@code ::}-compressed, with an embedded IPv4), checked by parsing.
 * </ul>
 *
 * Overlapping candidates are resolved greedily: the longer wins; at equal length the more specific
 * type ({@link PiiType} order). The detector is immutable and thread-safe.
 *
 * <p>Why one long file: each kind's pattern and its check (Luhn, IIN tables, mod 97, SSA and HMRC
 * rules, address parsing) are small and only make sense beside the overlap resolution that ranks
 * them; split apart, a reader would chase one decision through seven files.
 */
public final class PiiDetector {
  /**
   * IBAN lengths by country (SWIFT IBAN registry): all SEPA countries and the other common ones.
   */
  public static final Map<String, Integer> IBAN_LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24),
          Map.entry("AE", 23),
          Map.entry("AL", 28),
          Map.entry("AT", 20),
          Map.entry("AZ", 28),
          Map.entry("BA", 20),
          Map.entry("BE", 16),
          Map.entry("BG", 22),
          Map.entry("BH", 22),
          Map.entry("BR", 29),
          Map.entry("CH", 21),
          Map.entry("CR", 22),
          Map.entry("CY", 28),
          Map.entry("CZ", 24),
          Map.entry("DE", 22),
          Map.entry("DK", 18),
          Map.entry("DO", 28),
          Map.entry("EE", 20),
          Map.entry("ES", 24),
          Map.entry("FI", 18),
          Map.entry("FO", 18),
          Map.entry("FR", 27),
          Map.entry("GB", 22),
          Map.entry("GE", 22),
          Map.entry("GI", 23),
          Map.entry("GL", 18),
          Map.entry("GR", 27),
          Map.entry("GT", 28),
          Map.entry("HR", 21),
          Map.entry("HU", 28),
          Map.entry("IE", 22),
          Map.entry("IL", 23),
          Map.entry("IS", 26),
          Map.entry("IT", 27),
          Map.entry("JO", 30),
          Map.entry("KW", 30),
          Map.entry("KZ", 20),
          Map.entry("LB", 28),
          Map.entry("LI", 21),
          Map.entry("LT", 20),
          Map.entry("LU", 20),
          Map.entry("LV", 21),
          Map.entry("MC", 27),
          Map.entry("MD", 24),
          Map.entry("ME", 22),
          Map.entry("MK", 19),
          Map.entry("MR", 27),
          Map.entry("MT", 31),
          Map.entry("MU", 30),
          Map.entry("NL", 18),
          Map.entry("NO", 15),
          Map.entry("PK", 24),
          Map.entry("PL", 28),
          Map.entry("PS", 29),
          Map.entry("PT", 25),
          Map.entry("QA", 29),
          Map.entry("RO", 24),
          Map.entry("RS", 22),
          Map.entry("SA", 24),
          Map.entry("SE", 24),
          Map.entry("SI", 19),
          Map.entry("SK", 24),
          Map.entry("SM", 27),
          Map.entry("TN", 24),
          Map.entry("TR", 26),
          Map.entry("UA", 29),
          Map.entry("VA", 22),
          Map.entry("VG", 24),
          Map.entry("XK", 20));

  private static final String ATOM = "[\\p{L}\\p{N}_%+-]+";
  private static final String LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![\\p{L}\\p{N}_%+.'@-])"
              + ATOM
              + "(?:['.]+"
              + ATOM
              + ")*@(?:"
              + LABEL
              + "\\.)+(?:\\p{L}{2,63}|xn--[a-z0-9-]{1,59})(?![\\p{L}\\p{N}_-])");
  private static final Pattern DIGIT_RUN = Pattern.compile("(?<![\\w.,-])\\d++(?:[ -]\\d++)*+");
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final Pattern IBAN_START = Pattern.compile("(?<![\\p{L}\\p{N}])[A-Z]{2}\\d{2}");
  private static final Pattern SSN =
      Pattern.compile("(?<![\\w-])(\\d{3})-(\\d{2})-(\\d{4})(?![\\w-]|\\.\\d)");
  private static final Pattern NINO =
      Pattern.compile(
          "(?<![\\p{L}\\p{N}])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]"
              + "(?![\\p{L}\\p{N}])");
  private static final Set<String> NINO_BAD_PREFIXES =
      Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ");
  private static final Pattern IPV4 =
      Pattern.compile("(?<![\\w.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\w]|\\.\\d)");
  private static final Pattern IPV6 =
      Pattern.compile("(?<![\\w:.])[0-9A-Fa-f]*+(?::[0-9A-Fa-f]*+)++(?:\\.[0-9]++)*+");

  private final String defaultRegion;
  private final Set<PiiType> types;
  private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
  // a text with fewer digits holds no valid phone number (PhoneDigits)
  private final int phoneDigits;

  /** All types, phone numbers without a country code read as US numbers. */
  public PiiDetector() {
    this("US");
  }

  /** All types, phone numbers without a country code read in {@code defaultRegion} (ISO 3166). */
  public PiiDetector(String defaultRegion) {
    this(defaultRegion, EnumSet.allOf(PiiType.class));
  }

  /** Only {@code types}. */
  public PiiDetector(String defaultRegion, Set<PiiType> types) {
    String region = defaultRegion == null ? "" : defaultRegion.toUpperCase(Locale.ROOT);
    if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
      throw new IllegalArgumentException("unknown phone region: '" + defaultRegion + "'");
    }
    if (types == null || types.isEmpty()) {
      throw new IllegalArgumentException("at least one PII type is needed");
    }
    this.defaultRegion = region;
    this.types = Set.copyOf(types);
    this.phoneDigits = PhoneDigits.minimum(phones, region);
  }

  /** The PII spans of {@code text}, sorted by start, without overlaps. */
  public List<PiiSpan> detect(String text) {
    return detect(text, PiiMarks.of(text));
  }

  /** As {@link #detect(String)}, running only the patterns {@code marks} allow. */
  List<PiiSpan> detect(String text, PiiMarks marks) {
    List<PiiSpan> candidates = new ArrayList<>();
    if (types.contains(PiiType.EMAIL) && marks.mayHoldEmail()) {
      emails(text, candidates);
    }
    // too few digits for any valid number: the matcher would find none
    if (types.contains(PiiType.PHONE) && marks.mayHoldPhone(phoneDigits)) {
      phones(text, candidates);
    }
    if (types.contains(PiiType.PAYMENT_CARD) && marks.mayHoldCard()) {
      cards(text, candidates);
    }
    if (types.contains(PiiType.IBAN) && marks.mayHoldIban()) {
      ibans(text, candidates);
    }
    if (types.contains(PiiType.NATIONAL_ID)) {
      nationalIds(text, marks, candidates);
    }
    if (types.contains(PiiType.IP_ADDRESS)) {
      ipAddresses(text, marks, candidates);
    }
    return resolve(candidates);
  }

  /** Keeps the longest (then most specific) candidates that do not overlap, sorted by start. */
  static List<PiiSpan> resolve(List<PiiSpan> candidates) {
    List<PiiSpan> byPreference = new ArrayList<>(candidates);
    byPreference.sort(
        Comparator.comparingInt(PiiSpan::length)
            .reversed()
            .thenComparing(PiiSpan::type)
            .thenComparingInt(PiiSpan::start));
    List<PiiSpan> kept = new ArrayList<>();
    for (PiiSpan c : byPreference) {
      if (kept.stream().noneMatch(c::overlaps)) {
        kept.add(c);
      }
    }
    kept.sort(Comparator.comparingInt(PiiSpan::start));
    return List.copyOf(kept);
  }

  private static void emails(String text, List<PiiSpan> out) {
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      String s = m.group();
      int at = s.lastIndexOf('@');
      if (at <= 64 && s.length() <= 254) {
        out.add(new PiiSpan(PiiType.EMAIL, m.start(), m.end(), s));
      }
    }
  }

  private void phones(String text, List<PiiSpan> out) {
    for (PhoneNumberMatch m :
        phones.findNumbers(text, defaultRegion, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
      out.add(new PiiSpan(PiiType.PHONE, m.start(), m.end(), m.rawString()));
    }
  }

  private static void cards(String text, List<PiiSpan> out) {
    Matcher m = DIGIT_RUN.matcher(text);
    while (m.find()) {
      if (m.end() < text.length() && Character.isLetter(text.charAt(m.end()))) {
        continue;
      }
      // the groups of the run, then the longest card starting at the earliest group
      List<int[]> groups = new ArrayList<>();
      Matcher g = DIGITS.matcher(text).region(m.start(), m.end());
      while (g.find()) {
        groups.add(new int[] {g.start(), g.end()});
      }
      int i = 0;
      while (i < groups.size()) {
        int found = -1;
        StringBuilder digits = new StringBuilder();
        for (int j = i; j < groups.size(); j++) {
          digits.append(text, groups.get(j)[0], groups.get(j)[1]);
          if (digits.length() > 19) {
            break;
          }
          if (digits.length() >= 13 && isCard(digits)) {
            found = j;
          }
        }
        if (found >= 0) {
          int start = groups.get(i)[0];
          int end = groups.get(found)[1];
          out.add(new PiiSpan(PiiType.PAYMENT_CARD, start, end, text.substring(start, end)));
          i = found + 1;
        } else {
          i++;
        }
      }
    }
  }

  /** Luhn-valid, with the prefix and a length of a card network. */
  static boolean isCard(CharSequence digits) {
    return luhn(digits) && knownIin(digits);
  }

  /** The Luhn check (ISO/IEC 7812-1 annex B). */
  static boolean luhn(CharSequence digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static boolean knownIin(CharSequence digits) {
    int n = digits.length();
    int p1 = digits.charAt(0) - '0';
    int p2 = Integer.parseInt(digits.subSequence(0, 2).toString());
    int p3 = Integer.parseInt(digits.subSequence(0, 3).toString());
    int p4 = Integer.parseInt(digits.subSequence(0, 4).toString());
    int p6 = Integer.parseInt(digits.subSequence(0, 6).toString());
    if (p1 == 4) { // Visa
      return n == 13 || n == 16 || n == 19;
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) { // Mastercard
      return n == 16;
    }
    if (p2 == 34 || p2 == 37) { // American Express
      return n == 15;
    }
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
      return n >= 16 && n <= 19; // Discover
    }
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) { // Diners Club
      return n >= 14 && n <= 19;
    }
    if (p4 >= 3528 && p4 <= 3589) { // JCB
      return n >= 16 && n <= 19;
    }
    if (p2 == 62) { // UnionPay
      return n >= 16 && n <= 19;
    }
    if (p2 == 50 || (p2 >= 56 && p2 <= 69)) { // Maestro
      return n >= 13 && n <= 19;
    }
    return false;
  }

  private static void ibans(String text, List<PiiSpan> out) {
    Matcher m = IBAN_START.matcher(text);
    while (m.find()) {
      Integer length = IBAN_LENGTHS.get(text.substring(m.start(), m.start() + 2));
      if (length == null) {
        continue;
      }
      StringBuilder iban = new StringBuilder(text.substring(m.start(), m.end()));
      int i = m.end();
      while (iban.length() < length && i < text.length()) {
        char c = text.charAt(i);
        if (c == ' ' && i + 1 < text.length() && isIbanChar(text.charAt(i + 1))) {
          i++;
          continue;
        }
        if (!isIbanChar(c)) {
          break;
        }
        iban.append(c);
        i++;
      }
      boolean ends = i == text.length() || !Character.isLetterOrDigit(text.charAt(i));
      if (iban.length() == length && ends && mod97(iban) == 1) {
        out.add(new PiiSpan(PiiType.IBAN, m.start(), i, text.substring(m.start(), i)));
      }
    }
  }

  private static boolean isIbanChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  }

  /**
   * ISO 7064 mod 97-10 of an IBAN: the first four chars moved to the end, letters as 10..35; a
   * valid IBAN gives 1.
   */
  static int mod97(CharSequence iban) {
    String rearranged = iban.subSequence(4, iban.length()) + iban.subSequence(0, 4).toString();
    int r = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      int v = Character.digit(rearranged.charAt(i), 36);
      r = v < 10 ? (r * 10 + v) % 97 : (r * 100 + v) % 97;
    }
    return r;
  }

  private static void nationalIds(String text, PiiMarks marks, List<PiiSpan> out) {
    if (marks.mayHoldSsn()) {
      Matcher m = SSN.matcher(text);
      while (m.find()) {
        int area = Integer.parseInt(m.group(1));
        boolean valid =
            area != 0
                && area != 666
                && area < 900
                && !m.group(2).equals("00")
                && !m.group(3).equals("0000");
        if (valid) {
          out.add(new PiiSpan(PiiType.NATIONAL_ID, m.start(), m.end(), m.group()));
        }
      }
    }
    if (marks.mayHoldNino()) {
      Matcher n = NINO.matcher(text);
      while (n.find()) {
        if (!NINO_BAD_PREFIXES.contains(n.group(1))) {
          out.add(new PiiSpan(PiiType.NATIONAL_ID, n.start(), n.end(), n.group()));
        }
      }
    }
  }

  private static void ipAddresses(String text, PiiMarks marks, List<PiiSpan> out) {
    if (marks.mayHoldIpv4()) {
      Matcher m = IPV4.matcher(text);
      while (m.find()) {
        if (isIpv4(m.group())) {
          out.add(new PiiSpan(PiiType.IP_ADDRESS, m.start(), m.end(), m.group()));
        }
      }
    }
    if (!marks.mayHoldIpv6()) {
      return;
    }
    Matcher m6 = IPV6.matcher(text);
    while (m6.find()) {
      int end = m6.end();
      // a sentence may end right after the address; a following word char means no address
      if (end < text.length()
          && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
        continue;
      }
      String s = m6.group();
      while (s.endsWith(".") || (s.endsWith(":") && !s.endsWith("::"))) {
        s = s.substring(0, s.length() - 1);
      }
      if (isIpv6(s)) {
        out.add(new PiiSpan(PiiType.IP_ADDRESS, m6.start(), m6.start() + s.length(), s));
      }
    }
  }

  /** Four decimal octets 0..255 without leading zeros. */
  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < p.length(); i++) {
        if (p.charAt(i) < '0' || p.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 4291 section 2.2: eight groups of 1-4 hex digits, at most one {@code ::} standing for one
   * or more zero groups, the last two groups optionally written as an IPv4 address. {@code ::}
   * alone is not reported.
   */
  static boolean isIpv6(String s) {
    if (s.equals("::") || s.contains(":::")) {
      return false;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String head = gap >= 0 ? s.substring(0, gap) : s;
    String tail = gap >= 0 ? s.substring(gap + 2) : "";
    int groups = 0;
    String[][] sides = {
      head.isEmpty() ? new String[0] : head.split(":", -1),
      tail.isEmpty() ? new String[0] : tail.split(":", -1)
    };
    for (int side = 0; side < 2; side++) {
      String[] parts = sides[side];
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i];
        boolean last = gap >= 0 ? side == 1 && i == parts.length - 1 : i == parts.length - 1;
        if (last && p.contains(".")) {
          if (!isIpv4(p)) {
            return false;
          }
          groups += 2;
        } else if (p.isEmpty() || p.length() > 4 || !p.matches("[0-9A-Fa-f]+")) {
          return false;
        } else {
          groups++;
        }
      }
    }
    if (gap >= 0 && sides[1].length == 0 && head.contains(".")) {
      return false;
    }
    return gap >= 0 ? groups <= 7 : groups == 8;
  }
}

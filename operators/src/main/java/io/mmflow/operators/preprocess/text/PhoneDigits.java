package io.mmflow.operators.preprocess.text;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The fewest digits a text must hold for libphonenumber to find a valid phone number in it, read
 * from libphonenumber's own metadata: the shortest possible national number of the default region
 * (a number written without a country code), and of every country calling code, geographic and
 * non-geographic, plus the code's own digits (a number written with one). Lengths possible only for
 * local dialling do not count: such a number is never valid. A text with fewer digits ({@link
 * Character#isDigit}: libphonenumber's matcher reads Unicode decimal digits, never letters) holds
 * no valid number, so the matcher need not run: the PII guard's phone search costs nothing on most
 * short texts, and finds exactly what it found before on every other. {@code PhoneDigitsTest}
 * proves the bound for the shipped libphonenumber: no string of fewer digits, with any calling code
 * or in several default regions, parses to a valid number.
 */
final class PhoneDigits {
  /** Longer than any possible national number (ITU-T E.164 allows 15 digits in all). */
  private static final int LONGEST = 17;

  private PhoneDigits() {}

  /** The bound for numbers read in {@code defaultRegion} when written without a country code. */
  static int minimum(PhoneNumberUtil util, String defaultRegion) {
    // a number without a country code may be written shorter than it is: some regions' metadata
    // completes a local-only number (NF: "12345" is read as 312345), so here local lengths count
    int min = shortestNational(util, util.getCountryCodeForRegion(defaultRegion), true);
    for (String region : util.getSupportedRegions()) {
      int cc = util.getCountryCodeForRegion(region);
      min = Math.min(min, digits(cc) + shortestNational(util, cc, false));
    }
    for (int cc : util.getSupportedGlobalNetworkCallingCodes()) {
      min = Math.min(min, digits(cc) + shortestNational(util, cc, false));
    }
    return min;
  }

  /**
   * The shortest national number libphonenumber calls possible for {@code countryCode}, or possible
   * for local dialling only too where {@code localCounts}: every valid number written with that
   * code is at least that long.
   */
  static int shortestNational(PhoneNumberUtil util, int countryCode, boolean localCounts) {
    for (int length = 1; length <= LONGEST; length++) {
      PhoneNumber n =
          new PhoneNumber()
              .setCountryCode(countryCode)
              .setNationalNumber(Long.parseLong("1".repeat(length)));
      ValidationResult r = util.isPossibleNumberWithReason(n);
      if (r == ValidationResult.IS_POSSIBLE
          || localCounts && r == ValidationResult.IS_POSSIBLE_LOCAL_ONLY) {
        return length;
      }
    }
    return LONGEST;
  }

  private static int digits(int countryCode) {
    return Integer.toString(countryCode).length();
  }
}

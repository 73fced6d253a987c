package io.mmflow.operators.preprocess.text;

/**
 * Kinds of personal data {@link PiiDetector} finds, in order of specificity: when two candidates of
 * the same length overlap, the earlier type wins.
 */
public enum PiiType {
  /** A payment card number (PAN) of 13 to 19 digits, Luhn-valid, with a known IIN prefix. */
  PAYMENT_CARD,
  /** An IBAN of a known country, with its length and ISO 7064 mod 97-10 check digits. */
  IBAN,
  /** A US Social Security number or a UK National Insurance number. */
  NATIONAL_ID,
  /** An e-mail address. */
  EMAIL,
  /** An IPv4 or IPv6 address. */
  IP_ADDRESS,
  /** A telephone number valid for its region (libphonenumber). */
  PHONE;

  /** The text that replaces a span of this type, e.g. {@code [EMAIL]}. */
  public String placeholder() {
    return "[" + name() + "]";
  }
}

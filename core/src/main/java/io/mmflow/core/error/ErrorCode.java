package io.mmflow.core.error;

import static io.mmflow.core.error.ErrorCategory.BAD_INPUT;
import static io.mmflow.core.error.ErrorCategory.EXTERNAL;
import static io.mmflow.core.error.ErrorCategory.INTERNAL;

/**
 * Stable error codes carried by dead letters, error results and log lines.
 *
 * <p>The numeric part never changes meaning: a retired code stays here as a comment so that its
 * number is never reused. 1xxx are bad input, 2xxx external failures, 3xxx internal ones.
 */
public enum ErrorCode {
  EMPTY_INPUT(1001, BAD_INPUT, false, "the input has no bytes"),
  INPUT_TOO_LARGE(1002, BAD_INPUT, false, "the input is larger than the configured size limit"),
  UNSUPPORTED_MEDIA_TYPE(1003, BAD_INPUT, false, "no stage of this job handles the media type"),
  CORRUPT_INPUT(1004, BAD_INPUT, false, "the input could not be parsed"),
  ENCRYPTED_INPUT(1005, BAD_INPUT, false, "the input is encrypted or password protected"),
  COMPRESSION_BOMB(
      1006, BAD_INPUT, false, "the input expands beyond the compression ratio or depth limits"),
  PAGE_LIMIT_EXCEEDED(1007, BAD_INPUT, false, "the document has more pages than the page limit"),
  PIXEL_LIMIT_EXCEEDED(1008, BAD_INPUT, false, "the image has more pixels than the pixel limit"),
  PARSE_TIMEOUT(1009, BAD_INPUT, false, "parsing took longer than the parse timeout"),
  MALFORMED_EVENT(1010, BAD_INPUT, false, "the event does not match the documented schema"),
  LATE_EVENT(1011, BAD_INPUT, false, "the event arrived after the allowed lateness"),
  NO_CONTENT_EXTRACTED(1012, BAD_INPUT, false, "the input parsed but held no extractable content"),

  SOURCE_READ_FAILED(2001, EXTERNAL, true, "the source object could not be read"),
  PROVIDER_UNAVAILABLE(2002, EXTERNAL, true, "the provider failed or is unreachable"),
  PROVIDER_RATE_LIMITED(2003, EXTERNAL, true, "the provider rejected the call for rate limits"),
  PROVIDER_TIMEOUT(2004, EXTERNAL, true, "the provider did not answer within the timeout"),
  PROVIDER_BAD_RESPONSE(2005, EXTERNAL, false, "the provider's answer could not be parsed"),
  PROVIDER_AUTH_FAILED(2006, EXTERNAL, false, "the provider refused the credentials"),
  BUDGET_EXHAUSTED(2007, EXTERNAL, false, "the job's cost budget is spent"),
  SINK_WRITE_FAILED(2008, EXTERNAL, true, "a result store refused the write"),

  MODEL_FAILURE(3001, INTERNAL, false, "the model runtime failed on a valid input"),
  INTERNAL_ERROR(3002, INTERNAL, false, "an unexpected error inside mmflow"),
  CONFIGURATION_INVALID(3003, INTERNAL, false, "the job configuration is invalid");

  private final int number;
  private final ErrorCategory category;
  private final boolean retryable;
  private final String meaning;

  ErrorCode(int number, ErrorCategory category, boolean retryable, String meaning) {
    this.number = number;
    this.category = category;
    this.retryable = retryable;
    this.meaning = meaning;
  }

  /** The stable code as printed in tables and logs, e.g. {@code MMF-1004}. */
  public String code() {
    return "MMF-" + number;
  }

  public int number() {
    return number;
  }

  public ErrorCategory category() {
    return category;
  }

  /** Whether trying the same input again may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** One line saying what the code means, for docs and summaries. */
  public String meaning() {
    return meaning;
  }
}

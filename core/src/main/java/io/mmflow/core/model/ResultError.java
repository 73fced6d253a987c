package io.mmflow.core.model;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.error.SecretScrubber;

/**
 * Why a task failed.
 *
 * @param code the stable error code
 * @param message what happened, scrubbed of secrets
 * @param retryable whether running the same input again may succeed
 */
public record ResultError(ErrorCode code, String message, boolean retryable) {
  public ResultError {
    requireNonNull(code, "code is null");
    message = SecretScrubber.scrub(message == null ? code.meaning() : message);
  }

  public static ResultError of(ErrorCode code, String message) {
    return new ResultError(code, message, code.retryable());
  }

  /**
   * The error of a failure: a coded {@link MmflowException} keeps its code, anything else gets
   * {@code fallback}; the message is scrubbed like every other.
   */
  public static ResultError from(Throwable error, ErrorCode fallback) {
    ErrorCode code = error instanceof MmflowException m ? m.code() : fallback;
    return of(code, error.getMessage() != null ? error.getMessage() : error.toString());
  }
}

package io.mmflow.core.error;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception of mmflow: an {@link ErrorCode} plus a message that is safe to store
 * (secrets scrubbed by {@link SecretScrubber}).
 */
public class MmflowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public MmflowException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public MmflowException(ErrorCode code, String message, Throwable cause) {
    super(SecretScrubber.scrub(message), cause);
    this.code = requireNonNull(code, "code is null");
  }

  public ErrorCode code() {
    return code;
  }
}

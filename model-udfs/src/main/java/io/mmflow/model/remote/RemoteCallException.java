package io.mmflow.model.remote;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failed call to a remote model: an {@link ErrorCode} of the {@code PROVIDER_*} family, the HTTP
 * status when there was one, and the wait the provider asked for ({@code Retry-After}) when it
 * rate-limited the call. The message never holds the API key.
 */
public class RemoteCallException extends MmflowException {
  private static final long serialVersionUID = 1L;

  private final Integer httpStatus;
  private final Duration retryAfter;
  private final boolean closedBeforeAnswer;

  public RemoteCallException(
      ErrorCode code, String message, Integer httpStatus, Duration retryAfter, Throwable cause) {
    this(code, message, httpStatus, retryAfter, cause, false);
  }

  /**
   * @param closedBeforeAnswer the server closed the connection before the first byte of an answer
   *     (see {@link #closedBeforeAnswer()})
   */
  public RemoteCallException(
      ErrorCode code,
      String message,
      Integer httpStatus,
      Duration retryAfter,
      Throwable cause,
      boolean closedBeforeAnswer) {
    super(code, message, cause);
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
    this.closedBeforeAnswer = closedBeforeAnswer;
  }

  /**
   * Whether the server closed the connection before sending the first byte of an answer: what a
   * pooled keep-alive connection that the server has already dropped gives (servers trim their idle
   * connections: the JDK's keeps 200, nginx closes after {@code keepalive_requests}). OkHttp would
   * send such a call again on a new connection, but the OpenAI SDK turns that off; the remote stage
   * does it instead, at once and without counting a failure of the provider.
   */
  public boolean closedBeforeAnswer() {
    return closedBeforeAnswer;
  }

  /** The HTTP status of the provider's answer; empty for connection failures and timeouts. */
  public OptionalInt httpStatus() {
    return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /** How long the provider asked to wait before the next call, from {@code Retry-After}. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}

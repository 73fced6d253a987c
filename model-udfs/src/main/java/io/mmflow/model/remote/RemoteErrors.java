package io.mmflow.model.remote;

import com.openai.core.http.Headers;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps what the OpenAI SDK throws to a {@link RemoteCallException} with a {@code PROVIDER_*} code.
 * Messages name the provider and model, never the key: the key is masked literally and the SDK's
 * exception is kept as the cause only when its messages do not hold the key.
 */
final class RemoteErrors {
  private RemoteErrors() {}

  static RemoteCallException map(Throwable t, String who, ApiKey key) {
    Throwable e = unwrap(t);
    if (e instanceof RemoteCallException r) {
      return r;
    }
    if (e instanceof OpenAIServiceException s) {
      return service(s, who, key);
    }
    // the SDK reports a connection lost while reading the body ("Error reading response") as
    // invalid data: it is a transient failure of the connection, retried like one
    boolean lostWhileReading = e instanceof OpenAIInvalidDataException && ioCause(e);
    if (e instanceof OpenAIInvalidDataException && !lostWhileReading) {
      return make(
          ErrorCode.PROVIDER_BAD_RESPONSE, who + ": invalid answer: " + msg(e), null, null, e, key);
    }
    if (e instanceof OpenAIIoException || e instanceof java.io.IOException || lostWhileReading) {
      if (isTimeout(e)) {
        return make(
            ErrorCode.PROVIDER_TIMEOUT, who + ": no answer within the timeout", null, null, e, key);
      }
      return make(
          ErrorCode.PROVIDER_UNAVAILABLE,
          who + ": connection failed: " + rootMsg(e),
          null,
          null,
          e,
          key,
          closedBeforeAnswer(e));
    }
    if (e instanceof MmflowException m) {
      return make(m.code(), m.getMessage(), null, null, m, key);
    }
    return make(
        ErrorCode.PROVIDER_UNAVAILABLE, who + ": call failed: " + rootMsg(e), null, null, e, key);
  }

  /**
   * Whether the server closed the connection before the status line of an answer: OkHttp reports it
   * as an {@code IOException} "unexpected end of stream on ..." caused by an {@code EOFException}
   * while reading the response headers (Http1ExchangeCodec).
   */
  static boolean closedBeforeAnswer(Throwable e) {
    for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof java.io.IOException
          && c.getCause() instanceof java.io.EOFException
          && String.valueOf(c.getMessage()).startsWith("unexpected end of stream")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a failure of the connection is among the causes of {@code e}: an I/O exception that is
   * not a JSON parser's (Jackson's parse errors are I/O exceptions too, and a malformed answer is
   * not transient).
   */
  private static boolean ioCause(Throwable e) {
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof java.io.IOException && !c.getClass().getName().startsWith("com.fasterxml")) {
        return true;
      }
    }
    return false;
  }

  /** A reply that arrived but could not be used. */
  static RemoteCallException badResponse(String who, String why) {
    return new RemoteCallException(
        ErrorCode.PROVIDER_BAD_RESPONSE, who + ": " + why, null, null, null);
  }

  private static RemoteCallException service(OpenAIServiceException s, String who, ApiKey key) {
    int status = s.statusCode();
    String detail = who + ": HTTP " + status + ": " + msg(s);
    ErrorCode code;
    Duration retryAfter = null;
    if (status == 429) {
      code = ErrorCode.PROVIDER_RATE_LIMITED;
      retryAfter = retryAfter(s.headers());
      if (retryAfter != null) {
        detail += " (retry after " + retryAfter.toMillis() + " ms)";
      }
    } else if (status == 401 || status == 403) {
      code = ErrorCode.PROVIDER_AUTH_FAILED;
    } else if (status == 408 || status == 504) {
      code = ErrorCode.PROVIDER_TIMEOUT;
    } else if (status >= 500) {
      code = ErrorCode.PROVIDER_UNAVAILABLE;
    } else {
      code = ErrorCode.PROVIDER_BAD_RESPONSE;
    }
    return make(code, detail, status, retryAfter, s, key);
  }

  /** {@code retry-after-ms}, else {@code Retry-After} in seconds or as an HTTP date. */
  static Duration retryAfter(Headers headers) {
    try {
      List<String> ms = headers.values("retry-after-ms");
      if (!ms.isEmpty()) {
        return Duration.ofMillis((long) Double.parseDouble(ms.get(0).trim()));
      }
      List<String> v = headers.values("retry-after");
      if (v.isEmpty()) {
        return null;
      }
      String s = v.get(0).trim();
      if (s.matches("\\d+(\\.\\d+)?")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
      }
      Duration d =
          Duration.between(
              ZonedDateTime.now(), ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME));
      return d.isNegative() ? Duration.ZERO : d;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static RemoteCallException make(
      ErrorCode code,
      String message,
      Integer status,
      Duration retryAfter,
      Throwable cause,
      ApiKey key) {
    return make(code, message, status, retryAfter, cause, key, false);
  }

  private static RemoteCallException make(
      ErrorCode code,
      String message,
      Integer status,
      Duration retryAfter,
      Throwable cause,
      ApiKey key,
      boolean closedBeforeAnswer) {
    String text = mask(message, key);
    Throwable kept = cause != null && mentions(cause, key) ? null : cause;
    return new RemoteCallException(code, text, status, retryAfter, kept, closedBeforeAnswer);
  }

  private static boolean mentions(Throwable t, ApiKey key) {
    if (!key.isPresent()) {
      return false;
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (String.valueOf(c.getMessage()).contains(key.reveal())) {
        return true;
      }
    }
    return false;
  }

  private static String mask(String text, ApiKey key) {
    return key.isPresent() && text != null ? text.replace(key.reveal(), "***") : text;
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SocketTimeoutException
          || c instanceof InterruptedIOException
              && String.valueOf(c.getMessage()).contains("timeout")
          || c instanceof java.net.http.HttpTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String msg(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static String rootMsg(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + msg(c);
  }
}

package io.mmflow.model.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.connectors.embedded.LoopbackSettings;
import io.mmflow.core.error.ErrorCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Provider failures injected by the loopback server become the right MMF codes. */
class RemoteErrorMappingTest {
  private final LoopbackOpenAiServer server = LoopbackOpenAiServer.start(0, new LoopbackSettings());

  @AfterEach
  void close() {
    server.close();
  }

  private static RemoteCallException failure(java.util.concurrent.CompletableFuture<?> f) {
    Throwable t = catchThrowable(f::join);
    assertThat(t).isInstanceOf(CompletionException.class);
    assertThat(t.getCause()).isInstanceOf(RemoteCallException.class);
    return (RemoteCallException) t.getCause();
  }

  @Test
  void rateLimitedCarriesRetryAfter() {
    server.settings().rateLimitRate(1).retryAfterSeconds(7);
    try (OpenAiRemoteModel model = RemoteTestModels.model(server)) {
      RemoteCallException e = failure(model.sentiment("hi"));
      assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_RATE_LIMITED);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
      assertThat(e.httpStatus()).hasValue(429);
      // SDK retries are off: exactly one request reached the server
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(server.statusCounts()).containsEntry(429, 1L);
    }
  }

  @Test
  void serverErrorIsUnavailable() {
    server.settings().serverErrorRate(1);
    try (OpenAiRemoteModel model = RemoteTestModels.model(server)) {
      RemoteCallException e = failure(model.embed(java.util.List.of("x")));
      assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
      assertThat(e.httpStatus()).hasValue(500);
    }
  }

  /**
   * A server that drops a reused keep-alive connection without answering: the call fails as
   * unavailable and says the connection was closed before an answer (the remote stage sends it
   * again at once); a refused or failed call on a fresh connection does not say so.
   */
  @Test
  void aDroppedKeepAliveConnectionIsClosedBeforeAnswer() {
    server.settings().dropReusedConnections(true);
    try (OpenAiRemoteModel model = RemoteTestModels.model(server)) {
      assertThat(model.sentiment("first, on a new connection").join().labels()).isNotEmpty();
      RemoteCallException e = failure(model.sentiment("second, on the same connection"));
      assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
      assertThat(e.closedBeforeAnswer()).isTrue();
      assertThat(server.droppedRequests()).isEqualTo(1);
    }
    server.settings().dropReusedConnections(false).serverErrorRate(1);
    try (OpenAiRemoteModel model = RemoteTestModels.model(server)) {
      assertThat(failure(model.sentiment("x")).closedBeforeAnswer()).isFalse();
    }
  }

  @Test
  void closedPortIsUnavailable() {
    LoopbackOpenAiServer gone = LoopbackOpenAiServer.start();
    gone.close();
    try (OpenAiRemoteModel model = RemoteTestModels.model(gone)) {
      RemoteCallException e = failure(model.sentiment("hi"));
      assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
      assertThat(e.httpStatus()).isEmpty();
      assertThat(e.closedBeforeAnswer())
          .as("a refused connection never carried the call")
          .isFalse();
    }
  }

  @Test
  void hangingServerGivesTimeout() {
    server.settings().timeoutRate(1);
    try (OpenAiRemoteModel model =
        RemoteTestModels.model(server, "k-123456", Duration.ofMillis(300))) {
      long start = System.nanoTime();
      RemoteCallException e = failure(model.sentiment("hi"));
      assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void contentThatIsNotJsonIsBadResponse() {
    server.settings().badJsonRate(1);
    try (OpenAiRemoteModel model = RemoteTestModels.model(server)) {
      RemoteCallException e = failure(model.sentiment("hi"));
      assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_BAD_RESPONSE);
      assertThat(e.getMessage()).contains("not JSON");
    }
  }

  @Test
  void wrongKeyIsAuthFailedAndTheKeyIsNowhere() {
    String key = "wrong-key-Zq81xP";
    server.settings().requiredApiKey("the-right-key");
    try (OpenAiRemoteModel model = RemoteTestModels.model(server, key, Duration.ofSeconds(5))) {
      RemoteCallException e = failure(model.sentiment("hi"));
      assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_AUTH_FAILED);
      assertThat(e.httpStatus()).hasValue(401);
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(key).contains("***");
      assertThat(model.toString()).doesNotContain(key);
      assertThat(model.provider().toString()).doesNotContain(key);
      // the server did get the key; its log masks it too
      assertThat(server.requests().get(0).toString()).doesNotContain(key);
    }
    server.settings().requiredApiKey("the-right-key");
    try (OpenAiRemoteModel model =
        RemoteTestModels.model(server, "the-right-key", Duration.ofSeconds(5))) {
      assertThat(model.sentiment("good").join().topLabel()).isPresent();
    }
  }
}

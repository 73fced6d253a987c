package io.mmflow.connectors.source.s3;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.util.Hashing;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The async function behind {@link S3References}: one {@link S3AsyncClient} per subtask (opened in
 * {@link #open}, closed in {@link #close}), one GET per referenced item, its body streamed into a
 * buffer no larger than the limit while it is hashed. Every outcome is a {@link Either#Left item}
 * or a {@link Either#Right dead letter}; nothing completes the result exceptionally.
 */
final class S3ReferenceFetcher extends RichAsyncFunction<MediaItem, Either<MediaItem, DeadLetter>> {
  private static final long serialVersionUID = 1L;

  /** Attribute set to the object's ETag on a fetched item. */
  static final String ETAG_ATTRIBUTE = "s3.etag";

  /** Java arrays stop a little short of {@link Integer#MAX_VALUE}. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** First buffer when S3 does not say the length (chunked answers). */
  private static final int INITIAL_BUFFER = 64 * 1024;

  private final S3ClientSettings settings;
  private final long maxBytes;
  private final Duration timeout;
  private final int maxConcurrency;
  private final int ioThreads;

  private transient S3AsyncClient s3;
  private transient Map<ResultFuture<?>, Fetch> inFlight;

  S3ReferenceFetcher(
      S3ClientSettings settings,
      long maxBytes,
      Duration timeout,
      int maxConcurrency,
      int ioThreads) {
    this.settings = settings;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.maxConcurrency = maxConcurrency;
    this.ioThreads = ioThreads;
  }

  @Override
  public void open(OpenContext openContext) {
    s3 = settings.newAsyncClient(maxConcurrency, ioThreads);
    inFlight = Collections.synchronizedMap(new IdentityHashMap<>());
  }

  @Override
  public void close() {
    if (inFlight != null) {
      List<Fetch> open;
      synchronized (inFlight) {
        open = new ArrayList<>(inFlight.values());
        inFlight.clear();
      }
      open.forEach(Fetch::abort);
    }
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }

  @Override
  public void asyncInvoke(MediaItem item, ResultFuture<Either<MediaItem, DeadLetter>> result) {
    String ref = item.contentRef();
    if (ref == null) {
      result.complete(List.of(Either.Left(item)));
      return;
    }
    int slash = ref.startsWith("s3://") ? ref.indexOf('/', 5) : -1;
    if (slash <= 5 || slash == ref.length() - 1 || ref.substring(5, slash).contains("@")) {
      result.complete(
          List.of(
              Either.Right(
                  deadLetter(
                      item,
                      ErrorCode.SOURCE_READ_FAILED,
                      false,
                      "cannot fetch " + describe(ref) + ": only s3://bucket/key is supported"))));
      return;
    }
    Fetch fetch = new Fetch(item, ref.substring(5, slash), ref.substring(slash + 1), result);
    inFlight.put(result, fetch);
    fetch.start();
  }

  @Override
  public void timeout(MediaItem item, ResultFuture<Either<MediaItem, DeadLetter>> result) {
    Fetch fetch = inFlight.remove(result);
    DeadLetter late =
        deadLetter(
            item,
            ErrorCode.SOURCE_READ_FAILED,
            true,
            "fetching "
                + (fetch != null ? fetch.uri() : describe(item.contentRef()))
                + " took longer than mmflow.s3.fetch-timeout="
                + timeout.toMillis()
                + " ms; cancelled");
    if (fetch != null) {
      fetch.finish(Either.Right(late));
      fetch.abort();
    } else {
      result.complete(List.of(Either.Right(late)));
    }
  }

  private static DeadLetter deadLetter(
      MediaItem item, ErrorCode code, boolean retryable, String message) {
    return deadLetter(item, code, retryable, message, item.sizeBytes());
  }

  /** A dead letter of stage {@value S3References#STAGE}; {@code sizeBytes} as far as known. */
  private static DeadLetter deadLetter(
      MediaItem item, ErrorCode code, boolean retryable, String message, long sizeBytes) {
    return new DeadLetter(
        item.itemId(),
        item.partId(),
        item.correlationId(),
        item.sourceUri(),
        S3References.STAGE,
        code,
        message,
        retryable,
        item.mediaType(),
        sizeBytes,
        null,
        Instant.now(),
        null);
  }

  /** A reference for messages, without user info (credentials) in its authority. */
  private static String describe(String ref) {
    if (ref == null) {
      return "(no reference)";
    }
    int scheme = ref.indexOf("://");
    if (scheme < 0) {
      return ref;
    }
    int slash = ref.indexOf('/', scheme + 3);
    int at = ref.lastIndexOf('@', slash < 0 ? ref.length() - 1 : slash);
    return at > scheme ? ref.substring(0, scheme + 3) + "…@" + ref.substring(at + 1) : ref;
  }

  /**
   * One GET in flight. The publisher's signals arrive one at a time (Reactive Streams), so the
   * streaming state needs no lock; completion is decided once, by whoever gets there first: the
   * body's end, an error, or the timeout.
   */
  private final class Fetch implements Subscriber<ByteBuffer> {
    private final MediaItem item;
    private final String bucket;
    private final String key;
    private final ResultFuture<Either<MediaItem, DeadLetter>> result;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile CompletableFuture<?> request;
    private volatile Subscription subscription;

    // touched only by the response callback and then the publisher's signals, in turn
    private Long expected;
    private String etag;
    private byte[] buffer;
    private int received;
    private MessageDigest digest;

    Fetch(
        MediaItem item,
        String bucket,
        String key,
        ResultFuture<Either<MediaItem, DeadLetter>> result) {
      this.item = item;
      this.bucket = bucket;
      this.key = key;
      this.result = result;
    }

    String uri() {
      return "s3://" + bucket + "/" + key;
    }

    void start() {
      CompletableFuture<ResponsePublisher<GetObjectResponse>> call;
      try {
        call = s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toPublisher());
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      request = call;
      call.whenComplete(this::onResponse);
    }

    private void onResponse(ResponsePublisher<GetObjectResponse> publisher, Throwable error) {
      if (error != null) {
        fail(error);
        return;
      }
      try {
        GetObjectResponse response = publisher.response();
        expected = response.contentLength();
        etag = response.eTag();
        if (done.get()) {
          publisher.subscribe(new Cancel());
        } else if (expected != null && expected > limit()) {
          finish(tooLarge(expected, false));
          publisher.subscribe(new Cancel()); // releases the connection without reading the body
        } else {
          buffer =
              new byte[(int) (expected != null ? expected : Math.min(INITIAL_BUFFER, limit()))];
          digest = Hashing.digest();
          publisher.subscribe(this);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      if (done.get()) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(ByteBuffer chunk) {
      if (done.get()) {
        return;
      }
      int n = chunk.remaining();
      if ((long) received + n > limit()) {
        subscription.cancel();
        finish(tooLarge((long) received + n, true));
        return;
      }
      if (received + n > buffer.length) {
        long grown = Math.max((long) received + n, 2L * buffer.length);
        buffer = Arrays.copyOf(buffer, (int) Math.min(grown, limit()));
      }
      chunk.get(buffer, received, n);
      digest.update(buffer, received, n);
      received += n;
    }

    @Override
    public void onError(Throwable t) {
      fail(t);
    }

    @Override
    public void onComplete() {
      if (done.get()) {
        return;
      }
      if (received == 0) {
        finish(
            Either.Right(deadLetter(item, ErrorCode.EMPTY_INPUT, false, uri() + " is empty", 0)));
        return;
      }
      if (expected != null && received != expected) {
        finish(
            Either.Right(
                deadLetter(
                    item,
                    ErrorCode.SOURCE_READ_FAILED,
                    true,
                    "reading "
                        + uri()
                        + " ended after "
                        + received
                        + " of "
                        + expected
                        + " bytes")));
        return;
      }
      byte[] content = received == buffer.length ? buffer : Arrays.copyOf(buffer, received);
      Map<String, String> attributes = new LinkedHashMap<>(item.attributes());
      if (etag != null) {
        attributes.put(ETAG_ATTRIBUTE, etag);
      }
      finish(
          Either.Left(
              new MediaItem(
                  item.itemId(),
                  item.partId(),
                  item.correlationId(),
                  item.eventTime(),
                  item.sourceUri(),
                  item.mediaType(),
                  content.length,
                  HexFormat.of().formatHex(digest.digest()),
                  content,
                  item.contentRef(),
                  attributes)));
    }

    /** Completes the item's result unless something else already did. */
    void finish(Either<MediaItem, DeadLetter> outcome) {
      if (done.compareAndSet(false, true)) {
        inFlight.remove(result);
        result.complete(List.of(outcome));
      }
    }

    /** Stops the request or the body, whichever is under way. */
    void abort() {
      done.set(true);
      Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      CompletableFuture<?> r = request;
      if (r != null) {
        r.cancel(true);
      }
    }

    private long limit() {
      return Math.min(maxBytes, MAX_ARRAY);
    }

    /** The object is over the limit: by its length as S3 gives it, or counted while reading. */
    private Either<MediaItem, DeadLetter> tooLarge(long size, boolean counted) {
      String what =
          counted
              ? " is larger than mmflow.source.max-bytes=" + maxBytes + " (reading stopped)"
              : " has " + size + " bytes, more than mmflow.source.max-bytes=" + maxBytes;
      return Either.Right(deadLetter(item, ErrorCode.INPUT_TOO_LARGE, false, uri() + what, size));
    }

    private void fail(Throwable error) {
      Throwable e = error;
      while ((e instanceof CompletionException || e instanceof ExecutionException)
          && e.getCause() != null) {
        e = e.getCause();
      }
      finish(Either.Right(classify(e)));
    }

    private DeadLetter classify(Throwable e) {
      if (e instanceof NoSuchKeyException) {
        return notFound("no such key");
      }
      if (e instanceof NoSuchBucketException) {
        return notFound("no such bucket " + bucket);
      }
      if (e instanceof S3Exception s3e) {
        String code =
            s3e.awsErrorDetails() != null && s3e.awsErrorDetails().errorCode() != null
                ? s3e.awsErrorDetails().errorCode()
                : "";
        if (s3e.statusCode() == 404) {
          return notFound(code.isEmpty() ? "HTTP 404" : code);
        }
        boolean denied = s3e.statusCode() == 401 || s3e.statusCode() == 403;
        return deadLetter(
            item,
            ErrorCode.SOURCE_READ_FAILED,
            !denied,
            "reading "
                + uri()
                + " failed: HTTP "
                + s3e.statusCode()
                + (code.isEmpty() ? "" : " " + code)
                + (denied ? " (check the AWS credentials and the bucket policy)" : ""));
      }
      if (e instanceof CancellationException) {
        return deadLetter(
            item, ErrorCode.SOURCE_READ_FAILED, true, "fetching " + uri() + " was cancelled");
      }
      String message = String.valueOf(e.getMessage());
      if (message.length() > 300) {
        message = message.substring(0, 300) + "…";
      }
      return deadLetter(
          item,
          ErrorCode.SOURCE_READ_FAILED,
          true,
          "reading " + uri() + " failed: " + e.getClass().getSimpleName() + ": " + message);
    }

    private DeadLetter notFound(String why) {
      return deadLetter(
          item, ErrorCode.SOURCE_READ_FAILED, false, uri() + " not found (" + why + ")");
    }
  }

  /** Cancels at once: for a body that is not wanted. */
  private static final class Cancel implements Subscriber<ByteBuffer> {
    @Override
    public void onSubscribe(Subscription s) {
      s.cancel();
    }

    @Override
    public void onNext(ByteBuffer b) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }
}

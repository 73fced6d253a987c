package io.mmflow.connectors.source.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.mmflow.connectors.embedded.LoopbackS3;
import io.mmflow.core.config.S3Options;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.util.Hashing;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code s3://} references fetched through async I/O on a MiniCluster: from S3Proxy (a real S3 API
 * server on loopback, credentials through the SDK's default chain), and from a loopback HTTP server
 * that answers like a misbehaving store (no length, too slow).
 */
class S3ReferencesITCase {
  static final byte[] IMAGE = bytes(900, 1);
  static final byte[] BIG = bytes(5000, 2);
  static final byte[] CHUNKED = bytes(700, 3);
  static LoopbackS3 s3;
  static URI endpoint;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = LoopbackS3.start();
    endpoint = s3.endpoint();
    try (S3Client client = s3.client()) {
      client.createBucket(b -> b.bucket("media"));
      client.putObject(b -> b.bucket("media").key("calls/a.png"), RequestBody.fromBytes(IMAGE));
      client.putObject(b -> b.bucket("media").key("big.bin"), RequestBody.fromBytes(BIG));
      client.putObject(b -> b.bucket("media").key("empty.bin"), RequestBody.empty());
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Test
  void fetchesReferencesAndDeadLettersWhatCannotBeFetched() throws Exception {
    MediaItem inline =
        new MediaItem(
            "t1",
            "0",
            "conv-1",
            Instant.parse("2026-11-24T10:00:00Z"),
            "kafka://feed/0/0",
            "text/plain",
            5,
            Hashing.sha256Hex("hello".getBytes(StandardCharsets.UTF_8)),
            "hello".getBytes(StandardCharsets.UTF_8),
            null,
            Map.of("kafka.offset", "0"));
    List<MediaItem> in =
        List.of(
            inline,
            ref("img", "s3://media/calls/a.png"),
            ref("missing-key", "s3://media/nope.png"),
            ref("missing-bucket", "s3://no-such-bucket/a.png"),
            ref("big", "s3://media/big.bin"),
            ref("empty", "s3://media/empty.bin"),
            ref("userinfo", "s3://AKIDEXAMPLE:hunter2@media/calls/a.png"));

    Outcome out = run(in, endpoint, Duration.ofSeconds(30));

    assertThat(out.items()).extracting(MediaItem::itemId).containsExactly("img", "t1");
    assertThat(out.items().get(1)).isEqualTo(inline); // untouched
    MediaItem img = out.items().get(0);
    assertThat(img.content()).isEqualTo(IMAGE);
    assertThat(img.sizeBytes()).isEqualTo(IMAGE.length);
    assertThat(img.contentSha256()).isEqualTo(Hashing.sha256Hex(IMAGE));
    assertThat(img.contentRef()).isEqualTo("s3://media/calls/a.png");
    assertThat(img.mediaType()).isEqualTo("image/png");
    assertThat(img.correlationId()).isEqualTo("conv-img");
    assertThat(img.eventTime()).isEqualTo(Instant.parse("2026-11-24T10:00:01Z"));
    assertThat(img.sourceUri()).isEqualTo("kafka://feed/0/img");
    assertThat(img.attributes())
        .containsEntry("kafka.topic", "feed")
        .containsEntry("feed.modality", "image")
        .containsKey(S3ReferenceFetcher.ETAG_ATTRIBUTE);

    assertThat(out.deadLetters())
        .extracting(DeadLetter::itemId)
        .containsExactly("big", "empty", "missing-bucket", "missing-key", "userinfo");
    assertThat(out.deadLetters())
        .extracting(DeadLetter::code)
        .containsExactly(
            ErrorCode.INPUT_TOO_LARGE,
            ErrorCode.EMPTY_INPUT,
            ErrorCode.SOURCE_READ_FAILED,
            ErrorCode.SOURCE_READ_FAILED,
            ErrorCode.SOURCE_READ_FAILED);
    assertThat(out.deadLetters().get(4).message())
        .isEqualTo("cannot fetch s3://…@media/calls/a.png: only s3://bucket/key is supported");
    assertThat(out.deadLetters()).allSatisfy(S3ReferencesITCase::wellFormed);
    DeadLetter missing = out.deadLetters().get(3);
    assertThat(missing.code().code()).isEqualTo("MMF-2001");
    assertThat(missing.message()).isEqualTo("s3://media/nope.png not found (no such key)");
    assertThat(missing.retryable()).isFalse();
    assertThat(out.deadLetters().get(2).message()).contains("not found");
    assertThat(out.deadLetters().get(0).code().code()).isEqualTo("MMF-1002");
    assertThat(out.deadLetters().get(0).sizeBytes()).isEqualTo(BIG.length);
    assertThat(out.deadLetters().get(0).message())
        .isEqualTo("s3://media/big.bin has 5000 bytes, more than mmflow.source.max-bytes=1024");
  }

  /**
   * A store that sends bodies without a length (chunked) and one that never finishes: the byte
   * counter stops a body past the limit, and the timeout turns a hung fetch into a retryable dead
   * letter while the job goes on.
   */
  @Test
  void countsBytesWithoutALengthAndTimesOut() throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext(
        "/bucket/",
        exchange -> {
          String key = exchange.getRequestURI().getPath().substring("/bucket/".length());
          byte[] body =
              switch (key) {
                case "chunked-big.bin" -> BIG;
                case "chunked-ok.bin" -> CHUNKED;
                default -> null;
              };
          if (body == null) { // "slow.bin": headers, then nothing
            exchange.sendResponseHeaders(200, 0);
            try {
              Thread.sleep(20_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
          }
          exchange.sendResponseHeaders(200, 0); // 0: chunked, no Content-Length
          try (OutputStream o = exchange.getResponseBody()) {
            for (int i = 0; i < body.length; i += 100) {
              o.write(body, i, Math.min(100, body.length - i));
              o.flush();
            }
          }
        });
    server.start();
    try {
      URI odd = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      long started = System.nanoTime();
      Outcome out =
          run(
              List.of(
                  ref("ok", "s3://bucket/chunked-ok.bin"),
                  ref("big", "s3://bucket/chunked-big.bin"),
                  ref("slow", "s3://bucket/slow.bin")),
              odd,
              Duration.ofSeconds(2));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));

      assertThat(out.items()).extracting(MediaItem::itemId).containsExactly("ok");
      assertThat(out.items().get(0).content()).isEqualTo(CHUNKED);
      assertThat(out.items().get(0).contentSha256()).isEqualTo(Hashing.sha256Hex(CHUNKED));
      assertThat(out.deadLetters()).extracting(DeadLetter::itemId).containsExactly("big", "slow");
      DeadLetter big = out.deadLetters().get(0);
      assertThat(big.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE);
      assertThat(big.message())
          .isEqualTo(
              "s3://bucket/chunked-big.bin is larger than mmflow.source.max-bytes=1024"
                  + " (reading stopped)");
      DeadLetter slow = out.deadLetters().get(1);
      assertThat(slow.code()).isEqualTo(ErrorCode.SOURCE_READ_FAILED);
      assertThat(slow.retryable()).isTrue();
      assertThat(slow.message())
          .isEqualTo(
              "fetching s3://bucket/slow.bin took longer than mmflow.s3.fetch-timeout=2000 ms;"
                  + " cancelled");
      assertThat(out.deadLetters()).allSatisfy(S3ReferencesITCase::wellFormed);
    } finally {
      server.stop(0);
      threads.shutdownNow();
      threads.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  record Outcome(List<MediaItem> items, List<DeadLetter> deadLetters) {}

  static Outcome run(List<MediaItem> in, URI s3, Duration timeout) throws Exception {
    Configuration config = new Configuration();
    config.set(S3Options.ENDPOINT, s3.toString());
    config.set(S3Options.PATH_STYLE, true);
    config.set(S3Options.FETCH_TIMEOUT, timeout);
    config.set(S3Options.FETCH_CONCURRENCY, 4);
    config.set(SourceOptions.MAX_BYTES, MemorySize.parse("1kb"));

    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
    S3References.Resolved resolved =
        S3References.resolve(env.fromData(in, TypeInformation.of(MediaItem.class)), config);
    // one collect sink for both outputs: several would race the MiniCluster's shutdown
    EitherTypeInfo<MediaItem, DeadLetter> either =
        new EitherTypeInfo<>(
            TypeInformation.of(MediaItem.class), TypeInformation.of(DeadLetter.class));
    DataStream<Either<MediaItem, DeadLetter>> all =
        resolved
            .items()
            .map(m -> Either.<MediaItem, DeadLetter>Left(m))
            .returns(either)
            .union(
                resolved
                    .deadLetters()
                    .map(d -> Either.<MediaItem, DeadLetter>Right(d))
                    .returns(either));
    List<MediaItem> items = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    try (CloseableIterator<Either<MediaItem, DeadLetter>> it = all.executeAndCollect("s3-refs")) {
      it.forEachRemaining(
          e -> {
            if (e.isLeft()) {
              items.add(e.left());
            } else {
              dead.add(e.right());
            }
          });
    }
    items.sort(Comparator.comparing(MediaItem::itemId));
    dead.sort(Comparator.comparing(DeadLetter::itemId));
    return new Outcome(items, dead);
  }

  static void wellFormed(DeadLetter d) {
    assertThat(d.stage()).isEqualTo(S3References.STAGE);
    assertThat(d.sourceUri()).isEqualTo("kafka://feed/0/" + d.itemId());
    assertThat(d.correlationId()).isEqualTo("conv-" + d.itemId());
    assertThat(d.partId()).isEqualTo("1");
    assertThat(d.message()).doesNotContain(LoopbackS3.SECRET).doesNotContain(LoopbackS3.ACCESS);
  }

  static MediaItem ref(String itemId, String uri) {
    return new MediaItem(
        itemId,
        "1",
        "conv-" + itemId,
        Instant.parse("2026-11-24T10:00:01Z"),
        "kafka://feed/0/" + itemId,
        "image/png",
        0,
        null,
        null,
        uri,
        Map.of("kafka.topic", "feed", "feed.modality", "image"));
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}

package io.mmflow.connectors.source.s3;

import io.mmflow.core.config.S3Options;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Fetches the bytes behind {@code s3://bucket/key} references of media items (the {@code uri} parts
 * of feed events) with the AWS SDK's non-blocking S3 client through Flink's async I/O, so that one
 * slow object does not hold up the others.
 *
 * <p>An item without {@link MediaItem#contentRef()} passes through unchanged. A fetched item gets
 * {@code content}, {@code sizeBytes} and {@code contentSha256} (and attribute {@value
 * S3ReferenceFetcher#ETAG_ATTRIBUTE} when S3 names an ETag); every other field stays, {@code
 * contentRef} included. At most {@link SourceOptions#MAX_BYTES} bytes are ever buffered per item.
 *
 * <p>A failed fetch becomes a dead letter at stage {@value #STAGE}, never a job failure:
 *
 * <ul>
 *   <li>missing object or bucket: {@link ErrorCode#SOURCE_READ_FAILED}, "not found", not retryable;
 *   <li>larger than {@code mmflow.source.max-bytes} (by the response's length, or counted while
 *       streaming, then cancelled): {@link ErrorCode#INPUT_TOO_LARGE};
 *   <li>an empty object: {@link ErrorCode#EMPTY_INPUT};
 *   <li>no complete answer within {@code mmflow.s3.fetch-timeout}: {@link
 *       ErrorCode#SOURCE_READ_FAILED}, retryable (the request is cancelled);
 *   <li>access denied: {@link ErrorCode#SOURCE_READ_FAILED}, not retryable; other S3 or network
 *       errors: {@link ErrorCode#SOURCE_READ_FAILED}, retryable.
 * </ul>
 *
 * <p>Dead letters are only emitted here; the job counts them where it collects dead letters
 * (connectors cannot reach the operators' run counters).
 */
public final class S3References {
  /** The stage name of dead letters from fetching. */
  public static final String STAGE = "fetch-s3";

  /** Netty event-loop threads per subtask: the work per byte is a copy and a hash update. */
  static final int IO_THREADS = 2;

  /**
   * The items, all with their bytes, and the dead letters of those that could not be fetched.
   *
   * @param items items without a reference (unchanged) and fetched ones
   * @param deadLetters one per item whose reference could not be fetched, stage {@value #STAGE}
   */
  public record Resolved(DataStream<MediaItem> items, DataStream<DeadLetter> deadLetters) {}

  private S3References() {}

  /**
   * Adds the fetch to {@code items} (operator name and uid {@value #STAGE}), configured by {@link
   * S3Options} (client, {@code fetch-timeout}, {@code fetch-concurrency}) and {@link
   * SourceOptions#MAX_BYTES}. Items come out in completion order, not input order.
   *
   * @throws MmflowException {@link ErrorCode#CONFIGURATION_INVALID} for a timeout or concurrency
   *     that is not positive
   */
  public static Resolved resolve(DataStream<MediaItem> items, Configuration config) {
    Duration timeout = config.get(S3Options.FETCH_TIMEOUT);
    int concurrency = config.get(S3Options.FETCH_CONCURRENCY);
    long maxBytes = config.get(SourceOptions.MAX_BYTES).getBytes();
    if (timeout.isNegative() || timeout.isZero()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          S3Options.FETCH_TIMEOUT.key() + " must be positive, was: " + timeout);
    }
    if (concurrency < 1) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          S3Options.FETCH_CONCURRENCY.key() + " must be at least 1, was: " + concurrency);
    }
    EitherTypeInfo<MediaItem, DeadLetter> either =
        new EitherTypeInfo<>(
            TypeInformation.of(MediaItem.class), TypeInformation.of(DeadLetter.class));
    SingleOutputStreamOperator<Either<MediaItem, DeadLetter>> fetched =
        AsyncDataStream.unorderedWait(
                items,
                new S3ReferenceFetcher(
                    S3ClientSettings.from(config), maxBytes, timeout, concurrency, IO_THREADS),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS,
                concurrency)
            .returns(either)
            .name(STAGE)
            .uid(STAGE);
    SingleOutputStreamOperator<MediaItem> split =
        fetched
            .process(new SplitFetched())
            .returns(TypeInformation.of(MediaItem.class))
            .name(STAGE + "-split")
            .uid(STAGE + "-split");
    return new Resolved(split, split.getSideOutput(DeadLetters.TAG));
  }

  /** Items to the main output, dead letters to the side output {@code dead-letters}. */
  static final class SplitFetched
      extends ProcessFunction<Either<MediaItem, DeadLetter>, MediaItem> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(
        Either<MediaItem, DeadLetter> value, Context ctx, Collector<MediaItem> out) {
      if (value.isLeft()) {
        out.collect(value.left());
      } else {
        ctx.output(DeadLetters.TAG, value.right());
      }
    }
  }
}

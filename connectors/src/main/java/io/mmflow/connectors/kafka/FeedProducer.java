package io.mmflow.connectors.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes feed events to a Kafka topic at a target rate, for load tests: an open-loop generator that
 * sends event {@code i} at {@code start + i / rate} (events that fall behind are sent as soon as
 * possible, not dropped), parking the thread between due times rather than bursting once per
 * second. Records are keyed by the caller (the correlation id, so that a conversation stays in one
 * partition and in order); the producer waits for all in-sync replicas ({@code acks=all}), lingers
 * {@value #LINGER_MS} ms and compresses with lz4.
 */
public final class FeedProducer implements AutoCloseable {
  /** How long the producer waits to fill a batch. */
  public static final int LINGER_MS = 5;

  /** Shortest park between sends; shorter waits are spun off by sending what is due. */
  private static final long MIN_PARK_NANOS = 50_000;

  /** Longest wait of one send for metadata or buffer space; then the record counts as failed. */
  public static final int MAX_BLOCK_MS = 10_000;

  /** How long {@link #close()} waits for records still in flight. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * One record to send.
   *
   * @param key the record key (the correlation id), or null
   * @param value the record value (the event's JSON)
   */
  public record Message(byte[] key, byte[] value) {}

  /**
   * What a run did.
   *
   * @param attempted records handed to the producer
   * @param sent records the broker acknowledged
   * @param errors records that failed (on send or on acknowledgement)
   * @param elapsed from the start until the end of the duration or, when later, until every record
   *     was acknowledged or failed
   * @param firstError the first failure's message, or null
   */
  public record Report(
      long attempted, long sent, long errors, Duration elapsed, String firstError) {
    /** Acknowledged records per second over {@link #elapsed()}. */
    public double rate() {
      double seconds = elapsed.toNanos() / 1e9;
      return seconds <= 0 ? 0 : sent / seconds;
    }
  }

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  /**
   * A producer of {@code topic} on {@code bootstrapServers}, with {@link #properties} plus {@code
   * overrides}.
   */
  public FeedProducer(String bootstrapServers, String topic, Map<String, Object> overrides) {
    Map<String, Object> props = properties(bootstrapServers);
    props.putAll(overrides);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /**
   * The producer settings: acks=all with idempotence, linger {@value #LINGER_MS} ms, lz4 (the
   * lz4-java that kafka-clients brings), at most {@value #MAX_BLOCK_MS} ms blocked per send.
   */
  public static Map<String, Object> properties(String bootstrapServers) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "mmflow-feed-producer");
    return props;
  }

  /**
   * Sends {@code rate} events per second for {@code duration}: up to {@code floor(rate * seconds)}
   * events, event {@code i} due at {@code i / rate} seconds after the start, each made by {@code
   * events} from the wall-clock time at which it is sent. Sending stops when the duration is over,
   * also when it fell behind (then fewer were attempted); the call returns when the duration is
   * over and every record sent is acknowledged or failed. Failures are counted, not thrown.
   *
   * @param events makes the record of one event from its send time (called on this thread)
   * @throws IllegalArgumentException for a rate or duration that is not positive
   */
  public Report run(double rate, Duration duration, Function<Instant, Message> events) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be a positive number, was: " + rate);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was: " + duration);
    }
    long total = (long) Math.floor(rate * duration.toNanos() / 1e9);
    double nanosPerEvent = 1e9 / rate;
    AtomicLong sent = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long attempted = 0;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    while (attempted < total) {
      long now = System.nanoTime();
      if (now - end >= 0) {
        break; // behind schedule: the duration is what the caller asked for
      }
      long due = start + (long) (attempted * nanosPerEvent);
      long wait = due - now;
      if (wait >= MIN_PARK_NANOS) {
        LockSupport.parkNanos(wait);
        if (Thread.currentThread().isInterrupted()) {
          break;
        }
        continue;
      }
      Message m = events.apply(Instant.now());
      attempted++;
      try {
        producer.send(
            new ProducerRecord<>(topic, m.key(), m.value()),
            (metadata, error) -> {
              if (error == null) {
                sent.incrementAndGet();
              } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, describe(error));
              }
            });
      } catch (RuntimeException e) { // serialization, size, or a closed producer
        errors.incrementAndGet();
        firstError.compareAndSet(null, describe(e));
      }
    }
    // the run lasts the duration: the last event is due 1/rate before its end
    for (long left = end - System.nanoTime();
        left > 0 && !Thread.currentThread().isInterrupted();
        left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    producer.flush();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return new Report(attempted, sent.get(), errors.get(), elapsed, firstError.get());
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
  }
}

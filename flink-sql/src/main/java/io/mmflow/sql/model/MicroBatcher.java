package io.mmflow.sql.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Gathers single requests into micro-batches for a model that runs faster on a batch: one worker
 * thread takes the first waiting request, waits at most {@code maxWait} for up to {@code maxBatch}
 * in all, runs them together and completes each request's future with its own answer. What the
 * DataStream jobs' micro-batch operator does for a stream, for the calls of an async predict
 * function that Flink keeps in flight.
 *
 * @param <I> a request
 * @param <O> its answer
 */
final class MicroBatcher<I, O> implements AutoCloseable {
  private record Pending<I, O>(I input, CompletableFuture<O> answer) {}

  private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
  private final int maxBatch;
  private final long maxWaitNanos;
  private final Function<List<I>, List<O>> batch;
  private final BiFunction<I, Exception, O> failed;
  private final Thread worker;
  private volatile boolean closed;

  /**
   * @param batch answers a batch, one answer per request in order
   * @param failed the answer of a request whose batch threw
   */
  MicroBatcher(
      String name,
      int maxBatch,
      Duration maxWait,
      Function<List<I>, List<O>> batch,
      BiFunction<I, Exception, O> failed) {
    this.maxBatch = Math.max(1, maxBatch);
    this.maxWaitNanos = maxWait.toNanos();
    this.batch = batch;
    this.failed = failed;
    this.worker = new Thread(this::work, name);
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues {@code input}; the future completes with its answer once its batch ran. */
  CompletableFuture<O> submit(I input) {
    CompletableFuture<O> answer = new CompletableFuture<>();
    if (closed) {
      answer.completeExceptionally(new IllegalStateException("the model is closed"));
    } else {
      queue.add(new Pending<>(input, answer));
    }
    return answer;
  }

  private void work() {
    List<Pending<I, O>> pending = new ArrayList<>(maxBatch);
    List<I> inputs = new ArrayList<>(maxBatch);
    try {
      while (!closed) {
        Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        pending.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        queue.drainTo(pending, maxBatch - pending.size());
        while (pending.size() < maxBatch) {
          long left = deadline - System.nanoTime();
          Pending<I, O> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
          if (next == null) {
            break;
          }
          pending.add(next);
          queue.drainTo(pending, maxBatch - pending.size());
        }
        pending.forEach(p -> inputs.add(p.input()));
        run(pending, inputs);
        pending.clear();
        inputs.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      failAll(pending);
      List<Pending<I, O>> left = new ArrayList<>();
      queue.drainTo(left);
      failAll(left);
    }
  }

  private void run(List<Pending<I, O>> pending, List<I> inputs) {
    List<O> answers;
    try {
      answers = batch.apply(inputs);
    } catch (RuntimeException e) {
      for (Pending<I, O> p : pending) {
        p.answer().complete(failed.apply(p.input(), e));
      }
      return;
    }
    for (int i = 0; i < pending.size(); i++) {
      pending.get(i).answer().complete(answers.get(i));
    }
  }

  private static <I, O> void failAll(List<Pending<I, O>> pending) {
    for (Pending<I, O> p : pending) {
      p.answer().completeExceptionally(new IllegalStateException("the model was closed"));
    }
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

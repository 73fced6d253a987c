package io.mmflow.operators.infer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** The micro-batching operator in a real (local MiniCluster) job. */
class MicroBatchOperatorTest {
  static final List<Integer> BATCH_SIZES = Collections.synchronizedList(new ArrayList<>());
  static final List<String> LIFECYCLE = Collections.synchronizedList(new ArrayList<>());

  /** Upper-cases; a batch holding "bad" fails as a whole, and "bad" fails alone too. */
  static final class Upper implements BatchFunction<String, String> {
    @Override
    public void open(org.apache.flink.api.common.functions.RuntimeContext context) {
      LIFECYCLE.add("open");
    }

    @Override
    public List<String> apply(List<String> batch) {
      if (batch.contains("bad")) {
        throw new IllegalArgumentException("cannot read bad");
      }
      BATCH_SIZES.add(batch.size());
      return batch.stream().map(String::toUpperCase).toList();
    }

    @Override
    public String failed(String input, Exception error) {
      return "failed:" + input + ":" + error.getMessage();
    }

    @Override
    public void close() {
      LIFECYCLE.add("close");
    }
  }

  private static List<String> run(List<String> input, int maxBatch, long maxWaitMs)
      throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
    List<String> out = new ArrayList<>();
    try (CloseableIterator<String> it =
        env.fromData(input)
            .transform(
                "batch", Types.STRING, new MicroBatchOperator<>(new Upper(), maxBatch, maxWaitMs))
            .executeAndCollect()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void everyRecordComesOutOnceInBatchesOfAtMostTheMaximum() throws Exception {
    BATCH_SIZES.clear();
    LIFECYCLE.clear();
    List<String> input = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      input.add("r" + i);
    }
    List<String> out = run(input, 8, 10_000);
    assertThat(out).containsExactlyElementsOf(input.stream().map(String::toUpperCase).toList());
    // 12 full batches, then the last 4 at end of input (long before the 10 s wait)
    assertThat(BATCH_SIZES).hasSize(13).allMatch(n -> n <= 8);
    assertThat(BATCH_SIZES.subList(0, 12)).containsOnly(8);
    assertThat(BATCH_SIZES.get(12)).isEqualTo(4);
    assertThat(LIFECYCLE).containsExactly("open", "close");
  }

  @Test
  void aFailingRecordBecomesItsFailedOutputAndSparesItsBatch() throws Exception {
    BATCH_SIZES.clear();
    List<String> out = run(List.of("a", "b", "bad", "c", "d"), 5, 10_000);
    assertThat(out).containsExactly("A", "B", "failed:bad:cannot read bad", "C", "D");
  }
}

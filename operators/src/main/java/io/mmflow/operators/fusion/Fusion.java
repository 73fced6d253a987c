package io.mmflow.operators.fusion;

import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;

/**
 * Wires the fusion stage: event time from {@link ModalityResult#timing()}, keyed by correlation id,
 * session or tumbling event-time windows, {@link FusionWindow.Tally} + {@link FusionWindow}.
 *
 * <p>A result later than the allowed lateness goes to {@link #LATE}. One arriving within it fires
 * its window again: a second {@link FusedResult} for the same correlation id and window (for a
 * session window it may also merge windows, so the start can move); consumers keep the latest.
 */
public final class Fusion {
  /** Operator uid and name of the fusion window. */
  public static final String UID = "fusion";

  /** Results that arrived after their window closed (beyond the allowed lateness). */
  public static final OutputTag<ModalityResult> LATE =
      new OutputTag<>("fusion-late", TypeInformation.of(ModalityResult.class));

  private Fusion() {}

  /**
   * Fuses {@code results} per correlation id and window. Use {@code getSideOutput(Fusion.LATE)} on
   * the answer for late results.
   */
  public static SingleOutputStreamOperator<FusedResult> fuse(
      DataStream<ModalityResult> results, FusionSettings settings) {
    return fuse(results, settings, Duration.ZERO);
  }

  /**
   * As {@link #fuse(DataStream, FusionSettings)}, with an idle timeout: a parallel instance without
   * results for {@code idleness} stops holding the watermark back (zero: never idle).
   */
  public static SingleOutputStreamOperator<FusedResult> fuse(
      DataStream<ModalityResult> results, FusionSettings settings, Duration idleness) {
    WatermarkStrategy<ModalityResult> watermarks = watermarks(settings.outOfOrderness());
    if (!idleness.isZero()) {
      watermarks = watermarks.withIdleness(idleness);
    }
    return results
        .assignTimestampsAndWatermarks(watermarks)
        .name("fusion-event-time")
        .uid("fusion-event-time")
        .keyBy(ModalityResult::correlationId)
        .window(windows(settings))
        .allowedLateness(settings.allowedLateness())
        .sideOutputLateData(LATE)
        .aggregate(new FusionWindow.Tally(), new FusionWindow(settings))
        .name(UID)
        .uid(UID);
  }

  /** Session windows with the gap or tumbling windows of the size, as configured. */
  static WindowAssigner<Object, TimeWindow> windows(FusionSettings settings) {
    return switch (settings.window()) {
      case SESSION -> EventTimeSessionWindows.withGap(settings.gap());
      case TUMBLING -> TumblingEventTimeWindows.of(settings.size());
    };
  }

  /**
   * Event time = {@code timing.eventTime}; the watermark trails the largest event time seen by
   * {@code outOfOrderness} (like {@link WatermarkStrategy#forBoundedOutOfOrderness}) and advances
   * on every result as well as periodically, so lateness does not depend on the emit interval.
   */
  public static WatermarkStrategy<ModalityResult> watermarks(Duration outOfOrderness) {
    long bound = outOfOrderness.toMillis();
    return WatermarkStrategy.<ModalityResult>forGenerator(ctx -> new EveryResult(bound))
        .withTimestampAssigner((r, previous) -> r.timing().eventTime().toEpochMilli());
  }

  /** Bounded out-of-orderness watermarks emitted on each event. */
  private static final class EveryResult implements WatermarkGenerator<ModalityResult> {
    private final long bound;
    private long max;

    EveryResult(long bound) {
      this.bound = bound;
      this.max = Long.MIN_VALUE + bound + 1;
    }

    @Override
    public void onEvent(ModalityResult event, long timestamp, WatermarkOutput output) {
      max = Math.max(max, timestamp);
      onPeriodicEmit(output);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      output.emitWatermark(new Watermark(max - bound - 1));
    }
  }
}

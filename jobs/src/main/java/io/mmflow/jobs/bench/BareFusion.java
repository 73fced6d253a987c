package io.mmflow.jobs.bench;

import io.mmflow.core.config.FusionOptions.WindowKind;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.operators.fusion.FusionSettings;
import io.mmflow.operators.fusion.FusionTally;
import io.mmflow.operators.fusion.SentimentFusion;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The fusion of the bare loop ({@link BareFeedLoop}): what the feeds job's session windows compute,
 * in one thread's memory without Flink. Per correlation id an open session, from its first event
 * time to its last plus the gap, with the same {@link FusionTally}; a session is fused ({@link
 * SentimentFusion}, the job's code) once the largest event time seen, less the out-of-orderness,
 * reaches its end, the job's watermark rule. An event before a session's end extends it (an earlier
 * one too: the bench's events come in order); one at or after its end, before it was fused, fuses
 * it and opens the next.
 *
 * <p>No state is kept anywhere but here and nothing comes late: it is the work of fusion, not its
 * guarantees. Session windows only, as the feeds job's default.
 */
final class BareFusion {
  private final SentimentFusion fusion;
  private final long gapMillis;
  private final long outOfOrdernessMillis;
  private final Map<String, Session> open = new HashMap<>();
  private final PriorityQueue<Due> due = new PriorityQueue<>();
  private long maxEventTime = Long.MIN_VALUE;

  BareFusion(FusionSettings settings) {
    if (settings.window() != WindowKind.SESSION) {
      throw new IllegalArgumentException("the bare loop fuses session windows only");
    }
    this.fusion = new SentimentFusion(settings);
    this.gapMillis = settings.gap().toMillis();
    this.outOfOrdernessMillis = settings.outOfOrderness().toMillis();
  }

  private static final class Session {
    long start;
    long end;
    FusionTally tally = FusionTally.EMPTY;

    Session(long start, long end) {
      this.start = start;
      this.end = end;
    }
  }

  /** When a session may be due; stale once the session moved its end. */
  private record Due(long end, String key) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      return Long.compare(end, o.end);
    }
  }

  /** Adds {@code r} to its session; a session it ends is fused into {@code out}. */
  void add(ModalityResult r, List<FusedResult> out) {
    String key = r.correlationId();
    long t = r.timing().eventTime().toEpochMilli();
    maxEventTime = Math.max(maxEventTime, t);
    Session s = open.get(key);
    if (s != null && t > s.end) {
      out.add(fuse(key, s));
      open.remove(key);
      s = null;
    }
    if (s == null) {
      s = new Session(t, t + gapMillis);
      open.put(key, s);
      due.add(new Due(s.end, key));
    } else if (t + gapMillis > s.end || t < s.start) {
      s.start = Math.min(s.start, t);
      if (t + gapMillis > s.end) {
        s.end = t + gapMillis;
        due.add(new Due(s.end, key));
      }
    }
    s.tally = s.tally.add(r);
  }

  /** The sessions the largest event time so far has closed, fused, into {@code out}. */
  void fuseDue(List<FusedResult> out) {
    if (maxEventTime == Long.MIN_VALUE) {
      return; // no event yet
    }
    long watermark = maxEventTime - outOfOrdernessMillis;
    while (!due.isEmpty() && due.peek().end() <= watermark) {
      Due d = due.poll();
      Session s = open.get(d.key());
      if (s != null && s.end == d.end()) {
        out.add(fuse(d.key(), s));
        open.remove(d.key());
      }
    }
  }

  /** Sessions open now. */
  int open() {
    return open.size();
  }

  private FusedResult fuse(String key, Session s) {
    return fusion.fuse(
        key, Instant.ofEpochMilli(s.start), Instant.ofEpochMilli(s.end), s.tally, Instant.now());
  }
}

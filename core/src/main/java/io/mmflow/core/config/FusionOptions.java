package io.mmflow.core.config;

import io.mmflow.core.model.FusionStrategy;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The fusion stage: how the modality results of one correlation id are grouped into event-time
 * windows and combined into one fused sentiment. See docs/architecture.md for the formulas.
 */
public final class FusionOptions {
  /** How results of one correlation id are grouped in event time. */
  public enum WindowKind {
    /** A window closes after {@code mmflow.fusion.gap} without a result. */
    SESSION,
    /** Fixed, aligned windows of {@code mmflow.fusion.size}. */
    TUMBLING
  }

  public static final ConfigOption<FusionStrategy> STRATEGY =
      ConfigOptions.key("mmflow.fusion.strategy")
          .enumType(FusionStrategy.class)
          .defaultValue(FusionStrategy.WEIGHTED_AVERAGE)
          .withDescription(
              "How modality sentiments are combined: weighted_average (mmflow.fusion.weights),"
                  + " confidence_weighted (each modality weighted by its calibrated confidence),"
                  + " majority_vote (one vote per modality; ties by summed confidence, then the"
                  + " label order negative, positive, neutral) or hierarchical"
                  + " (mmflow.fusion.precedence and mmflow.fusion.hierarchical-threshold).");

  public static final ConfigOption<WindowKind> WINDOW =
      ConfigOptions.key("mmflow.fusion.window")
          .enumType(WindowKind.class)
          .defaultValue(WindowKind.SESSION)
          .withDescription(
              "Event-time windows per correlation id: session (closed by mmflow.fusion.gap) or"
                  + " tumbling (mmflow.fusion.size).");

  public static final ConfigOption<Duration> GAP =
      ConfigOptions.key("mmflow.fusion.gap")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription("Session windows: event-time gap without results that ends a window.");

  public static final ConfigOption<Duration> SIZE =
      ConfigOptions.key("mmflow.fusion.size")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription("Tumbling windows: the window length.");

  public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
      ConfigOptions.key("mmflow.fusion.out-of-orderness")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "How far behind the newest event time a result may arrive and still count as on"
                  + " time (the watermark trails the largest event time by this much).");

  public static final ConfigOption<Duration> ALLOWED_LATENESS =
      ConfigOptions.key("mmflow.fusion.allowed-lateness")
          .durationType()
          .defaultValue(Duration.ZERO)
          .withDescription(
              "How long after the watermark passes a window's end a late result still updates it"
                  + " (the window fires again, emitting a corrected fused result). Results later"
                  + " than this go to the fusion's late side output.");

  public static final ConfigOption<Duration> IDLENESS =
      ConfigOptions.key("mmflow.fusion.idleness")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "A parallel instance of the fusion that receives no result for this long is marked"
                  + " idle, so that the watermark (and the windows of the busy instances) moves"
                  + " on without it; 0 disables idleness.");

  public static final ConfigOption<String> EXPECTED_MODALITIES =
      ConfigOptions.key("mmflow.fusion.expected-modalities")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Comma-separated modalities (text, image, audio, document, ocr) every window should"
                  + " hold; one without a sentiment makes the window partial_failure. Empty: none"
                  + " is required.");

  public static final ConfigOption<String> WEIGHTS =
      ConfigOptions.key("mmflow.fusion.weights")
          .stringType()
          .defaultValue("text:0.4,audio:0.3,image:0.2,document:0.1,ocr:0.1")
          .withDescription(
              "weighted_average: modality:weight pairs, weights >= 0, at least one > 0; they are"
                  + " normalised over the modalities present. An unlisted modality weighs 0.");

  public static final ConfigOption<String> PRECEDENCE =
      ConfigOptions.key("mmflow.fusion.precedence")
          .stringType()
          .defaultValue("text,audio,image,document,ocr")
          .withDescription(
              "hierarchical: modalities, most trusted first; unlisted ones follow in the order"
                  + " text, image, audio, document, ocr.");

  public static final ConfigOption<Double> HIERARCHICAL_THRESHOLD =
      ConfigOptions.key("mmflow.fusion.hierarchical-threshold")
          .doubleType()
          .defaultValue(0.6)
          .withDescription(
              "hierarchical: the confidence in [0,1] a modality needs to decide; when none"
                  + " reaches it, the first present modality in precedence order decides.");

  private FusionOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(
        STRATEGY,
        WINDOW,
        GAP,
        SIZE,
        OUT_OF_ORDERNESS,
        ALLOWED_LATENESS,
        IDLENESS,
        EXPECTED_MODALITIES,
        WEIGHTS,
        PRECEDENCE,
        HIERARCHICAL_THRESHOLD);
  }
}

package io.mmflow.core.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Local models: the registry, which model runs for which task, and micro-batching. */
public final class ModelOptions {
  public static final ConfigOption<String> REGISTRY =
      ConfigOptions.key("mmflow.models.registry")
          .stringType()
          .defaultValue("classpath:models/models.yaml")
          .withDescription(
              "The model registry: a YAML file (path on every task manager) or classpath:<resource>,"
                  + " or several separated by commas (merged; an id in two files is an error);"
                  + " the default holds mmflow's own models. See docs/models.md.");

  public static final ConfigOption<String> SENTIMENT =
      ConfigOptions.key("mmflow.models.sentiment")
          .stringType()
          .defaultValue("sentiment-en")
          .withDescription(
              "Registry id of the text model whose labels become each document's sentiment result;"
                  + " empty to run none.");

  public static final ConfigOption<String> SPEECH =
      ConfigOptions.key("mmflow.models.speech")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Registry id of a speech-to-text (CTC) model; when set, the documents job accepts audio"
                  + " files (WAV, FLAC, AIFF, AU) and transcribes them. Empty: audio files are"
                  + " dead letters (unsupported type).");

  public static final ConfigOption<String> IMAGE =
      ConfigOptions.key("mmflow.models.image")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Registry id of an image classification or embedding model run on every image file,"
                  + " besides OCR; empty to run none.");

  /** What local text models do about personal data in their input. */
  public enum PiiMode {
    /** Nothing: the data stays in the task manager anyway. */
    OFF,
    /**
     * Spans of e-mails, phones, cards, IBANs, national ids and IPs become entities of the result.
     */
    DETECT,
    /** As DETECT, and the model sees placeholders such as [EMAIL] instead of the values. */
    REDACT
  }

  public static final ConfigOption<PiiMode> PII =
      ConfigOptions.key("mmflow.models.pii")
          .enumType(PiiMode.class)
          .defaultValue(PiiMode.OFF)
          .withDescription(
              "Personal data in the input of local text models: OFF, DETECT (spans as entities of"
                  + " type pii:<kind>, values never stored) or REDACT (also hide them from the"
                  + " model).");

  public static final ConfigOption<Integer> MAX_BATCH =
      ConfigOptions.key("mmflow.models.max-batch")
          .intType()
          .noDefaultValue()
          .withDescription("Overrides every model's batch.max-size (records per micro-batch).");

  public static final ConfigOption<Duration> MAX_WAIT =
      ConfigOptions.key("mmflow.models.max-wait")
          .durationType()
          .noDefaultValue()
          .withDescription(
              "Overrides every model's batch.max-wait (how long a micro-batch waits to fill).");

  private ModelOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(REGISTRY, SENTIMENT, SPEECH, IMAGE, PII, MAX_BATCH, MAX_WAIT);
  }
}

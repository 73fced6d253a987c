package io.mmflow.operators.infer.local;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.model.audio.CtcDecoder;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.onnx.OnnxModel;
import io.mmflow.model.text.TextTokenizer;
import java.util.EnumSet;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** Local (in-task-manager) model stages as the jobs configure them. */
public final class LocalInference {
  /** The stage named in the dead letters of audio files that could not be transcribed. */
  public static final String SPEECH_STAGE = "speech-to-text";

  private LocalInference() {}

  /** The configured sentiment model, or null when {@code mmflow.models.sentiment} is empty. */
  public static ModelSpec sentimentModel(Configuration config) {
    return model(
        config,
        ModelOptions.SENTIMENT,
        Modality.TEXT,
        EnumSet.of(Task.SENTIMENT, Task.CLASSIFICATION));
  }

  /** The configured speech-to-text model, or null when {@code mmflow.models.speech} is empty. */
  public static ModelSpec speechModel(Configuration config) {
    return model(config, ModelOptions.SPEECH, Modality.AUDIO, EnumSet.of(Task.TRANSCRIPTION));
  }

  /** The configured image model, or null when {@code mmflow.models.image} is empty. */
  public static ModelSpec imageModel(Configuration config) {
    return model(
        config,
        ModelOptions.IMAGE,
        Modality.IMAGE,
        EnumSet.of(Task.CLASSIFICATION, Task.EMBEDDING));
  }

  private static ModelSpec model(
      Configuration config, ConfigOption<String> option, Modality modality, Set<Task> tasks) {
    String id = config.get(option).trim();
    if (id.isEmpty()) {
      return null;
    }
    ModelSpec spec = ModelRegistry.load(config.get(ModelOptions.REGISTRY)).get(id);
    if (spec.modality() != modality || !tasks.contains(spec.task())) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "%s: model '%s' is a %s %s model; it needs a %s model for %s"
              .formatted(
                  option.key(),
                  id,
                  spec.modality().wireName(),
                  spec.task().wireName(),
                  modality.wireName(),
                  tasks.stream().map(Task::wireName).sorted().toList()));
    }
    return spec;
  }

  /**
   * Checks every configured model before the job reads a record: the registry parses, each file
   * exists, the ONNX file matches the declaration, the tokenizer or vocabulary loads.
   */
  public static void check(Configuration config) {
    ModelSpec text = sentimentModel(config);
    if (text != null) {
      OnnxModel.check(text);
      new TextTokenizer(text.preprocessing().tokenizer(), 8).close();
    }
    ModelSpec speech = speechModel(config);
    if (speech != null) {
      OnnxModel.check(speech);
      CtcDecoder.load(speech.preprocessing().vocabulary());
    }
    ModelSpec image = imageModel(config);
    if (image != null) {
      OnnxModel.check(image);
    }
  }

  /**
   * The sentiment of each result that has text, as a micro-batched ONNX Runtime stage; null when no
   * sentiment model is configured.
   */
  public static SingleOutputStreamOperator<ModalityResult> sentiment(
      DataStream<ModalityResult> texts, Configuration config) {
    return sentiment(texts, config, true);
  }

  /**
   * As {@link #sentiment(DataStream, Configuration)}; {@code countsResults} false where a later
   * stage ({@link ItemResults}) counts them, so that a result counts once.
   */
  public static SingleOutputStreamOperator<ModalityResult> sentiment(
      DataStream<ModalityResult> texts, Configuration config, boolean countsResults) {
    return sentiment(texts, config, countsResults, "infer-sentiment");
  }

  /**
   * As {@link #sentiment(DataStream, Configuration, boolean)}, with the operator's {@code uid}:
   * where a job runs more than one sentiment stage (one per input, each chained to it).
   */
  public static SingleOutputStreamOperator<ModalityResult> sentiment(
      DataStream<ModalityResult> texts, Configuration config, boolean countsResults, String uid) {
    ModelSpec spec = sentimentModel(config);
    return spec == null
        ? null
        : stage(
            texts,
            "sentiment",
            spec,
            new TextClassification(
                config.get(ModelOptions.REGISTRY), spec.id(), config.get(ModelOptions.PII)),
            config,
            uid,
            countsResults);
  }

  /**
   * The transcript of each audio file, as a micro-batched ONNX Runtime stage; a file that cannot be
   * transcribed becomes a dead letter (side output {@link DeadLetters#TAG}). Null when no speech
   * model is configured.
   */
  public static SingleOutputStreamOperator<ModalityResult> speech(
      DataStream<MediaItem> audio, Configuration config) {
    ModelSpec spec = speechModel(config);
    if (spec == null) {
      return null;
    }
    return stage(
            audio,
            "speech-to-text",
            spec,
            new SpeechTranscription(config.get(ModelOptions.REGISTRY), spec.id()),
            config,
            "infer-speech",
            false)
        .process(new ItemResults(SPEECH_STAGE))
        .name("transcripts or dead letters")
        .uid("speech-outcomes");
  }

  /**
   * The labels or embedding of each image, as a micro-batched ONNX Runtime stage; an image the
   * model cannot read gets an error result with its code. Null when no image model is configured.
   */
  public static SingleOutputStreamOperator<ModalityResult> images(
      DataStream<MediaItem> images, Configuration config) {
    ModelSpec spec = imageModel(config);
    return spec == null
        ? null
        : stage(
            images,
            "image " + spec.task().wireName(),
            spec,
            new ImageClassification(config.get(ModelOptions.REGISTRY), spec.id()),
            config,
            "infer-image",
            true);
  }

  private static <I> SingleOutputStreamOperator<ModalityResult> stage(
      DataStream<I> input,
      String what,
      ModelSpec spec,
      BatchFunction<I, ModalityResult> function,
      Configuration config,
      String uid,
      boolean countsResults) {
    int maxBatch = config.getOptional(ModelOptions.MAX_BATCH).orElse(spec.maxBatch());
    long maxWait = config.getOptional(ModelOptions.MAX_WAIT).orElse(spec.maxWait()).toMillis();
    return input
        .transform(
            what + ": " + spec.id() + " (ONNX Runtime, batch " + maxBatch + ")",
            TypeInformation.of(ModalityResult.class),
            new MicroBatchOperator<>(function, maxBatch, maxWait, countsResults))
        .uid(uid);
  }
}

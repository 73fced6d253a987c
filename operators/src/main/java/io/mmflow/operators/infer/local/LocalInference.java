package io.mmflow.operators.infer.local;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.onnx.OnnxModel;
import io.mmflow.model.text.TextTokenizer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** Local (in-task-manager) model stages as the jobs configure them. */
public final class LocalInference {
  private LocalInference() {}

  /** The configured sentiment model, or null when {@code mmflow.models.sentiment} is empty. */
  public static ModelSpec sentimentModel(Configuration config) {
    String id = config.get(ModelOptions.SENTIMENT).trim();
    if (id.isEmpty()) {
      return null;
    }
    ModelSpec spec = ModelRegistry.load(config.get(ModelOptions.REGISTRY)).get(id);
    if (spec.modality() != Modality.TEXT
        || (spec.task() != Task.SENTIMENT && spec.task() != Task.CLASSIFICATION)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "%s: model '%s' is a %s %s model; it needs a text sentiment or classification model"
              .formatted(
                  ModelOptions.SENTIMENT.key(),
                  id,
                  spec.modality().wireName(),
                  spec.task().wireName()));
    }
    return spec;
  }

  /**
   * Checks every configured model before the job reads a record: the registry parses, each file
   * exists, the ONNX file matches the declaration, the tokenizer loads.
   */
  public static void check(Configuration config) {
    ModelSpec spec = sentimentModel(config);
    if (spec != null) {
      OnnxModel.check(spec);
      new TextTokenizer(spec.preprocessing().tokenizer(), 8).close();
    }
  }

  /**
   * The sentiment of each result that has text, as a micro-batched ONNX Runtime stage; null when no
   * sentiment model is configured.
   */
  public static SingleOutputStreamOperator<ModalityResult> sentiment(
      DataStream<ModalityResult> texts, Configuration config) {
    ModelSpec spec = sentimentModel(config);
    if (spec == null) {
      return null;
    }
    int maxBatch = config.getOptional(ModelOptions.MAX_BATCH).orElse(spec.maxBatch());
    long maxWait = config.getOptional(ModelOptions.MAX_WAIT).orElse(spec.maxWait()).toMillis();
    return texts
        .transform(
            "sentiment: " + spec.id() + " (ONNX Runtime, batch " + maxBatch + ")",
            TypeInformation.of(ModalityResult.class),
            new MicroBatchOperator<>(
                new TextClassification(config.get(ModelOptions.REGISTRY), spec.id()),
                maxBatch,
                maxWait))
        .uid("infer-sentiment");
  }
}

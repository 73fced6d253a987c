package io.mmflow.sql.model;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.operators.infer.local.ImageClassification;
import io.mmflow.operators.infer.local.SpeechTranscription;
import io.mmflow.operators.infer.local.TextClassification;
import io.mmflow.sql.SqlInputs;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The {@code mmflow} provider of {@code CREATE MODEL ... WITH ('provider' = 'mmflow', ...)}:
 *
 * <ul>
 *   <li>{@code 'model' = 'sentiment-en'}: a model of mmflow's model registry (ONNX Runtime), run
 *       through the jobs' own stage for its modality, micro-batched: text models on one STRING
 *       input column, image and speech models on one BYTES column;
 *   <li>{@code 'model' = 'tesseract'}: OCR of an image (BYTES) as {@code MMF_OCR} reads it, with
 *       the model's {@code mmflow.ocr.*} settings;
 *   <li>{@code 'task' = 'sentiment' | 'caption' | ...} with {@code 'mmflow.remote.providers' =
 *       'providers.yaml'} (and any other {@code mmflow.remote.*} setting): the remote providers
 *       through the jobs' remote stage, asynchronously; STRING input for text tasks, BYTES for
 *       captions and transcriptions.
 * </ul>
 *
 * OUTPUT columns are named after the canonical result's fields (see {@link OutputColumns}).
 */
public final class MmflowModelProviderFactory implements ModelProviderFactory {
  public static final String IDENTIFIER = "mmflow";

  public static final ConfigOption<String> MODEL =
      ConfigOptions.key("model")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The id of a model in the registry (text, image or speech), e.g. sentiment-en; or"
                  + " tesseract.");

  public static final ConfigOption<String> TASK =
      ConfigOptions.key("task")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A task for the remote providers (mmflow.remote.providers): sentiment, summary,"
                  + " entities, classification, embedding on STRING input; caption (images) or"
                  + " transcription (audio) on BYTES input. Instead of 'model'.");

  public static final ConfigOption<String> REGISTRY =
      ConfigOptions.key("registry")
          .stringType()
          .defaultValue(ModelRegistry.DEFAULT_LOCATION)
          .withDescription("The model registry (models.yaml): a path or classpath: location.");

  public static final ConfigOption<ModelOptions.PiiMode> PII =
      ConfigOptions.key("pii")
          .enumType(ModelOptions.PiiMode.class)
          .defaultValue(ModelOptions.PiiMode.DETECT)
          .withDescription("Personal data in the input: OFF, DETECT or REDACT (as the jobs).");

  public static final ConfigOption<Integer> MAX_BATCH =
      ConfigOptions.key("max-batch")
          .intType()
          .noDefaultValue()
          .withDescription("Rows per micro-batch; default: the model's batch.max-size.");

  public static final ConfigOption<Duration> MAX_WAIT =
      ConfigOptions.key("max-wait")
          .durationType()
          .noDefaultValue()
          .withDescription("How long a micro-batch waits to fill; default: the model's.");

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(MODEL, TASK, REGISTRY, PII, MAX_BATCH, MAX_WAIT);
  }

  @Override
  public ModelProvider createModelProvider(Context context) {
    FactoryUtil.ModelProviderFactoryHelper helper =
        FactoryUtil.createModelProviderFactoryHelper(this, context);
    // mmflow settings pass through as they are (mmflow.remote.*: providers file, budget, ...)
    helper.validateExcept(SqlInputs.SETTINGS_PREFIX);
    ReadableConfig options = helper.getOptions();
    String name = context.getObjectIdentifier().asSummaryString();
    if (options.getOptional(TASK).isPresent() == options.getOptional(MODEL).isPresent()) {
      throw new ValidationException(
          "model "
              + name
              + ": give 'model' (a registry model, or tesseract) or 'task' (the remote providers),"
              + " one of"
              + " them");
    }
    if (options.getOptional(TASK).isPresent()) {
      return remote(name, options.get(TASK), context);
    }
    return local(name, options, context);
  }

  /**
   * A model that runs in the task manager: a registry model by its modality (text: STRING input;
   * image, speech: BYTES), or Tesseract ({@code 'model' = 'tesseract'}, BYTES, with the model's
   * {@code mmflow.ocr.*} settings), micro-batched.
   */
  private static ModelProvider local(String name, ReadableConfig options, Context context) {
    String model = options.get(MODEL);
    ResolvedSchema input = context.getCatalogModel().getResolvedInputSchema();
    OutputColumns output =
        OutputColumns.of(name, context.getCatalogModel().getResolvedOutputSchema());
    if (TesseractStage.MODEL_ID.equals(model)) {
      checkInput(name, "Tesseract", LogicalTypeRoot.VARBINARY, input);
      Configuration settings = SqlInputs.settings(context.getCatalogModel().getOptions());
      return new Provider(
          new LocalPredictFunction<>(
              model,
              new TesseractStage(settings),
              LocalPredictFunction.BYTES,
              1,
              Duration.ZERO,
              output));
    }
    ModelSpec spec;
    try {
      spec = ModelRegistry.load(options.get(REGISTRY)).get(model);
    } catch (RuntimeException e) {
      throw new ValidationException("model " + name + ": " + e.getMessage(), e);
    }
    int maxBatch = options.getOptional(MAX_BATCH).orElse(spec.maxBatch());
    Duration maxWait = options.getOptional(MAX_WAIT).orElse(spec.maxWait());
    String registry = options.get(REGISTRY);
    String what = "the registry's " + spec.modality().wireName() + " model " + model;
    if (spec.modality() != Modality.TEXT
        && spec.modality() != Modality.IMAGE
        && spec.modality() != Modality.AUDIO) {
      throw new ValidationException(
          "model " + name + ": " + what + " cannot run through ML_PREDICT");
    }
    boolean text = spec.modality() == Modality.TEXT;
    checkInput(name, what, text ? LogicalTypeRoot.VARCHAR : LogicalTypeRoot.VARBINARY, input);
    return new Provider(
        text
            ? new LocalPredictFunction<>(
                model,
                new TextClassification(registry, model, options.get(PII)),
                LocalPredictFunction.TEXT,
                maxBatch,
                maxWait,
                output)
            : new LocalPredictFunction<>(
                model,
                spec.modality() == Modality.IMAGE
                    ? new ImageClassification(registry, model)
                    : new SpeechTranscription(registry, model),
                LocalPredictFunction.BYTES,
                maxBatch,
                maxWait,
                output));
  }

  /** A remote task through the jobs' remote stage, with the mmflow.* options of the model. */
  private static ModelProvider remote(String name, String taskName, Context context) {
    Task task;
    try {
      task = Task.fromWireName(taskName);
    } catch (RuntimeException e) {
      throw new ValidationException("model " + name + ": unknown task '" + taskName + "'", e);
    }
    boolean media = task == Task.CAPTION || task == Task.TRANSCRIPTION;
    checkInput(
        name,
        "task " + task.wireName(),
        media ? LogicalTypeRoot.VARBINARY : LogicalTypeRoot.VARCHAR,
        context.getCatalogModel().getResolvedInputSchema());
    Configuration config = SqlInputs.settings(context.getCatalogModel().getOptions());
    if (config.get(RemoteOptions.PROVIDERS).isBlank()) {
      throw new ValidationException(
          "model " + name + ": a remote task needs 'mmflow.remote.providers' (the providers file)");
    }
    OutputColumns output =
        OutputColumns.of(name, context.getCatalogModel().getResolvedOutputSchema());
    return new Provider(new RemotePredictFunction(config, task, media, output));
  }

  /** The model's one input column: STRING (VARCHAR) for text, BYTES (VARBINARY) for media. */
  private static void checkInput(
      String model, String what, LogicalTypeRoot wanted, ResolvedSchema input) {
    List<Column> columns = input.getColumns();
    if (columns.size() != 1 || !columns.get(0).getDataType().getLogicalType().is(wanted)) {
      throw new ValidationException(
          "model "
              + model
              + ": "
              + what
              + " takes one "
              + (wanted == LogicalTypeRoot.VARBINARY ? "BYTES" : "STRING")
              + " input column, not "
              + input);
    }
  }

  /** Serves the same predict function to every ML_PREDICT call of the model. */
  private record Provider(AsyncPredictFunction function) implements AsyncPredictRuntimeProvider {
    @Override
    public AsyncPredictFunction createAsyncPredictFunction(ModelProvider.Context context) {
      return function;
    }

    @Override
    public ModelProvider copy() {
      return new Provider(function);
    }
  }
}

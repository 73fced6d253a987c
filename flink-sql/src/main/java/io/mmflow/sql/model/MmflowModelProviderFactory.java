package io.mmflow.sql.model;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
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
 * The {@code mmflow} provider of {@code CREATE MODEL ... WITH ('provider' = 'mmflow', 'model' =
 * 'sentiment-en')}: a text model of mmflow's model registry (ONNX Runtime), run by {@code
 * ML_PREDICT} through the jobs' own text stage, micro-batched. The model takes one STRING column;
 * its OUTPUT columns are named after the canonical result's fields (see {@link OutputColumns}).
 */
public final class MmflowModelProviderFactory implements ModelProviderFactory {
  public static final String IDENTIFIER = "mmflow";

  public static final ConfigOption<String> MODEL =
      ConfigOptions.key("model")
          .stringType()
          .noDefaultValue()
          .withDescription("The id of a text model in the registry, e.g. sentiment-en.");

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
    return Set.of(MODEL);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(REGISTRY, PII, MAX_BATCH, MAX_WAIT);
  }

  @Override
  public ModelProvider createModelProvider(Context context) {
    FactoryUtil.ModelProviderFactoryHelper helper =
        FactoryUtil.createModelProviderFactoryHelper(this, context);
    helper.validate();
    ReadableConfig options = helper.getOptions();
    String name = context.getObjectIdentifier().asSummaryString();
    String model = options.get(MODEL);
    ModelSpec spec;
    try {
      spec = ModelRegistry.load(options.get(REGISTRY)).get(model);
    } catch (RuntimeException e) {
      throw new ValidationException("model " + name + ": " + e.getMessage(), e);
    }
    checkInput(name, context.getCatalogModel().getResolvedInputSchema());
    OutputColumns output =
        OutputColumns.of(name, context.getCatalogModel().getResolvedOutputSchema());
    int maxBatch = options.getOptional(MAX_BATCH).orElse(spec.maxBatch());
    Duration maxWait = options.getOptional(MAX_WAIT).orElse(spec.maxWait());
    return new TextModelProvider(
        new TextModelPredictFunction(
            model, options.get(REGISTRY), options.get(PII), maxBatch, maxWait, output));
  }

  private static void checkInput(String model, ResolvedSchema input) {
    List<Column> columns = input.getColumns();
    if (columns.size() != 1
        || !columns.get(0).getDataType().getLogicalType().is(LogicalTypeRoot.VARCHAR)) {
      throw new ValidationException(
          "model "
              + model
              + ": the mmflow provider's text models take one STRING input column, not "
              + input);
    }
  }

  /** Serves the same predict function to every ML_PREDICT call of the model. */
  private record TextModelProvider(TextModelPredictFunction function)
      implements AsyncPredictRuntimeProvider {
    @Override
    public AsyncPredictFunction createAsyncPredictFunction(ModelProvider.Context context) {
      return function;
    }

    @Override
    public ModelProvider copy() {
      return new TextModelProvider(function);
    }
  }
}

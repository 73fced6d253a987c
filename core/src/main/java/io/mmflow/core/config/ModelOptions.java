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
              "The model registry: a YAML file (path on every task manager) or classpath:<resource>;"
                  + " the default holds mmflow's own models. See docs/models.md.");

  public static final ConfigOption<String> SENTIMENT =
      ConfigOptions.key("mmflow.models.sentiment")
          .stringType()
          .defaultValue("sentiment-en")
          .withDescription(
              "Registry id of the text model whose labels become each document's sentiment result;"
                  + " empty to run none.");

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
    return List.of(REGISTRY, SENTIMENT, MAX_BATCH, MAX_WAIT);
  }
}

package io.mmflow.jobs.runtime;

import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.config.SourceOptions;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job's pipeline on a local MiniCluster environment, without sinks: what {@code eval} and {@code
 * bench} attach what they measure to.
 *
 * @param <S> the streams the pipeline makes
 */
public record LocalRun<S>(StreamExecutionEnvironment env, S streams) {

  /**
   * {@code pipeline} over {@code input} on a local environment, without sinks, sentiment or remote
   * providers: text extraction and OCR alone.
   */
  public static <S> LocalRun<S> extraction(
      Path input,
      Configuration base,
      BiFunction<StreamExecutionEnvironment, Configuration, S> pipeline) {
    Configuration config = new Configuration(base);
    config.set(SourceOptions.PATH, input.toAbsolutePath().toString());
    config.set(IcebergOptions.ENABLED, false);
    config.set(PostgresOptions.ENABLED, false);
    config.set(ModelOptions.SENTIMENT, ""); // eval and bench ocr measure extraction alone
    config.set(RemoteOptions.PROVIDERS, "");
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            config.get(RuntimeOptions.PARALLELISM), JobEnvironment.localFlinkConfiguration(config));
    env.getConfig().enableObjectReuse();
    return new LocalRun<>(env, pipeline.apply(env, config));
  }
}

package io.mmflow.sql.source;

import io.mmflow.core.config.SourceOptions;
import io.mmflow.sql.SqlInputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * {@code CREATE TABLE docs (source_uri STRING, content BYTES, ...) WITH ('connector' =
 * 'mmflow-media', 'path' = 's3://bucket/prefix/' | 'file:///dir', 'include' = '**}{@code /*.pdf')}:
 * the objects under a path as rows ({@link MediaColumns} lists the columns a table may declare).
 * Options named {@code mmflow.*} are mmflow settings for the source, e.g. {@code
 * mmflow.s3.endpoint}.
 */
public final class MediaTableFactory implements DynamicTableSourceFactory {
  public static final String IDENTIFIER = "mmflow-media";

  public static final ConfigOption<String> PATH =
      ConfigOptions.key("path")
          .stringType()
          .noDefaultValue()
          .withDescription("A folder, file:// URI or s3://bucket/prefix/.");

  public static final ConfigOption<List<String>> INCLUDE =
      ConfigOptions.key("include")
          .stringType()
          .asList()
          .defaultValues()
          .withDescription("Globs (relative to the path) an object must match; ';' between them.");

  public static final ConfigOption<List<String>> EXCLUDE =
      ConfigOptions.key("exclude")
          .stringType()
          .asList()
          .defaultValues("**/*.expected.txt", "**/*.gt.txt", "**/.*")
          .withDescription("Globs of objects to skip.");

  public static final ConfigOption<MemorySize> MAX_BYTES =
      ConfigOptions.key("max-bytes")
          .memoryType()
          .defaultValue(MemorySize.parse("64mb"))
          .withDescription("Larger objects have content NULL and content_ref set.");

  public static final ConfigOption<Duration> MONITOR_INTERVAL =
      ConfigOptions.key("monitor-interval")
          .durationType()
          .noDefaultValue()
          .withDescription("Watch the folder for new files (unbounded); unset reads it once.");

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(PATH);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(INCLUDE, EXCLUDE, MAX_BYTES, MONITOR_INTERVAL);
  }

  @Override
  public DynamicTableSource createDynamicTableSource(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    // mmflow settings pass through as they are (mmflow.s3.endpoint, credentials, ...)
    helper.validateExcept(SqlInputs.SETTINGS_PREFIX);
    ReadableConfig options = helper.getOptions();
    Configuration config = SqlInputs.settings(context.getCatalogTable().getOptions());
    config.set(SourceOptions.PATH, options.get(PATH));
    config.set(SourceOptions.INCLUDE, options.get(INCLUDE));
    config.set(SourceOptions.EXCLUDE, options.get(EXCLUDE));
    config.set(SourceOptions.MAX_BYTES, options.get(MAX_BYTES));
    options
        .getOptional(MONITOR_INTERVAL)
        .ifPresent(i -> config.set(SourceOptions.MONITOR_INTERVAL, i));
    ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
    List<MediaColumns> columns = new ArrayList<>();
    for (Column c : schema.getColumns()) {
      if (c.isPhysical()) {
        columns.add(MediaColumns.of(c.getName(), c.getDataType()));
      }
    }
    return new MediaTableSource(config, columns, context.getPhysicalRowDataType());
  }
}

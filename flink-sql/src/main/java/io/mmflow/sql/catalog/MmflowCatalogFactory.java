package io.mmflow.sql.catalog;

import io.mmflow.sql.SqlInputs;
import io.mmflow.sql.model.MmflowModelProviderFactory;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CommonCatalogOptions;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * Makes {@link MmflowCatalog} for {@code CREATE CATALOG ml WITH ('type' = 'mmflow' [,
 * 'default-database' = 'mmflow'] [, 'registry' = '...'] [, 'mmflow.remote.providers' = '...', other
 * mmflow.* settings])}.
 */
public final class MmflowCatalogFactory implements CatalogFactory {
  /** The database that holds the models. */
  public static final ConfigOption<String> DATABASE =
      ConfigOptions.key(CommonCatalogOptions.DEFAULT_DATABASE_KEY)
          .stringType()
          .defaultValue(MmflowCatalog.DATABASE)
          .withDescription("The database of the models.");

  @Override
  public String factoryIdentifier() {
    return MmflowModelProviderFactory.IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(MmflowModelProviderFactory.REGISTRY, DATABASE);
  }

  @Override
  public Catalog createCatalog(Context context) {
    FactoryUtil.CatalogFactoryHelper helper = FactoryUtil.createCatalogFactoryHelper(this, context);
    helper.validateExcept(SqlInputs.SETTINGS_PREFIX);
    return new MmflowCatalog(
        context.getName(),
        helper.getOptions().get(DATABASE),
        helper.getOptions().get(MmflowModelProviderFactory.REGISTRY),
        SqlInputs.settings(context.getOptions()).toMap());
  }
}

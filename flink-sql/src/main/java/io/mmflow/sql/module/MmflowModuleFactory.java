package io.mmflow.sql.module;

import io.mmflow.sql.SqlInputs;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.factories.ModuleFactory;
import org.apache.flink.table.module.Module;

/**
 * Makes {@link MmflowModule} for {@code LOAD MODULE mmflow [WITH (...)]} (found through Java's
 * service loader in any Flink SQL client, gateway or job that has the mmflow jar). Every option
 * must be an mmflow setting ({@code mmflow.*}); its value is checked where it is read.
 */
public final class MmflowModuleFactory implements ModuleFactory {
  public static final String IDENTIFIER = "mmflow";

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
    return Set.of();
  }

  @Override
  public Module createModule(Context context) {
    return new MmflowModule(SqlInputs.onlySettings("LOAD MODULE mmflow", context.getOptions()));
  }
}

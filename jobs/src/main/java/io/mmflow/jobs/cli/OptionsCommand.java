package io.mmflow.jobs.cli;

import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.MmflowConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.Description;
import org.apache.flink.configuration.description.TextElement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    name = "options",
    description = "List every configuration option with its default and meaning.",
    footerHeading = "%nExample:%n",
    footer = {"  mmflow options | grep postgres"})
final class OptionsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (ConfigOption<?> o : MmflowConfig.allOptions()) {
      Object def = o.hasDefaultValue() ? o.defaultValue() : "(unset)";
      out.printf("%s%n    default: %s%n    %s%n", o.key(), def, text(o.description()));
    }
    out.printf(
        "%s<property>%n    Any Iceberg catalog property, e.g. uri or jdbc.user.%n",
        IcebergOptions.CATALOG_PROPERTY_PREFIX);
    out.println(
        "Flink's own options (e.g. execution.checkpointing.timeout) pass through as they are.");
    out.flush();
    return 0;
  }

  /** The plain text of a description made with {@code withDescription(String)}. */
  static String text(Description description) {
    StringBuilder sb = new StringBuilder();
    for (BlockElement block : description.getBlocks()) {
      if (block instanceof TextElement text) {
        sb.append(text.getFormat());
      }
    }
    return sb.toString();
  }
}

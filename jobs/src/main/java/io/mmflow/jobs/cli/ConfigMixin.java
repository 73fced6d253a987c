package io.mmflow.jobs.cli;

import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.RuntimeOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** Options every command shares: a config file and key=value overrides. */
final class ConfigMixin {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML file of settings (see 'mmflow options'); flat or nested keys.")
  Path configFile;

  @Option(
      names = {"-D", "--set"},
      paramLabel = "KEY=VALUE",
      description = "Set one option, e.g. -D mmflow.runtime.parallelism=4; wins over --config.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Folder of the embedded defaults (warehouse, PostgreSQL data); default .data")
  Path dataDir;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  /** The configuration: defaults, then the file, then the command's own settings, then -D. */
  Configuration load(Map<String, String> commandSettings) {
    Map<String, String> fileKeys =
        configFile == null ? Map.of() : MmflowConfig.readYaml(configFile);
    Map<String, String> merged = new LinkedHashMap<>(commandSettings);
    if (dataDir != null) {
      merged.put(RuntimeOptions.DATA_DIR.key(), dataDir.toString());
    }
    merged.putAll(overrides);
    return MmflowConfig.load(fileKeys, merged);
  }
}

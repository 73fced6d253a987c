package io.mmflow.core.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** Where the media comes from. */
public final class SourceOptions {
  public static final ConfigOption<String> PATH =
      ConfigOptions.key("mmflow.source.path")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Folder (or file) of input media: a local path, file:// URI or s3://bucket/prefix.");

  public static final ConfigOption<List<String>> INCLUDE =
      ConfigOptions.key("mmflow.source.include")
          .stringType()
          .asList()
          .defaultValues()
          .withDescription(
              "Glob patterns (relative to the input folder) a file must match to be read; empty"
                  + " reads every file. Example: **/*.pdf;**/*.docx");

  public static final ConfigOption<List<String>> EXCLUDE =
      ConfigOptions.key("mmflow.source.exclude")
          .stringType()
          .asList()
          .defaultValues("**/*.expected.txt", "**/*.gt.txt", "**/.*")
          .withDescription(
              "Glob patterns of files to skip, e.g. ground-truth files beside the inputs.");

  public static final ConfigOption<MemorySize> MAX_BYTES =
      ConfigOptions.key("mmflow.source.max-bytes")
          .memoryType()
          .defaultValue(MemorySize.parse("64mb"))
          .withDescription(
              "Largest input read; a bigger one becomes a dead letter MMF-1002 without being read.");

  public static final ConfigOption<Duration> MONITOR_INTERVAL =
      ConfigOptions.key("mmflow.source.monitor-interval")
          .durationType()
          .noDefaultValue()
          .withDescription(
              "Keep watching a file input for new files at this interval (an unbounded job; each"
                  + " file is read once, exactly once across restarts from a checkpoint); unset"
                  + " reads what is there and ends. Not for s3:// prefixes.");

  private SourceOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(PATH, INCLUDE, EXCLUDE, MAX_BYTES, MONITOR_INTERVAL);
  }
}

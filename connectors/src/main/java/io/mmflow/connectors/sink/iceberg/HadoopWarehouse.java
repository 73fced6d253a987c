package io.mmflow.connectors.sink.iceberg;

import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The warehouse folder as a Hadoop catalog left it: the tables an earlier mmflow wrote there (found
 * by their {@code version-hint.text}, to be registered into the shared JDBC catalog once), and the
 * marker that says the shared catalog keeps the folder's tables now.
 */
final class HadoopWarehouse {
  /**
   * The file that marks a namespace folder of the warehouse as kept by the shared JDBC catalog: a
   * Hadoop catalog over the same folder would start a second history of its tables.
   */
  static final String SHARED_MARKER = ".mmflow-shared-catalog";

  private HadoopWarehouse() {}

  /**
   * The current metadata file of a Hadoop-catalog table at the JDBC catalog's location for {@code
   * id} ({@code <warehouse>/<namespace>/<table>}, the same in both), from its {@code
   * version-hint.text}; empty when there is none.
   */
  static java.util.Optional<String> metadata(Configuration config, TableIdentifier id) {
    String base = IcebergTables.warehouse(config).replaceAll("/+$", "");
    String dir = base + "/" + String.join("/", id.namespace().levels()) + "/" + id.name();
    org.apache.hadoop.fs.Path hint =
        new org.apache.hadoop.fs.Path(dir + "/metadata/version-hint.text");
    try {
      org.apache.hadoop.fs.FileSystem fs =
          hint.getFileSystem(new org.apache.hadoop.conf.Configuration());
      if (!fs.exists(hint)) {
        return java.util.Optional.empty();
      }
      String version;
      try (java.io.InputStream in = fs.open(hint)) {
        version = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
      }
      org.apache.hadoop.fs.Path metadata =
          new org.apache.hadoop.fs.Path(dir + "/metadata/v" + version + ".metadata.json");
      if (!fs.exists(metadata)) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            hint + " names " + metadata + ", which is not there: the table is damaged");
      }
      return java.util.Optional.of(metadata.toString());
    } catch (java.io.IOException e) {
      // not "no table": that would create an empty one over the old history
      throw new MmflowException(
          ErrorCode.SOURCE_READ_FAILED, "cannot read " + hint + ": " + e.getMessage(), e);
    }
  }

  private static org.apache.hadoop.fs.Path marker(Configuration config) {
    return new org.apache.hadoop.fs.Path(
        IcebergTables.warehouse(config).replaceAll("/+$", "")
            + "/"
            + config.get(IcebergOptions.NAMESPACE)
            + "/"
            + SHARED_MARKER);
  }

  /** Whether the warehouse's namespace is kept by the shared JDBC catalog. */
  static boolean shared(Configuration config) {
    org.apache.hadoop.fs.Path marker = marker(config);
    try {
      return marker.getFileSystem(new org.apache.hadoop.conf.Configuration()).exists(marker);
    } catch (java.io.IOException e) {
      throw new MmflowException(
          ErrorCode.SOURCE_READ_FAILED, "cannot read " + marker + ": " + e.getMessage(), e);
    }
  }

  static void markShared(Configuration config) {
    org.apache.hadoop.fs.Path marker = marker(config);
    try {
      org.apache.hadoop.fs.FileSystem fs =
          marker.getFileSystem(new org.apache.hadoop.conf.Configuration());
      if (!fs.exists(marker)) {
        try (var out = fs.create(marker, true)) {
          out.write(
              "The tables of this namespace are kept by mmflow's shared JDBC catalog (the serving PostgreSQL).\n"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    } catch (java.io.IOException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED, "cannot write " + marker + ": " + e.getMessage(), e);
    }
  }
}

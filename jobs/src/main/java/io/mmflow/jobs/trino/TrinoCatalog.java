package io.mmflow.jobs.trino;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.S3Options;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The Trino catalog file ({@code etc/catalog/<name>.properties}) of the Iceberg catalog the jobs
 * write: Trino's Iceberg connector on the same JDBC catalog (its database, catalog name and
 * warehouse), with the file system the warehouse needs (a local folder, or S3 as the jobs' settings
 * give it).
 */
public final class TrinoCatalog {
  private TrinoCatalog() {}

  /**
   * The properties; {@code password} is what the file says for the catalog database's password (the
   * password itself for a server mmflow starts, {@code ${ENV:...}} for a file given to users).
   */
  public static Map<String, String> properties(Configuration config, String password) {
    if (IcebergTables.catalogType(config) != IcebergOptions.CatalogType.JDBC) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "Trino reads the tables through a catalog it shares with the jobs, and this one is a "
              + IcebergTables.catalogType(config).name().toLowerCase(java.util.Locale.ROOT)
              + " catalog: leave "
              + IcebergOptions.CATALOG_TYPE.key()
              + " unset (a JDBC catalog in the serving PostgreSQL) or set it to jdbc");
    }
    Map<String, String> catalog = IcebergTables.catalogProperties(config);
    Map<String, String> p = new LinkedHashMap<>();
    p.put("connector.name", "iceberg");
    p.put("iceberg.catalog.type", "jdbc");
    p.put("iceberg.jdbc-catalog.catalog-name", config.get(IcebergOptions.CATALOG_NAME));
    p.put("iceberg.jdbc-catalog.driver-class", "org.postgresql.Driver");
    p.put("iceberg.jdbc-catalog.connection-url", catalog.get("uri"));
    if (catalog.containsKey("jdbc.user")) {
      p.put("iceberg.jdbc-catalog.connection-user", catalog.get("jdbc.user"));
    }
    if (password != null) {
      p.put("iceberg.jdbc-catalog.connection-password", password);
    }
    String warehouse = catalog.get("warehouse");
    p.put("iceberg.jdbc-catalog.default-warehouse-dir", warehouse);
    if (warehouse.startsWith("file:")) {
      // paths are read as local.location + the URI's path: the root
      p.put("fs.native-local.enabled", "true");
      p.put("local.location", "/");
    } else if (warehouse.startsWith("s3")) {
      p.put("fs.native-s3.enabled", "true");
      config.getOptional(S3Options.ENDPOINT).ifPresent(endpoint -> p.put("s3.endpoint", endpoint));
      p.put("s3.region", config.get(S3Options.REGION));
      p.put("s3.path-style-access", Boolean.toString(config.get(S3Options.PATH_STYLE)));
    }
    return p;
  }

  /** The password line of a file given to users: read from the environment, never written. */
  public static String passwordFromEnvironment() {
    return "${ENV:" + PostgresOptions.PASSWORD_ENV + "}";
  }

  /** The file's text. */
  public static String text(Map<String, String> properties) {
    StringBuilder sb = new StringBuilder();
    properties.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }
}

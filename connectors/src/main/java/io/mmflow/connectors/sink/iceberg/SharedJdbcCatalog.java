package io.mmflow.connectors.sink.iceberg;

import java.util.Map;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Iceberg's JDBC catalog, loading the PostgreSQL driver first: in a Flink TaskManager the driver is
 * inside the job jar, in the job's class loader, where {@code DriverManager} finds it only once the
 * class has been loaded there (Iceberg's connection pool asks {@code DriverManager} directly). The
 * catalog itself is Iceberg's, unchanged: Trino and other engines read it with theirs.
 */
public class SharedJdbcCatalog extends JdbcCatalog {
  @Override
  public void initialize(String name, Map<String, String> properties) {
    String uri = properties.get("uri");
    if (uri != null && uri.startsWith("jdbc:postgresql:")) {
      try {
        Class.forName("org.postgresql.Driver", true, SharedJdbcCatalog.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        // DriverManager says what is missing when the pool connects
      }
    }
    super.initialize(name, properties);
  }
}

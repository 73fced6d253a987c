package io.mmflow.connectors.postgres;

import static io.mmflow.core.util.Checks.requireNonBlank;

import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.error.SecretScrubber;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * Where the serving PostgreSQL is. The password is held but never printed: {@link #toString()} and
 * {@link #safeUrl()} leave it out.
 */
public final class PostgresConnection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  private final String password;

  public PostgresConnection(String url, String user, String password) {
    this.url = requireNonBlank(url, "postgres url");
    this.user = user;
    this.password = password;
  }

  /** From configuration; the password falls back to {@value PostgresOptions#PASSWORD_ENV}. */
  public static PostgresConnection fromConfig(Configuration config, String urlIfUnset) {
    String url = config.getOptional(PostgresOptions.URL).orElse(urlIfUnset);
    return new PostgresConnection(
        url, config.get(PostgresOptions.USER), password(config).orElse(null));
  }

  /** The configured password, else {@value PostgresOptions#PASSWORD_ENV}'s; none if neither. */
  public static java.util.Optional<String> password(Configuration config) {
    return config
        .getOptional(PostgresOptions.PASSWORD)
        .or(() -> java.util.Optional.ofNullable(System.getenv(PostgresOptions.PASSWORD_ENV)));
  }

  public Connection open() throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection(url, props);
  }

  public JdbcConnectionOptions toJdbcOptions() {
    JdbcConnectionOptions.JdbcConnectionOptionsBuilder b =
        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
            .withUrl(url)
            .withDriverName("org.postgresql.Driver");
    if (user != null) {
      b.withUsername(user);
    }
    if (password != null) {
      b.withPassword(password);
    }
    return b.build();
  }

  /** The URL with any embedded password masked, for messages. */
  public String safeUrl() {
    return SecretScrubber.scrub(url);
  }

  public String user() {
    return user;
  }

  @Override
  public String toString() {
    return "PostgresConnection[" + safeUrl() + ", user=" + user + "]";
  }
}

package io.mmflow.connectors.kafka;

import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.KafkaOptions.SaslMechanism;
import io.mmflow.core.config.KafkaOptions.SecurityProtocol;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;

/**
 * The Kafka clients' security properties from {@link KafkaOptions}: the protocol and, for SASL, the
 * mechanism and a JAAS login with the configured user name. The password stays in the task
 * manager's environment ({@value KafkaOptions#PASSWORD_ENV}): the login names it as {@code
 * ${env:MMFLOW_KAFKA_PASSWORD}}, which Kafka's {@link EnvVarConfigProvider} resolves inside the
 * client, so it is never in mmflow's configuration, the job graph, checkpoints or logs.
 */
public final class KafkaSecurity {
  private KafkaSecurity() {}

  /** The properties to add to a Kafka source, sink or client; empty for PLAINTEXT. */
  public static Map<String, String> properties(Configuration config) {
    SecurityProtocol protocol = config.get(KafkaOptions.SECURITY_PROTOCOL);
    Map<String, String> props = new LinkedHashMap<>();
    if (protocol == SecurityProtocol.PLAINTEXT) {
      return props;
    }
    props.put("security.protocol", protocol.name());
    if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
      SaslMechanism mechanism = mechanism(config.get(KafkaOptions.SASL_MECHANISM));
      String user =
          config
              .getOptional(KafkaOptions.SASL_USERNAME)
              .filter(u -> !u.isBlank())
              .orElseThrow(
                  () ->
                      new MmflowException(
                          ErrorCode.CONFIGURATION_INVALID,
                          protocol
                              + " needs "
                              + KafkaOptions.SASL_USERNAME.key()
                              + " (and the password in the environment variable "
                              + KafkaOptions.PASSWORD_ENV
                              + ")"));
      if (user.contains("\"") || user.contains("\\")) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            KafkaOptions.SASL_USERNAME.key() + " must not contain quotes or backslashes");
      }
      String module =
          mechanism == SaslMechanism.PLAIN
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      props.put("sasl.mechanism", mechanism.kafkaName());
      props.put(
          "sasl.jaas.config",
          module
              + " required username=\""
              + user
              + "\" password=\"${env:"
              + KafkaOptions.PASSWORD_ENV
              + "}\";");
      props.put("config.providers", "env");
      props.put("config.providers.env.class", EnvVarConfigProvider.class.getName());
    }
    return props;
  }

  /** {@link #properties} as {@link Properties}, for Kafka's client builders. */
  public static Properties asProperties(Configuration config) {
    Properties props = new Properties();
    props.putAll(properties(config));
    return props;
  }

  /**
   * Checks, where the job starts, that a SASL password is in the environment ({@code env}: the
   * environment, a parameter for tests); names the variable, never a value.
   */
  public static void check(Configuration config, Function<String, String> env) {
    if (properties(config).containsKey("sasl.jaas.config")) {
      String password = env.apply(KafkaOptions.PASSWORD_ENV);
      if (password == null || password.isEmpty()) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            config.get(KafkaOptions.SECURITY_PROTOCOL)
                + " needs the Kafka password in the environment variable "
                + KafkaOptions.PASSWORD_ENV
                + " (on the client and every task manager)");
      }
      // it is placed inside the login's quoted string, which has no escapes
      if (password.contains("\"") || password.contains("\\")) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "the password in "
                + KafkaOptions.PASSWORD_ENV
                + " contains a double quote or a backslash, which a Kafka JAAS login cannot"
                + " hold; choose another password");
      }
    }
  }

  private static SaslMechanism mechanism(String name) {
    String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SaslMechanism m : SaslMechanism.values()) {
      if (m.name().equals(normalized)) {
        return m;
      }
    }
    throw new MmflowException(
        ErrorCode.CONFIGURATION_INVALID,
        KafkaOptions.SASL_MECHANISM.key()
            + " '"
            + name
            + "' is not one of "
            + Arrays.stream(SaslMechanism.values()).map(SaslMechanism::kafkaName).toList());
  }
}

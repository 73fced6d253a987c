package io.mmflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.error.MmflowException;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {
  private static Configuration sasl(String mechanism) {
    Configuration c = new Configuration();
    c.setString(KafkaOptions.SECURITY_PROTOCOL.key(), "SASL_SSL");
    c.set(KafkaOptions.SASL_MECHANISM, mechanism);
    c.set(KafkaOptions.SASL_USERNAME, "mmflow");
    return c;
  }

  @Test
  void plaintextAddsNothing() {
    assertThat(KafkaSecurity.properties(new Configuration())).isEmpty();
    KafkaSecurity.check(new Configuration(), name -> null); // no password needed
  }

  @Test
  void saslLogsInWithThePasswordFromTheEnvironmentNeverItsValue() {
    Map<String, String> props = KafkaSecurity.properties(sasl("scram-sha-512"));
    assertThat(props)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("config.providers", "env");
    assertThat(props.get("sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"mmflow\" password=\"${env:MMFLOW_KAFKA_PASSWORD}\";");
    assertThat(KafkaSecurity.properties(sasl("PLAIN")).get("sasl.jaas.config"))
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required");
  }

  @Test
  void kafkasOwnClientConfigsAcceptTheProperties() {
    Map<String, String> props = KafkaSecurity.properties(sasl("SCRAM-SHA-256"));
    Map<String, Object> consumer = new java.util.HashMap<>(props);
    consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9093");
    consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    ConsumerConfig parsed = new ConsumerConfig(consumer);
    assertThat(parsed.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-256");
    assertThat(parsed.getString("security.protocol")).isEqualTo("SASL_SSL");
    Map<String, Object> producer = new java.util.HashMap<>(props);
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9093");
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    assertThat(new ProducerConfig(producer).getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-256");
  }

  @Test
  void theClientResolvesTheLoginsVariableFromItsEnvironment() {
    // HOME stands in for MMFLOW_KAFKA_PASSWORD, which the test's environment does not have
    Map<String, Object> consumer = new java.util.HashMap<>();
    KafkaSecurity.properties(sasl("PLAIN"))
        .forEach((k, v) -> consumer.put(k, v.replace(KafkaOptions.PASSWORD_ENV, "HOME")));
    consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9093");
    consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    String login = new ConsumerConfig(consumer).getPassword("sasl.jaas.config").value();
    assertThat(login)
        .contains("password=\"" + System.getenv("HOME") + "\"")
        .doesNotContain("${env:");
  }

  @Test
  void incompleteSettingsAreCodedErrorsNamingWhatIsMissing() {
    Configuration noUser = sasl("PLAIN");
    noUser.removeConfig(KafkaOptions.SASL_USERNAME);
    assertThatThrownBy(() -> KafkaSecurity.properties(noUser))
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining("mmflow.kafka.sasl-username");
    assertThatThrownBy(() -> KafkaSecurity.properties(sasl("GSSAPI")))
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining("SCRAM-SHA-512");
    assertThatThrownBy(() -> KafkaSecurity.check(sasl("PLAIN"), name -> null))
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining("MMFLOW_KAFKA_PASSWORD");
    assertThatThrownBy(() -> KafkaSecurity.check(sasl("PLAIN"), name -> "se\"cret"))
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining("double quote")
        .hasMessageNotContaining("se\"cret");
    KafkaSecurity.check(sasl("PLAIN"), name -> "secret"); // present: fine
  }
}

package io.mmflow.connectors.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

  @Test
  void producesAndConsumesOnARealBroker() throws Exception {
    long started = System.nanoTime();
    Path logDir;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      long startMs = (System.nanoTime() - started) / 1_000_000;
      System.out.println("embedded Kafka broker started in " + startMs + " ms");
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
      logDir = broker.logDir();
      broker.createTopic("events", 2);
      broker.createTopic("events", 2); // exists: no error

      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>("events", "k" + i, "v" + i)).get();
        }
      }

      List<String> values = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                  ConsumerConfig.GROUP_ID_CONFIG, "test",
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
              new StringDeserializer(),
              new StringDeserializer())) {
        consumer.subscribe(List.of("events"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (values.size() < 3 && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            values.add(r.value());
          }
        }
      }
      assertThat(values).containsExactlyInAnyOrder("v0", "v1", "v2");
    }
    assertThat(Files.exists(logDir)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void keepsTopicsInAGivenLogDirectory(@TempDir Path dir) {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
      broker.createTopic("kept", 1);
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
        var admin =
            org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
      assertThat(admin.listTopics().names())
          .succeedsWithin(Duration.ofSeconds(10))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.collection(String.class))
          .contains("kept");
    }
    assertThat(Files.exists(dir)).isTrue();
  }
}

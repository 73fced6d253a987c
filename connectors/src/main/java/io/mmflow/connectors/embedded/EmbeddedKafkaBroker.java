package io.mmflow.connectors.embedded;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.util.Folders;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (broker and KRaft controller in one process, {@code
 * process.roles=broker,controller}) running inside this JVM on 127.0.0.1, from Kafka's own Maven
 * artifacts, for the demo, {@code bin/mmflow feed} and tests. With a log directory, topics and
 * offsets persist between runs.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final int NODE_ID = 1;
  private static final String HOST = "127.0.0.1";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final int PORT_ATTEMPTS = 3;

  private final KafkaRaftServer server;
  private final Path logDir;
  private final boolean tempDir;
  private final int port;
  private final Admin admin;

  private EmbeddedKafkaBroker(KafkaRaftServer server, Path logDir, boolean tempDir, int port) {
    this.server = server;
    this.logDir = logDir;
    this.tempDir = tempDir;
    this.port = port;
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + port));
  }

  /** Starts a throwaway broker on free ports with its log in a temporary folder. */
  public static EmbeddedKafkaBroker start() {
    return start(null, 0);
  }

  /**
   * Starts a broker and waits until it serves.
   *
   * @param logDir where the log (topics, offsets, KRaft metadata) lives; null for a temporary
   *     folder deleted on {@link #close()}
   * @param port loopback port of the client listener, 0 for any free port; the controller listener
   *     always takes a free port
   * @throws MmflowException {@link ErrorCode#SOURCE_READ_FAILED} when it cannot start
   */
  public static EmbeddedKafkaBroker start(Path logDir, int port) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      Path dir = logDir;
      KafkaRaftServer server = null;
      EmbeddedKafkaBroker broker = null;
      try {
        dir = logDir == null ? Files.createTempDirectory("mmflow-kafka") : logDir;
        Files.createDirectories(dir);
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        KafkaConfig config = config(dir, brokerPort, controllerPort);
        format(dir);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        broker = new EmbeddedKafkaBroker(server, dir, logDir == null, brokerPort);
        broker.awaitServing();
        return broker;
      } catch (Exception e) {
        last = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        if (broker != null) {
          broker.admin.close(Duration.ZERO);
        }
        stopQuietly(server);
        if (logDir == null && dir != null) {
          Folders.deleteQuietly(dir);
        }
        if (port > 0 && logDir != null) {
          break; // fixed port and folder: another try would meet the same problem
        }
      }
    }
    throw new MmflowException(
        ErrorCode.SOURCE_READ_FAILED,
        "cannot start the embedded Kafka broker"
            + (logDir == null ? "" : " in " + logDir)
            + (port > 0 ? " on port " + port : "")
            + ": "
            + last.getMessage()
            + " (is another mmflow run using it? set mmflow.kafka.bootstrap-servers to use your"
            + " own Kafka)",
        last);
  }

  private static KafkaConfig config(Path dir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dir.toString());
    p.put("num.partitions", "1");
    // one node: every internal topic has one replica
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // feed events carry inline media: allow records up to 16 MiB
    p.put("message.max.bytes", Integer.toString(16 << 20));
    // small heap footprint: the compacting cleaner needs far less than its 128 MiB default
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 << 20));
    return new KafkaConfig(p, false);
  }

  private static void format(Path dir) throws Exception {
    if (Files.exists(dir.resolve("meta.properties"))) {
      return; // a kept log directory is reused as it is
    }
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(dir.toString()))
        .setMetadataLogDirectory(dir.toString())
        .setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .run();
  }

  private void awaitServing() throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      try {
        if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
          return;
        }
      } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not serve within " + STARTUP_TIMEOUT, e);
        }
      }
      Thread.sleep(50);
    }
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The loopback port of the client listener. */
  public int port() {
    return port;
  }

  /** The log directory. */
  public Path logDir() {
    return logDir;
  }

  /**
   * Creates a topic with one replica, unless it exists.
   *
   * @throws MmflowException {@link ErrorCode#SOURCE_READ_FAILED} when the broker refuses
   */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /**
   * Creates a topic with one replica and the topic {@code configs} (e.g. {@code
   * message.timestamp.type=LogAppendTime}), unless it exists.
   */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new MmflowException(
            ErrorCode.SOURCE_READ_FAILED, "cannot create topic " + name + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MmflowException(ErrorCode.INTERNAL_ERROR, "interrupted creating " + name, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new MmflowException(
          ErrorCode.SOURCE_READ_FAILED, "timed out creating topic " + name, e);
    }
  }

  /**
   * Reads {@code topic} from its start until {@code count} records came or {@code timeout} passed
   * (what a test or the demo wrote, to check it).
   */
  public List<ConsumerRecord<byte[], byte[]>> read(String topic, int count, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "mmflow-read-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** Stops the broker cleanly; deletes the log directory when it was temporary. */
  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    stopQuietly(server);
    if (tempDir) {
      Folders.deleteQuietly(logDir);
    }
  }

  private static void stopQuietly(KafkaRaftServer server) {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}

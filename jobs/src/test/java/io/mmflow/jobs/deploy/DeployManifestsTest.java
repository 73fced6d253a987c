package io.mmflow.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mmflow.connectors.kafka.KafkaSecurity;
import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.jobs.cli.MmflowCli;
import io.mmflow.jobs.runtime.MmflowJob;
import io.mmflow.jobs.runtime.SubmitMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Kubernetes manifests hold what mmflow and Flink accept: every job's entry class exists and is
 * an mmflow job, its arguments and configuration load as a submitted job loads them, its Flink
 * settings are options Flink has, and every secret its configuration needs (the databases, the
 * buckets, Kafka, the providers' keys) comes from a Kubernetes Secret and nowhere else; the nightly
 * backfill's commands parse as mmflow's CLI parses them, and the session cluster it submits to is
 * the one the manifest declares. (No cluster here: what Kubernetes itself does with them is not
 * checked.)
 */
class DeployManifestsTest {
  static final Path REPO = Path.of(System.getProperty("mmflow.repo.root", ".."));

  @Test
  void theNightlyBackfillsCommandsAndConfigurationAreMmflows() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (var parser =
        yaml.getFactory()
            .createParser(REPO.resolve("deploy/flink-k8s/backfill-cronjob.yaml").toFile())) {
      yaml.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
    }
    JsonNode session = kind(docs, "FlinkDeployment");
    JsonNode cron = kind(docs, "CronJob");
    JsonNode config = kind(docs, "ConfigMap");
    String script = cron.at("/spec/jobTemplate/spec/template/spec/containers/0/args/0").asText();
    List<String> commands = new ArrayList<>();
    for (String line : script.lines().map(String::trim).toList()) {
      if (line.startsWith("mmflow backfill")) {
        commands.add(line);
      }
    }
    assertThat(commands).hasSize(3);
    for (String line : commands) {
      String[] args =
          line.replace("\"$id\"", "outage-20261206")
              .replace("\"$since\"", "2026-12-05T00:00:00Z")
              .replace("\"$BUDGET_USD\"", "20")
              .replace("\"/tmp/$id.html\"", "/tmp/outage.html")
              .substring("mmflow ".length())
              .split(" +");
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--config", "/opt/mmflow/config/backfill.yaml"));
      // parses: every option and argument is one the command has
      new CommandLine(new MmflowCli()).parseArgs(all.toArray(String[]::new));
      if (line.contains("--remote")) {
        assertThat(line).contains(session.at("/metadata/name").asText() + "-rest:8081");
      }
    }
    // the configuration it reads is a valid mmflow configuration
    Path file = Files.createTempFile("backfill", ".yaml");
    Files.writeString(file, config.at("/data/backfill.yaml").asText());
    Map<String, String> keys = MmflowConfig.readYaml(file);
    MmflowConfig.load(keys, Map.of());
    assertThat(keys).containsKey("mmflow.remote.providers");
    assertThat(config.at("/data/providers.yaml").asText()).contains("api-key-env: OPENAI_API_KEY");
    assertThat(script).doesNotContain("password");
  }

  @Test
  void everyJobNamesClassesAndOptionsThatExistAndMountsTheSecretsItNeeds() throws Exception {
    Set<String> flinkKeys = flinkOptionKeys();
    List<String> jobs = new ArrayList<>();
    try (var files = Files.list(REPO.resolve("deploy/flink-k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        List<JsonNode> docs = read(file);
        for (JsonNode d : docs) {
          if (!"FlinkDeployment".equals(d.path("kind").asText())) {
            continue;
          }
          String where = file.getFileName() + " " + d.at("/metadata/name").asText();
          d.at("/spec/flinkConfiguration")
              .fieldNames()
              .forEachRemaining(
                  k ->
                      assertThat(
                              flinkKeys.contains(k)
                                  || k.startsWith("kubernetes.operator.")
                                  || PROMETHEUS_KEYS.contains(k))
                          .as(where + ": Flink has no option " + k)
                          .isTrue());
          // every job's metrics reach Prometheus: the reporter (a class Flink ships) on 9249, and
          // the pods say where to scrape
          String factory =
              d.at("/spec/flinkConfiguration/metrics.reporter.prom.factory.class").asText();
          assertThat(Class.forName(factory))
              .as(where)
              .isAssignableTo(org.apache.flink.metrics.reporter.MetricReporterFactory.class);
          assertThat(d.at("/spec/flinkConfiguration/metrics.reporter.prom.port").asText())
              .as(where)
              .isEqualTo("9249");
          assertThat(d.at("/spec/podTemplate/metadata/annotations/prometheus.io~1port").asText())
              .as(where)
              .isEqualTo("9249");
          // CompletableFuture's async steps (one per OpenAI SDK call) need a common pool of two
          // threads at least: CPUs - 1 of the task manager, but never one
          java.util.regex.Matcher pool =
              java.util.regex.Pattern.compile(
                      "-Djava\\.util\\.concurrent\\.ForkJoinPool\\.common\\.parallelism=(\\d+)")
                  .matcher(d.at("/spec/flinkConfiguration/env.java.opts.all").asText());
          assertThat(pool.find()).as(where + ": the common pool's size").isTrue();
          double cpus = d.at("/spec/taskManager/resource/cpu").asDouble();
          assertThat(Integer.parseInt(pool.group(1)))
              .as(where)
              .isEqualTo((int) Math.max(2, cpus - 1));
          Map<String, String> secretEnv = secretEnv(d);
          assertThat(literalSecrets(d)).as(where + ": secrets as literal values").isEmpty();
          mountedConfigMaps(d)
              .forEach(
                  name ->
                      assertThat(docs)
                          .as(where + ": ConfigMap " + name + " mounted but not in the file")
                          .anySatisfy(
                              o -> assertThat(o.at("/metadata/name").asText()).isEqualTo(name)));
          if (d.at("/spec/job").isMissingNode()) {
            continue; // a session cluster (its jobs come from the CronJob)
          }
          Class<?> entry = Class.forName(d.at("/spec/job/entryClass").asText());
          assertThat(MmflowJob.class).as(where).isAssignableFrom(entry);
          assertThat(entry.getMethod("main", String[].class)).isNotNull();
          Configuration config = configuration(d, docs);
          String all = config.toMap() + " " + d.at("/spec/flinkConfiguration");
          if (config.getOptional(PostgresOptions.URL).isPresent()) {
            assertThat(secretEnv).as(where).containsKey(PostgresOptions.PASSWORD_ENV);
          }
          if (d.at("/spec/flinkConfiguration").toString().contains("s3://")) {
            String image = d.at("/spec/image").asText().endsWith("-gpu") ? ".gpu" : "";
            assertThat(Files.readString(REPO.resolve("deploy/flink-k8s/Dockerfile" + image)))
                .as(where + ": Flink writes to s3:// through its S3 file system plugin")
                .contains("/opt/flink/plugins/s3-fs-presto");
          }
          if (all.contains("s3://")) {
            assertThat(secretEnv)
                .as(where + ": reads a bucket")
                .containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
          }
          if (!KafkaSecurity.properties(config).isEmpty()) {
            assertThat(secretEnv).as(where).containsKey(KafkaOptions.PASSWORD_ENV);
          }
          assertThat(MmflowConfig.icebergCatalogProperties(config))
              .as(where + ": a catalog database of its own needs its own password secret")
              .doesNotContainKey("uri");
          for (String keyEnv : providerKeyEnvs(config)) {
            assertThat(secretEnv).as(where + ": provider key").containsKey(keyEnv);
          }
          if (d.at("/spec/image").asText().endsWith("-gpu")) {
            assertThat(
                    d.at("/spec/taskManager/podTemplate/spec/containers/0/resources/limits")
                        .path("nvidia.com/gpu")
                        .asInt())
                .as(where + ": a GPU image on task managers that request a GPU")
                .isEqualTo(1);
          }
          jobs.add(entry.getSimpleName() + " " + d.at("/spec/job/upgradeMode").asText());
        }
      }
    }
    // the feeds job upgrades through savepoints; the bounded jobs run in application mode
    assertThat(jobs)
        .contains("FeedsJob savepoint", "DocumentsJob stateless", "BackfillJob last-state");
  }

  /** The job's configuration as a submitted job reads it, its mounted files from the ConfigMaps. */
  private static Configuration configuration(JsonNode deployment, List<JsonNode> docs)
      throws Exception {
    Path dir = Files.createTempDirectory("manifest");
    List<String> args = new ArrayList<>();
    JsonNode mounts = deployment.at("/spec/podTemplate/spec/containers/0/volumeMounts");
    for (JsonNode a : deployment.at("/spec/job/args")) {
      String arg = a.asText();
      for (JsonNode m : mounts) {
        String mount = m.path("mountPath").asText();
        JsonNode map = configMapOf(deployment, docs, m.path("name").asText());
        if (map != null && arg.startsWith(mount + "/")) {
          // every file of the ConfigMap where the job would find it
          map.path("data")
              .fields()
              .forEachRemaining(
                  f -> write(dir.resolve(f.getKey()), f.getValue().asText(), mount, dir));
          arg = dir.resolve(arg.substring(mount.length() + 1)).toString();
        }
      }
      args.add(arg);
    }
    return SubmitMain.configuration(args.toArray(String[]::new));
  }

  private static void write(Path file, String text, String mount, Path dir) {
    try {
      Files.writeString(file, text.replace(mount + "/", dir + "/"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode configMapOf(JsonNode deployment, List<JsonNode> docs, String volume) {
    for (JsonNode v : deployment.at("/spec/podTemplate/spec/volumes")) {
      if (v.path("name").asText().equals(volume) && v.has("configMap")) {
        String name = v.at("/configMap/name").asText();
        return docs.stream()
            .filter(o -> name.equals(o.at("/metadata/name").asText()))
            .findFirst()
            .orElse(null);
      }
    }
    return null;
  }

  private static List<String> mountedConfigMaps(JsonNode deployment) {
    List<String> names = new ArrayList<>();
    for (JsonNode v : deployment.at("/spec/podTemplate/spec/volumes")) {
      if (v.has("configMap")) {
        names.add(v.at("/configMap/name").asText());
      }
    }
    return names;
  }

  /** The environment variables set from Secrets: name → secret. */
  private static Map<String, String> secretEnv(JsonNode deployment) {
    Map<String, String> env = new java.util.HashMap<>();
    for (JsonNode e : deployment.at("/spec/podTemplate/spec/containers/0/env")) {
      JsonNode ref = e.at("/valueFrom/secretKeyRef");
      if (!ref.isMissingNode()) {
        env.put(e.path("name").asText(), ref.path("name").asText());
      }
    }
    return env;
  }

  /** Environment variables with a secret's name and a literal value. */
  private static List<String> literalSecrets(JsonNode deployment) {
    List<String> found = new ArrayList<>();
    for (JsonNode e : deployment.at("/spec/podTemplate/spec/containers/0/env")) {
      if (e.has("value") && e.path("name").asText().matches(".*(PASSWORD|SECRET|API_KEY).*")) {
        found.add(e.path("name").asText());
      }
    }
    return found;
  }

  private static List<String> providerKeyEnvs(Configuration config) throws Exception {
    String file = config.get(RemoteOptions.PROVIDERS);
    if (file == null || file.isBlank()) {
      return List.of();
    }
    List<String> envs = new ArrayList<>();
    new ObjectMapper(new YAMLFactory())
        .readTree(Path.of(file).toFile())
        .path("providers")
        .forEach(p -> envs.add(p.path("api-key-env").asText()));
    return envs.stream().filter(e -> !e.isEmpty()).toList();
  }

  /** The Prometheus reporter's keys (reporter options are prefixed by the reporter's name). */
  private static final Set<String> PROMETHEUS_KEYS =
      Set.of(
          "metrics.reporter.prom." + MetricOptions.REPORTER_FACTORY_CLASS.key(),
          // PrometheusReporterFactory.ARG_PORT (package-private there)
          "metrics.reporter.prom.port");

  /** Every key (and deprecated or fallback key) of Flink's option classes the manifests use. */
  private static Set<String> flinkOptionKeys() throws Exception {
    Set<String> keys = new java.util.HashSet<>();
    for (Class<?> c :
        List.of(
            org.apache.flink.configuration.CheckpointingOptions.class,
            org.apache.flink.configuration.CoreOptions.class,
            org.apache.flink.configuration.ExecutionOptions.class,
            org.apache.flink.configuration.HighAvailabilityOptions.class,
            org.apache.flink.configuration.JobManagerOptions.class,
            org.apache.flink.configuration.MetricOptions.class,
            org.apache.flink.configuration.RestartStrategyOptions.class,
            org.apache.flink.configuration.StateBackendOptions.class,
            org.apache.flink.configuration.TaskManagerOptions.class)) {
      for (java.lang.reflect.Field f : c.getFields()) {
        if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
            && f.get(null) instanceof org.apache.flink.configuration.ConfigOption<?> o) {
          keys.add(o.key());
          o.fallbackKeys().forEach(k -> keys.add(k.getKey()));
        }
      }
    }
    return keys;
  }

  private static List<JsonNode> read(Path file) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (var parser = yaml.getFactory().createParser(file.toFile())) {
      yaml.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
    }
    return docs;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }
}

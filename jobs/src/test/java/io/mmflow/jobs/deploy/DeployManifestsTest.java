package io.mmflow.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.jobs.cli.MmflowCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Kubernetes manifests hold what mmflow accepts: the nightly backfill's commands parse as
 * mmflow's CLI parses them, its configuration and providers file load, and the session cluster it
 * submits to is the one the manifest declares. (No cluster here: what Kubernetes itself does with
 * them is not checked.)
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

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }
}

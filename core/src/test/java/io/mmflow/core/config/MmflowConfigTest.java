package io.mmflow.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmflowConfigTest {
  @Test
  void secretsAreToldByAWordOfTheirNameNotBySubstrings() {
    assertThat(MmflowConfig.isSecret("mmflow.postgres.password")).isTrue();
    assertThat(MmflowConfig.isSecret("mmflow.iceberg.catalog.jdbc.password")).isTrue();
    assertThat(MmflowConfig.isSecret("mmflow.iceberg.catalog.credential")).isTrue();
    assertThat(MmflowConfig.isSecret("mmflow.iceberg.catalog.s3.access-key-id")).isTrue();
    assertThat(MmflowConfig.isSecret("s3.secret-key")).isTrue();
    assertThat(MmflowConfig.isSecret("mmflow.remote.tokens-per-minute")).isFalse();
    assertThat(MmflowConfig.isSecret("mmflow.models.sentiment")).isFalse();
  }

  @Test
  void defaults() {
    Configuration c = MmflowConfig.load(Map.of(), Map.of());
    assertThat(c.get(SourceOptions.MAX_BYTES)).isEqualTo(MemorySize.parse("64mb"));
    assertThat(c.get(ExtractionOptions.PARSE_TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.get(ExtractionOptions.WRITE_LIMIT)).isEqualTo(10_000_000);
    // unset: the connectors choose (a JDBC catalog in the serving PostgreSQL, Hadoop without it)
    assertThat(c.getOptional(IcebergOptions.CATALOG_TYPE)).isEmpty();
    assertThat(c.get(PostgresOptions.URL)).isNull();
    assertThat(c.get(RuntimeOptions.TARGET)).isEqualTo(RuntimeOptions.Target.LOCAL);
    assertThat(c.get(RuntimeOptions.PARALLELISM)).isEqualTo(2);
    assertThat(c.get(SourceOptions.EXCLUDE)).contains("**/*.expected.txt");
  }

  @Test
  void everyOptionIsDocumentedAndUnderThePrefix() {
    for (ConfigOption<?> o : MmflowConfig.allOptions()) {
      assertThat(o.key()).startsWith("mmflow.");
      assertThat(o.description().toString()).as(o.key()).isNotBlank();
    }
  }

  @Test
  void yamlNestedAndFlatKeysMapToOptionsAndOverridesWin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(
        file,
        """
        mmflow:
          source:
            path: /in
            max-bytes: 1mb
            include: ["**/*.pdf", "**/*.docx"]
          runtime.parallelism: 4
        mmflow.extract.parse-timeout: 5 s
        mmflow.iceberg.catalog.uri: jdbc:postgresql://db/iceberg
        execution.checkpointing.interval: 10 s
        """);
    Configuration c =
        MmflowConfig.load(MmflowConfig.readYaml(file), Map.of("mmflow.runtime.parallelism", "1"));
    assertThat(c.get(SourceOptions.PATH)).isEqualTo("/in");
    assertThat(c.get(SourceOptions.MAX_BYTES)).isEqualTo(MemorySize.parse("1mb"));
    assertThat(c.get(SourceOptions.INCLUDE)).containsExactly("**/*.pdf", "**/*.docx");
    assertThat(c.get(RuntimeOptions.PARALLELISM)).isEqualTo(1);
    assertThat(c.get(ExtractionOptions.PARSE_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(MmflowConfig.icebergCatalogProperties(c))
        .containsEntry("uri", "jdbc:postgresql://db/iceberg");
    assertThat(c.toMap()).containsEntry("execution.checkpointing.interval", "10 s");
  }

  @Test
  void unknownKeyIsRefusedWithTheNearestKnownOne() {
    assertThatThrownBy(() -> MmflowConfig.load(Map.of("mmflow.sorce.path", "/x"), Map.of()))
        .isInstanceOf(MmflowException.class)
        .hasMessage(
            "unknown configuration key 'mmflow.sorce.path' (did you mean 'mmflow.source.path'?)")
        .extracting(e -> ((MmflowException) e).code())
        .isEqualTo(ErrorCode.CONFIGURATION_INVALID);
  }

  @Test
  void badValueNamesKeyAndValue() {
    assertThatThrownBy(
            () -> MmflowConfig.load(Map.of(), Map.of("mmflow.runtime.parallelism", "many")))
        .hasMessageStartingWith("invalid value 'many' for mmflow.runtime.parallelism");
    assertThatThrownBy(
            () -> MmflowConfig.load(Map.of(), Map.of("mmflow.iceberg.catalog-type", "glue")))
        .hasMessageStartingWith("invalid value 'glue' for mmflow.iceberg.catalog-type");
  }

  @Test
  void missingAndInvalidFiles(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> MmflowConfig.readYaml(dir.resolve("nope.yaml")))
        .hasMessageStartingWith("config file not found: ");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "mmflow: [unclosed");
    assertThatThrownBy(() -> MmflowConfig.readYaml(bad)).hasMessageContaining("is not valid YAML");
  }

  @Test
  void editDistance() {
    assertThat(MmflowConfig.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(MmflowConfig.editDistance("", "abc")).isEqualTo(3);
  }
}

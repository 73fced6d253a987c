package io.mmflow.jobs.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.postgres.PostgresConnection;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The feeds job's graph: a text part is routed and read in the source's own task (no exchange
 * before its sentiment's), with or without a sentiment model.
 */
class FeedsJobGraphTest {
  private static List<String> tasks(String sentimentModel) {
    Configuration config = new Configuration();
    config.setString("mmflow.kafka.bootstrap-servers", "127.0.0.1:9"); // never contacted
    config.setString("mmflow.iceberg.enabled", "false");
    config.setString("mmflow.postgres.enabled", "false");
    config.setString("mmflow.models.sentiment", sentimentModel);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    FeedsJob.build(
        env,
        config,
        new PostgresConnection("jdbc:postgresql://127.0.0.1:9/none", "u", null),
        FeedsJob.Taps.NONE);
    return StreamSupport.stream(
            env.getStreamGraph().getJobGraph().getVertices().spliterator(), false)
        .map(JobVertex::getName)
        .toList();
  }

  private static String sourceTask(List<String> tasks) {
    return tasks.stream().filter(t -> t.startsWith("Source: kafka feed")).findFirst().orElseThrow();
  }

  @Test
  void inlineAndFetchedPartsAreRoutedAndReadInTheSourcesTask() {
    List<String> tasks = tasks("sentiment-en");
    String source = sourceTask(tasks);
    assertThat(source)
        .contains("inline parts -> route parts by type -> text parts: UTF-8, NFKC")
        .contains("validate fetched -> route parts by type -> text parts: UTF-8, NFKC");
    assertThat(tasks).noneMatch(t -> t.startsWith("route parts by type"));
    // the model reads the text parts of both routers and the texts of the other stages
    assertThat(tasks).anyMatch(t -> t.startsWith("sentiment:"));
  }

  @Test
  void withoutASentimentModelEachTextPartIsAResultInTheSourcesTask() {
    String source = sourceTask(tasks(""));
    assertThat(source)
        .contains(
            "inline parts -> route parts by type -> text parts: UTF-8, NFKC -> text part results"
                + " or dead letters")
        .contains(
            "validate fetched -> route parts by type -> text parts: UTF-8, NFKC -> text part"
                + " results or dead letters");
  }
}

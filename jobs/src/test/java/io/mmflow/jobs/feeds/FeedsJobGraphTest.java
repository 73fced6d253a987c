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
 * The feeds job's graph: a text part is routed, read and given its sentiment in the source's own
 * task (no exchange before its result), with or without a sentiment model.
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
  void eachRoutersTextPartsGetTheirSentimentInTheSourcesTask() {
    List<String> tasks = tasks("sentiment-en");
    String source = sourceTask(tasks);
    String sentiment = "text parts: UTF-8, NFKC -> sentiment: sentiment-en (ONNX Runtime, batch ";
    assertThat(source)
        .contains("inline parts -> route parts by type -> " + sentiment)
        .contains("validate fetched -> route parts by type -> " + sentiment);
    assertThat(source.split(" -> text part results or dead letters", -1)).hasSize(3);
    assertThat(tasks).noneMatch(t -> t.startsWith("route parts by type"));
    // the texts of the other stages' items (documents, pages, transcripts) have a model of their
    // own
    assertThat(tasks)
        .filteredOn(t -> t.startsWith("sentiment:"))
        .singleElement()
        .asString()
        .endsWith("-> sentiment of extracted texts: results or dead letters");
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

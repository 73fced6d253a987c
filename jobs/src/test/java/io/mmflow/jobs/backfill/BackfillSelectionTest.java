package io.mmflow.jobs.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.MmflowException;
import io.mmflow.core.serde.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillSelectionTest {
  @Test
  void aFolderPrefixMatchesTheFileSourcesUrisInEitherFormAndNothingBesideIt(@TempDir Path dir)
      throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs_1"));
    String expected = "file:" + docs.toAbsolutePath() + "/";
    // a local path, a file:/// URI and a file:/ URI name the same folder
    for (String given : List.of(docs.toString(), docs.toUri().toString(), expected)) {
      assertThat(new BackfillSelection(given, null, null, null, false, null, null).prefix())
          .as(given)
          .isEqualTo(expected);
    }
    String sql =
        new BackfillSelection(docs.toString(), null, null, null, false, null, null).resultsQuery();
    // the underscore of the folder's name is a character, not a LIKE wildcard; both URI forms
    assertThat(sql)
        .contains("LIKE 'file:" + docs.getParent().toAbsolutePath() + "/docs\\_1/%' ESCAPE")
        .contains("LIKE 'file://" + docs.getParent().toAbsolutePath() + "/docs\\_1/%' ESCAPE");
    assertThat(
            new BackfillSelection("s3://bucket/in/", null, null, null, false, null, null).prefix())
        .isEqualTo("s3://bucket/in/");
  }

  @Test
  void criteriaCombineAndFailuresAlsoSelectTheirDeadLetters() {
    BackfillSelection s =
        new BackfillSelection(
            null,
            Instant.parse("2026-12-04T00:00:00Z"),
            Instant.parse("2026-12-05T00:00:00Z"),
            List.of("sentiment-en@nb-1", "judge"),
            true,
            List.of("MMF-2004"),
            null);
    assertThat(s.resultsQuery())
        .contains("event_time >= TO_TIMESTAMP_LTZ(" + s.from().toEpochMilli() + ", 3)")
        .contains("event_time < TO_TIMESTAMP_LTZ(" + s.to().toEpochMilli() + ", 3)")
        .contains("(model_id = 'sentiment-en' AND model_version = 'nb-1') OR model_id = 'judge'")
        .contains("status = 'error' AND (error_retryable OR error_code IN ('MMF-2004'))");
    // a model or a predicate over results names rows of results only: no dead letters then
    assertThat(s.deadLettersQuery()).isNull();
    BackfillSelection outage = new BackfillSelection(null, null, null, null, true, List.of(), null);
    assertThat(outage.deadLettersQuery())
        .startsWith(
            "SELECT DISTINCT source_uri FROM dead_letters d WHERE source_uri IS NOT NULL"
                + " AND (retryable) AND NOT EXISTS (SELECT 1 FROM results r");
    assertThat(new BackfillSelection(null, null, null, null, false, null, null).everything())
        .isTrue();
  }

  @Test
  void quotesAreEscapedAndBadCodesOrRangesRefused() {
    assertThat(
            new BackfillSelection(null, null, null, List.of("it's"), false, null, null)
                .resultsQuery())
        .contains("model_id = 'it''s'");
    assertThatThrownBy(
            () -> new BackfillSelection(null, null, null, null, false, List.of("2004"), null))
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining("MMF-nnnn");
    Instant t = Instant.parse("2026-12-04T00:00:00Z");
    assertThatThrownBy(() -> new BackfillSelection(null, t, t, null, false, null, null))
        .hasMessageContaining("is not before");
  }

  @Test
  void aSelectionSurvivesItsJsonInTheStore() {
    BackfillSelection s =
        new BackfillSelection(
            "s3://b/p/",
            Instant.parse("2026-12-04T00:00:00Z"),
            null,
            List.of("m@1"),
            true,
            List.of("MMF-2001"),
            "confidence < 0.5");
    assertThat(Json.read(Json.write(s), BackfillSelection.class)).isEqualTo(s);
  }
}

package io.mmflow.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.MmflowConfig;
import io.mmflow.datasets.documents.SampleDocuments;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval corpus} over the project's sample documents and bad inputs: every file ends as
 * results or as a dead letter, none is lost, the job does not fail, and the report ends with its
 * RESULT line. (The real-world corpus is fetched by datasets/corpus/fetch-debian-docs.sh; its
 * figures are in docs/benchmarks.md.)
 */
class CorpusEvaluationITCase {
  @Test
  void everyFileEndsAsResultsOrADeadLetter(@TempDir Path dir) throws Exception {
    Path docs = dir.resolve("docs");
    SampleDocuments.generate(docs);
    CorpusEvaluation.Report r =
        CorpusEvaluation.run(
            docs,
            MmflowConfig.load(Map.of(), Map.of("mmflow.runtime.data-dir", dir.toString())),
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(r.jobFailures()).as(r.failure()).isZero();
    assertThat(r.lost()).isZero();
    assertThat(r.done() + r.deadLettered()).isEqualTo(r.files());
    assertThat(r.deadLettered()).isPositive(); // the bad inputs
    assertThat(r.byType()).containsKey("application/pdf");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CorpusEvaluation.print(r, new PrintStream(out, true));
    assertThat(out.toString())
        .containsPattern(
            "RESULT eval=corpus files=\\d+ done=\\d+ dead_letters=\\d+ job_failures=0 lost=0");
  }
}

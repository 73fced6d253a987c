package io.mmflow.jobs.documents;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.source.file.FileMediaSource;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.jobs.runtime.JobSinks;
import io.mmflow.jobs.runtime.MmflowJob;
import io.mmflow.jobs.runtime.SubmitMain;
import io.mmflow.model.tika.ExtractionSettings;
import io.mmflow.model.tika.TikaExtractor;
import io.mmflow.operators.DeadLetters;
import io.mmflow.operators.preprocess.document.ExtractDocumentText;
import io.mmflow.operators.validate.ValidateMedia;
import io.mmflow.operators.validate.ValidationRules;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The bounded documents job: every file under a folder → one MediaItem (bytes, SHA-256) →
 * validation (size, type detected from the bytes) → Tika text extraction → results in Iceberg and
 * Postgres; every rejected file → one dead letter with its code.
 */
public final class DocumentsJob implements MmflowJob {
  public static final String NAME = "documents";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "bulk documents: extract the text of every file under --input into the results tables";
  }

  @Override
  public void validate(Configuration config) {
    FileMediaSource.fromConfig(config);
    ExtractionSettings.from(config);
  }

  @Override
  public void build(
      StreamExecutionEnvironment env, Configuration config, PostgresConnection postgres) {
    DataStream<MediaItem> items =
        env.fromSource(
                FileMediaSource.fromConfig(config), WatermarkStrategy.noWatermarks(), "files")
            .uid("source-files");

    ValidationRules rules =
        new ValidationRules(
            config.get(SourceOptions.MAX_BYTES).getBytes(), TikaExtractor.TEXT_LAYER_TYPES, NAME);
    SingleOutputStreamOperator<MediaItem> valid =
        items.process(new ValidateMedia(rules)).name("validate").uid("validate");

    SingleOutputStreamOperator<ModalityResult> results =
        valid
            .process(new ExtractDocumentText(ExtractionSettings.from(config)))
            .name("extract text (Tika)")
            .uid("extract-text");

    DataStream<DeadLetter> deadLetters =
        valid.getSideOutput(DeadLetters.TAG).union(results.getSideOutput(DeadLetters.TAG));

    JobSinks.attach(results, deadLetters, config, postgres);
  }

  /** Entry point for {@code flink run mmflow-jobs-*-job.jar [--input DIR] [--config FILE]}. */
  public static void main(String[] args) throws Exception {
    SubmitMain.run(new DocumentsJob(), args);
  }
}

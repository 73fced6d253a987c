package io.mmflow.jobs.documents;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.source.MediaSources;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.jobs.pipeline.JobSinks;
import io.mmflow.jobs.pipeline.PartPipeline;
import io.mmflow.jobs.runtime.MmflowJob;
import io.mmflow.jobs.runtime.SubmitMain;
import io.mmflow.operators.validate.ValidateMedia;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The bounded documents job: every file under a folder (or bucket prefix) → one MediaItem (bytes,
 * SHA-256) → validation (size, type detected from the bytes) → either
 *
 * <ul>
 *   <li>PDFs and images: pages, each from its text layer or through OCR preprocessing and
 *       Tesseract, with page results and a document result; or
 *   <li>other text-layer formats (Office, ODF, RTF, HTML, text, e-mail): Tika text extraction;
 *   <li>audio (WAV, FLAC, AIFF, AU), when {@code mmflow.models.speech} names a model: decoding,
 *       resampling, voice-activity segments and CTC speech-to-text on ONNX Runtime;
 * </ul>
 *
 * → the sentiment of each document's text and each transcript, and the labels or embedding of each
 * image when {@code mmflow.models.image} names a model (a registry model on ONNX Runtime,
 * micro-batched) → results in Iceberg and Postgres; every rejected file → one dead letter with its
 * code.
 */
public final class DocumentsJob implements MmflowJob {
  public static final String NAME = "documents";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "bulk documents: text of every file under --input, OCR for scans and images";
  }

  @Override
  public void validate(Configuration config) {
    MediaSources.check(config);
    PartPipeline.check(config);
  }

  @Override
  public void build(
      StreamExecutionEnvironment env, Configuration config, PostgresConnection postgres) {
    PartPipeline.Streams streams = pipeline(env, config);
    JobSinks.attach(streams.results(), streams.deadLetters(), config, postgres);
  }

  /** The pipeline from the files to results and dead letters. */
  public static PartPipeline.Streams pipeline(
      StreamExecutionEnvironment env, Configuration config) {
    return pipeline(env, config, MediaSources.fromConfig(config));
  }

  /** The pipeline from {@code source}'s items to results and dead letters. */
  public static PartPipeline.Streams pipeline(
      StreamExecutionEnvironment env, Configuration config, Source<MediaItem, ?, ?> source) {
    return pipeline(
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "media").uid("source-media"),
        config);
  }

  /** The pipeline from {@code items} (one source's, or several's union) on. */
  public static PartPipeline.Streams pipeline(DataStream<MediaItem> items, Configuration config) {
    SingleOutputStreamOperator<MediaItem> valid =
        items
            .process(new ValidateMedia(PartPipeline.rules(config, NAME)))
            .name("validate")
            .uid("validate");
    return PartPipeline.analyse(
        List.of(valid),
        valid.getSideOutput(DeadLetters.TAG),
        config,
        PartPipeline.Flavour.DOCUMENTS);
  }

  /** Entry point for {@code flink run mmflow-jobs-*-job.jar [--input DIR] [--config FILE]}. */
  public static void main(String[] args) throws Exception {
    SubmitMain.run(new DocumentsJob(), args);
  }
}

package io.mmflow.jobs.documents;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.source.MediaSources;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.JobSinks;
import io.mmflow.jobs.runtime.MmflowJob;
import io.mmflow.jobs.runtime.SubmitMain;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.model.tika.ExtractionSettings;
import io.mmflow.model.tika.TikaExtractor;
import io.mmflow.operators.DeadLetters;
import io.mmflow.operators.infer.local.ItemResults;
import io.mmflow.operators.infer.local.LocalInference;
import io.mmflow.operators.infer.local.TextClassification;
import io.mmflow.operators.infer.ocr.PageOcr;
import io.mmflow.operators.infer.ocr.PageTextExtraction;
import io.mmflow.operators.infer.remote.RemoteStages;
import io.mmflow.operators.preprocess.audio.AudioDecoder;
import io.mmflow.operators.preprocess.document.ExtractDocumentText;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessingOptions;
import io.mmflow.operators.preprocess.page.PageLimits;
import io.mmflow.operators.validate.ValidateMedia;
import io.mmflow.operators.validate.ValidationRules;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

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

  /** The job's result and dead-letter streams, before any sink. */
  public record Streams(DataStream<ModalityResult> results, DataStream<DeadLetter> deadLetters) {}

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
    ExtractionSettings.from(config);
    PageLimits.from(config);
    OcrPreprocessingOptions.from(config);
    if (config.get(OcrOptions.ENABLED)) {
      OcrSettings.from(config).requireData();
    }
    LocalInference.check(config);
    RemoteStages.check(config);
  }

  @Override
  public void build(
      StreamExecutionEnvironment env, Configuration config, PostgresConnection postgres) {
    Streams streams = pipeline(env, config);
    JobSinks.attach(streams.results(), streams.deadLetters(), config, postgres);
  }

  /** The pipeline from the files to results and dead letters. */
  public static Streams pipeline(StreamExecutionEnvironment env, Configuration config) {
    DataStream<MediaItem> items =
        env.fromSource(MediaSources.fromConfig(config), WatermarkStrategy.noWatermarks(), "media")
            .uid("source-media");

    Set<String> accepted = new HashSet<>(TikaExtractor.TEXT_LAYER_TYPES);
    accepted.addAll(ImagePages.TYPES);
    boolean speech = LocalInference.speechModel(config) != null;
    boolean remoteSpeech =
        config.get(RemoteOptions.AUDIO_TRANSCRIPTION)
            && !config.get(RemoteOptions.PROVIDERS).isBlank();
    if (speech || remoteSpeech) {
      accepted.addAll(AudioDecoder.MEDIA_TYPES);
    }
    ValidationRules rules =
        new ValidationRules(config.get(SourceOptions.MAX_BYTES).getBytes(), accepted, NAME);
    SingleOutputStreamOperator<MediaItem> valid =
        items.process(new ValidateMedia(rules)).name("validate").uid("validate");

    SingleOutputStreamOperator<ModalityResult> pages =
        valid
            .filter(item -> PageTextExtraction.handles(item.mediaType()))
            .name("PDFs and images")
            .uid("route-pages")
            .process(
                new PageTextExtraction(
                    PageLimits.from(config),
                    OcrSettings.from(config),
                    OcrPreprocessingOptions.from(config),
                    config.get(OcrOptions.ENABLED)))
            .name("pages: text layer or OCR (Tesseract)")
            .uid("extract-pages");

    SingleOutputStreamOperator<ModalityResult> documents =
        valid
            .filter(
                item ->
                    !PageTextExtraction.handles(item.mediaType())
                        && !AudioDecoder.MEDIA_TYPES.contains(item.mediaType()))
            .name("other documents")
            .uid("route-documents")
            .process(
                new ExtractDocumentText(
                    ExtractionSettings.from(config),
                    config.get(OcrOptions.ENABLED)
                        ? new PageOcr(
                            OcrSettings.from(config), OcrPreprocessingOptions.from(config))
                        : null,
                    PageLimits.from(config),
                    config.get(OcrOptions.EMBEDDED_MIN_PIXELS)))
            .name("extract text (Tika)")
            .uid("extract-text");

    DataStream<DeadLetter> deadLetters =
        valid
            .getSideOutput(DeadLetters.TAG)
            .union(pages.getSideOutput(DeadLetters.TAG), documents.getSideOutput(DeadLetters.TAG));
    DataStream<ModalityResult> extracted = pages.union(documents);
    DataStream<MediaItem> audio =
        valid
            .filter(item -> AudioDecoder.MEDIA_TYPES.contains(item.mediaType()))
            .name("audio")
            .uid("route-audio");
    if (speech) {
      SingleOutputStreamOperator<ModalityResult> transcripts = LocalInference.speech(audio, config);
      extracted = extracted.union(transcripts);
      deadLetters = deadLetters.union(transcripts.getSideOutput(DeadLetters.TAG));
    }
    if (remoteSpeech) {
      SingleOutputStreamOperator<ModalityResult> remote = RemoteStages.transcripts(audio, config);
      if (!speech) {
        // the remote transcript is the audio file's only result: account for the item here
        remote =
            remote
                .process(new ItemResults(LocalInference.SPEECH_STAGE))
                .name("remote transcripts or dead letters")
                .uid("remote-speech-outcomes");
        deadLetters = deadLetters.union(remote.getSideOutput(DeadLetters.TAG));
      }
      extracted = extracted.union(remote);
    }
    DataStream<MediaItem> images =
        valid
            .filter(item -> ImagePages.TYPES.contains(item.mediaType()))
            .name("images")
            .uid("route-images");
    SingleOutputStreamOperator<ModalityResult> captions = RemoteStages.captions(images, config);
    SingleOutputStreamOperator<ModalityResult> imageResults = LocalInference.images(images, config);
    DataStream<ModalityResult> texts =
        extracted
            .filter(
                r ->
                    (r.task() == Task.EXTRACTION || r.task() == Task.TRANSCRIPTION)
                        && r.partId().equals("0"))
            .filter(TextClassification::hasText)
            .name("documents with text")
            .uid("route-sentiment");
    SingleOutputStreamOperator<ModalityResult> sentiment = LocalInference.sentiment(texts, config);
    SingleOutputStreamOperator<ModalityResult> remoteText = RemoteStages.text(texts, config);
    if (imageResults != null) {
      extracted = extracted.union(imageResults);
    }
    if (captions != null) {
      extracted = extracted.union(captions);
    }
    if (remoteText != null) {
      extracted = extracted.union(remoteText);
    }
    return new Streams(sentiment == null ? extracted : extracted.union(sentiment), deadLetters);
  }

  /**
   * Runs the pipeline over {@code input} on a local MiniCluster without sinks and hands back its
   * results as they come: what {@code eval} and {@code bench} measure.
   */
  public static CloseableIterator<ModalityResult> collectLocally(
      Path input, Configuration base, String jobName) throws Exception {
    Configuration config = new Configuration(base);
    config.set(SourceOptions.PATH, input.toAbsolutePath().toString());
    config.set(IcebergOptions.ENABLED, false);
    config.set(PostgresOptions.ENABLED, false);
    config.set(ModelOptions.SENTIMENT, ""); // eval and bench ocr measure extraction alone
    config.set(RemoteOptions.PROVIDERS, "");
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            config.get(RuntimeOptions.PARALLELISM), JobEnvironment.flinkConfiguration(config));
    env.getConfig().enableObjectReuse();
    return pipeline(env, config).results().executeAndCollect(jobName);
  }

  /** Entry point for {@code flink run mmflow-jobs-*-job.jar [--input DIR] [--config FILE]}. */
  public static void main(String[] args) throws Exception {
    SubmitMain.run(new DocumentsJob(), args);
  }
}

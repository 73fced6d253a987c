package io.mmflow.jobs.pipeline;

import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.model.tika.ExtractionSettings;
import io.mmflow.operators.infer.extract.ExtractDocumentText;
import io.mmflow.operators.infer.extract.TextParts;
import io.mmflow.operators.infer.local.ItemResults;
import io.mmflow.operators.infer.local.LocalInference;
import io.mmflow.operators.infer.local.TextClassification;
import io.mmflow.operators.infer.ocr.PageOcr;
import io.mmflow.operators.infer.ocr.PageTextExtraction;
import io.mmflow.operators.infer.remote.RemoteStages;
import io.mmflow.operators.preprocess.audio.AudioDecoder;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessingOptions;
import io.mmflow.operators.preprocess.page.PageLimits;
import io.mmflow.operators.route.PartRoutes;
import io.mmflow.operators.validate.ValidationRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The per-part analysis both jobs share, from validated media items to results: PDFs and images
 * through text layers or OCR, other documents through Tika, audio through speech-to-text, images
 * through an image model, remote providers where configured, and the sentiment of every item's
 * text. Every item ends as results or dead letters.
 *
 * <p>In the {@link Flavour#FEED feed} flavour, plain-text parts (posts, messages) skip the document
 * parser ({@link TextParts}); their sentiment is their result. The results of image parts count as
 * the image modality, so that fusion sees what each part of an event said.
 */
public final class PartPipeline {
  /** Which job the pipeline runs in. */
  public enum Flavour {
    /** Files and objects: every input is a document. */
    DOCUMENTS,
    /** Feed events: parts are texts, images, audio clips and documents. */
    FEED
  }

  /** Results and dead letters of a pipeline, before any sink. */
  public record Streams(DataStream<ModalityResult> results, DataStream<DeadLetter> deadLetters) {}

  private PartPipeline() {}

  /** The validation rules of a job: the size limit and the media types some stage handles. */
  public static ValidationRules rules(Configuration config, String jobName) {
    Set<String> accepted = new HashSet<>(PartRoutes.DOCUMENT_TYPES);
    if (speech(config) || remoteSpeech(config)) {
      accepted.addAll(AudioDecoder.MEDIA_TYPES);
    }
    return new ValidationRules(config.get(SourceOptions.MAX_BYTES).getBytes(), accepted, jobName);
  }

  /** Checks the settings of every stage, before the job starts. */
  public static void check(Configuration config) {
    ExtractionSettings.from(config);
    PageLimits.from(config);
    OcrPreprocessingOptions.from(config);
    if (config.get(OcrOptions.ENABLED)) {
      OcrSettings.from(config).requireData();
    }
    LocalInference.check(config);
    RemoteStages.check(config);
  }

  /**
   * The analysis of validated items.
   *
   * @param valid items that passed validation (their media type detected from the bytes), from one
   *     or more streams: each is routed on its own, so that the router, the text parts and (in a
   *     feed) their sentiment chain to the stage before (a union in front of an operator keeps
   *     Flink from chaining it: every item would cross to another task)
   * @param rejected dead letters of the stages before (validation)
   * @param flavour which job this is
   */
  public static Streams analyse(
      List<DataStream<MediaItem>> valid,
      DataStream<DeadLetter> rejected,
      Configuration config,
      Flavour flavour) {
    boolean feed = flavour == Flavour.FEED;
    boolean speech = speech(config);
    boolean remoteSpeech = remoteSpeech(config);

    // The heavy stages (OCR, document parsing, speech, image models) read their parts over the
    // network, each in its own threads and spread evenly (rebalance): chained to the router, a
    // page's OCR would hold up the cheap text parts routed after it. In a feed, that is what
    // matters. The documents job is about throughput instead: there pages and OCR chain to the
    // source, which then asks for its next file only when its last one is done (the source's
    // splits are files, handed out on request): pull instead of round-robin, so no subtask waits
    // on another's long page at the end, and no page image is serialized between threads.
    List<SingleOutputStreamOperator<MediaItem>> routed = new ArrayList<>();
    for (int i = 0; i < valid.size(); i++) {
      routed.add(
          valid
              .get(i)
              .process(new PartRoutes(feed))
              .name("route parts by type")
              .uid(uid("route-parts", i)));
    }
    DataStream<MediaItem> pageParts = side(routed, PartRoutes.PAGES);
    SingleOutputStreamOperator<ModalityResult> pages =
        (feed ? pageParts.rebalance() : pageParts)
            .process(pageTextExtraction(config, feed))
            .name("pages: text layer or OCR (Tesseract)")
            .uid("extract-pages");

    SingleOutputStreamOperator<ModalityResult> documents =
        side(routed, PartRoutes.DOCUMENTS)
            .rebalance()
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
        rejected.union(
            pages.getSideOutput(DeadLetters.TAG), documents.getSideOutput(DeadLetters.TAG));
    // the results of each extracting stage, by stage: their union is the extracted results
    Map<String, DataStream<ModalityResult>> extractedBy = new LinkedHashMap<>();
    extractedBy.put(
        "pages",
        feed
            ? pages.map(PartRoutes::imageModality).name("part modality").uid("part-modality")
            : pages);
    extractedBy.put("documents", documents);
    DataStream<MediaItem> audio = side(routed, PartRoutes.AUDIO).rebalance();
    if (speech) {
      SingleOutputStreamOperator<ModalityResult> transcripts = LocalInference.speech(audio, config);
      extractedBy.put("speech", transcripts);
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
      extractedBy.put("remote-speech", remote);
    }
    DataStream<MediaItem> images = side(routed, PartRoutes.IMAGES).rebalance();
    SingleOutputStreamOperator<ModalityResult> captions = RemoteStages.captions(images, config);
    SingleOutputStreamOperator<ModalityResult> imageResults = LocalInference.images(images, config);
    // Item texts are picked from each stage's results in the stage's own thread (a filter per
    // stage chains to it), so only they, not every page with its words, cross to the text models.
    List<DataStream<ModalityResult>> itemTexts = new ArrayList<>();
    extractedBy.forEach(
        (stage, extracted) ->
            itemTexts.add(
                extracted
                    .filter(r -> PartRoutes.isItemText(r) && TextClassification.hasText(r))
                    .name("texts of items")
                    .uid("route-sentiment-" + stage)));
    DataStream<ModalityResult> texts = union(itemTexts);

    DataStream<ModalityResult> results = union(List.copyOf(extractedBy.values()));
    DataStream<ModalityResult> sentiment;
    SingleOutputStreamOperator<ModalityResult> remoteText;
    if (feed) {
      // Plain-text parts: their sentiment is their result (without a text model: their text).
      // Each router's text parts have a sentiment stage of their own, chained to the router: one
      // stage reading them all as a union would take every text to another task over the network
      // (Flink chains no operator with more than one input). The texts of extracted items have one
      // more. A failed sentiment of a text part is a dead letter, counted once by ItemResults.
      List<SingleOutputStreamOperator<ModalityResult>> outcomes = new ArrayList<>();
      List<DataStream<ModalityResult>> allTexts = new ArrayList<>(List.of(texts));
      for (int i = 0; i < routed.size(); i++) {
        SingleOutputStreamOperator<ModalityResult> parts =
            routed
                .get(i)
                .getSideOutput(PartRoutes.TEXTS)
                .process(new TextParts())
                .name("text parts: UTF-8, NFKC")
                .uid(uid("text-parts", i));
        deadLetters = deadLetters.union(parts.getSideOutput(DeadLetters.TAG));
        allTexts.add(parts);
        SingleOutputStreamOperator<ModalityResult> model =
            LocalInference.sentiment(parts, config, false, uid("infer-sentiment", i));
        outcomes.add(
            (model == null
                    ? parts.process(new ItemResults(TextParts.STAGE))
                    : model.process(ItemResults.forModality(TextParts.STAGE, Modality.TEXT)))
                .name("text part results or dead letters")
                .uid(uid("text-part-outcomes", i)));
      }
      SingleOutputStreamOperator<ModalityResult> extractedSentiment =
          LocalInference.sentiment(texts, config, false, "infer-sentiment-extracted");
      if (extractedSentiment != null) {
        outcomes.add(
            extractedSentiment
                .process(ItemResults.forModality(TextParts.STAGE, Modality.TEXT))
                .name("sentiment of extracted texts: results or dead letters")
                .uid("extracted-text-outcomes"));
      }
      for (SingleOutputStreamOperator<ModalityResult> o : outcomes) {
        deadLetters = deadLetters.union(o.getSideOutput(DeadLetters.TAG));
      }
      sentiment = union(outcomes);
      remoteText = RemoteStages.text(union(allTexts), config);
    } else {
      sentiment = LocalInference.sentiment(texts, config);
      remoteText = RemoteStages.text(texts, config);
    }
    if (imageResults != null) {
      results = results.union(imageResults);
    }
    if (captions != null) {
      results = results.union(captions);
    }
    if (remoteText != null) {
      results = results.union(remoteText);
    }
    if (sentiment != null) {
      results = results.union(sentiment);
    }
    // The results are a union of several stages; each consumer of a union reads every input over
    // the network (the sinks and fusion: three copies of each result, serialized three times).
    // One pass-through operator makes the consumers chain to it: one copy.
    SingleOutputStreamOperator<ModalityResult> all =
        results.map(r -> r).returns(ModalityResult.class).name("results").uid("results");
    return new Streams(all, deadLetters);
  }

  /** The uid of the {@code i}-th copy of a per-input operator: the first keeps the plain uid. */
  private static String uid(String base, int i) {
    return i == 0 ? base : base + "-" + (i + 1);
  }

  /** One side output of every router, together. */
  private static DataStream<MediaItem> side(
      List<SingleOutputStreamOperator<MediaItem>> routed, OutputTag<MediaItem> tag) {
    return union(routed.stream().<DataStream<MediaItem>>map(r -> r.getSideOutput(tag)).toList());
  }

  private static <T> DataStream<T> union(List<? extends DataStream<T>> streams) {
    DataStream<T> all = streams.get(0);
    for (DataStream<T> next : streams.subList(1, streams.size())) {
      all = all.union(next);
    }
    return all;
  }

  /**
   * Pages and OCR; a feed's images without text are results (photos), a document's dead letters.
   */
  private static PageTextExtraction pageTextExtraction(Configuration config, boolean feed) {
    PageTextExtraction pages =
        new PageTextExtraction(
            PageLimits.from(config),
            OcrSettings.from(config),
            OcrPreprocessingOptions.from(config),
            config.get(OcrOptions.ENABLED));
    return feed ? pages.emptyImagesAreResults() : pages;
  }

  private static boolean speech(Configuration config) {
    return LocalInference.speechModel(config) != null;
  }

  private static boolean remoteSpeech(Configuration config) {
    return config.get(RemoteOptions.AUDIO_TRANSCRIPTION)
        && !config.get(RemoteOptions.PROVIDERS).isBlank();
  }
}

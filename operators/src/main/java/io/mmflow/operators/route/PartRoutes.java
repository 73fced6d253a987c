package io.mmflow.operators.route;

import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.model.tika.TikaExtractor;
import io.mmflow.operators.infer.ocr.PageTextExtraction;
import io.mmflow.operators.preprocess.audio.AudioDecoder;
import io.mmflow.operators.preprocess.image.ImagePages;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each validated part to the stages that handle its media type, as side outputs of one
 * operator: PDFs and images to pages (text layer or OCR), audio to speech-to-text, a feed's plain
 * texts to the text parts, everything else to the document parser; images also to the image models.
 * One operator instead of a filter per stage, each of which read every part over the network (five
 * copies of each part: after language detection the largest cost in a profile of {@code bin/mmflow
 * bench stream}). The cheap text parts stay in the router's thread; each heavy stage reads only its
 * own parts ({@code jobs/pipeline/PartPipeline} wires them).
 *
 * <p>The other decisions made by media type or part live here too: which results are the text of a
 * whole item (the text models classify each item once) and which count as the image modality.
 */
public final class PartRoutes extends ProcessFunction<MediaItem, MediaItem> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<MediaItem> PAGES = tag("pages");
  public static final OutputTag<MediaItem> DOCUMENTS = tag("documents");
  public static final OutputTag<MediaItem> AUDIO = tag("audio");
  public static final OutputTag<MediaItem> IMAGES = tag("images");
  public static final OutputTag<MediaItem> TEXTS = tag("text-parts");

  /**
   * The media types a documents pipeline reads: PDFs and images (pages) and the documents Tika has
   * a text-layer parser for. Audio is read where a speech model is configured.
   */
  public static final Set<String> DOCUMENT_TYPES = documentTypes();

  private final boolean feed;

  /**
   * @param feed whether plain-text parts are posts (the feed job: routed to {@link #TEXTS}) or
   *     documents (the documents job: parsed like any other file)
   */
  public PartRoutes(boolean feed) {
    this.feed = feed;
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<MediaItem> out) {
    String type = item.mediaType();
    if (PageTextExtraction.handles(type)) {
      ctx.output(PAGES, item);
    } else if (AudioDecoder.MEDIA_TYPES.contains(type)) {
      ctx.output(AUDIO, item);
    } else if (feed && isPlainText(item)) {
      ctx.output(TEXTS, item);
    } else {
      ctx.output(DOCUMENTS, item);
    }
    if (ImagePages.TYPES.contains(type)) {
      ctx.output(IMAGES, item);
    }
  }

  /** Whether an item is a plain-text part of a feed event. */
  public static boolean isPlainText(MediaItem item) {
    return "text/plain".equals(item.mediaType());
  }

  /**
   * Whether a result is the text of a whole item or part (a document, a transcript), not of one of
   * its pages or embedded images: the text models classify each item once.
   */
  public static boolean isItemText(ModalityResult r) {
    return (r.task() == Task.EXTRACTION || r.task() == Task.TRANSCRIPTION)
        && !r.attributes().containsKey(AttributeKeys.PAGE_NUMBER)
        && !r.attributes().containsKey(AttributeKeys.EMBEDDED_IMAGE);
  }

  /** Results of an image's pages and OCR count as the image modality. */
  public static ModalityResult imageModality(ModalityResult r) {
    String type = r.attributes().get(AttributeKeys.MEDIA_TYPE);
    return type != null && type.startsWith("image/") ? r.withModality(Modality.IMAGE) : r;
  }

  private static Set<String> documentTypes() {
    Set<String> types = new HashSet<>(TikaExtractor.TEXT_LAYER_TYPES);
    types.addAll(ImagePages.TYPES);
    return Set.copyOf(types);
  }

  private static OutputTag<MediaItem> tag(String name) {
    return new OutputTag<>("route-" + name, TypeInformation.of(MediaItem.class));
  }
}

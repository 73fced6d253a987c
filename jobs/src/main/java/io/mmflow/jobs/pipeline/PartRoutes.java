package io.mmflow.jobs.pipeline;

import io.mmflow.core.model.MediaItem;
import io.mmflow.operators.infer.ocr.PageTextExtraction;
import io.mmflow.operators.preprocess.audio.AudioDecoder;
import io.mmflow.operators.preprocess.image.ImagePages;
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
 * own parts (see {@link PartPipeline}).
 */
final class PartRoutes extends ProcessFunction<MediaItem, MediaItem> {
  private static final long serialVersionUID = 1L;

  static final OutputTag<MediaItem> PAGES = tag("pages");
  static final OutputTag<MediaItem> DOCUMENTS = tag("documents");
  static final OutputTag<MediaItem> AUDIO = tag("audio");
  static final OutputTag<MediaItem> IMAGES = tag("images");
  static final OutputTag<MediaItem> TEXTS = tag("text-parts");

  private final boolean feed;

  /**
   * @param feed whether plain-text parts are posts (the feed job: routed to {@link #TEXTS}) or
   *     documents (the documents job: parsed like any other file)
   */
  PartRoutes(boolean feed) {
    this.feed = feed;
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<MediaItem> out) {
    String type = item.mediaType();
    if (PageTextExtraction.handles(type)) {
      ctx.output(PAGES, item);
    } else if (AudioDecoder.MEDIA_TYPES.contains(type)) {
      ctx.output(AUDIO, item);
    } else if (feed && PartPipeline.isPlainText(item)) {
      ctx.output(TEXTS, item);
    } else {
      ctx.output(DOCUMENTS, item);
    }
    if (ImagePages.TYPES.contains(type)) {
      ctx.output(IMAGES, item);
    }
  }

  private static OutputTag<MediaItem> tag(String name) {
    return new OutputTag<>("route-" + name, TypeInformation.of(MediaItem.class));
  }
}

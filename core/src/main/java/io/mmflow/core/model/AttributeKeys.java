package io.mmflow.core.model;

/**
 * Keys of {@link ModalityResult#attributes()} that code reads back: the job graph routes results by
 * them (a page's or an embedded image's result is not a document's text), and dead letters take the
 * media type and size from them. Keys that are only written for people (parser facts, timings) stay
 * where they are written. docs/schema.md lists every key.
 */
public final class AttributeKeys {
  /** The media type detected from the part's bytes. */
  public static final String MEDIA_TYPE = "media_type";

  /** The part's size in bytes. */
  public static final String SIZE_BYTES = "size_bytes";

  /** 1-based page number: set on the results of one page of a PDF or multi-page image. */
  public static final String PAGE_NUMBER = "page_number";

  /** Set on the results of an image embedded in a document: the image's name in the document. */
  public static final String EMBEDDED_IMAGE = "embedded_image";

  /** Where a page's text came from: {@code text_layer}, {@code ocr} or {@code none}. */
  public static final String PAGE_SOURCE = "page_source";

  /** Whether the text was cut (to a write limit or a model's token budget). */
  public static final String TRUNCATED = "truncated";

  /** Characters of the text a result holds. */
  public static final String CHARACTERS = "characters";

  /** Prefix of the input item's own attributes (file or object metadata, Kafka coordinates). */
  public static final String SOURCE_PREFIX = "source.";

  private AttributeKeys() {}
}

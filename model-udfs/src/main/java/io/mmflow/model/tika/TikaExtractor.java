package io.mmflow.model.tika;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.util.Threads;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.ModelRuntime;
import io.mmflow.model.text.LanguageIdentifier;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.tika.Tika;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Office;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.Property;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.AutoDetectParserConfig;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;

/**
 * Extracts the text layer of documents with Apache Tika, with Tika's limits on: a write limit
 * (longer text is cut and flagged), its zip-bomb guard (compression ratio, XML depth, package
 * depth), and a parse timeout.
 *
 * <p>A parse that overruns its timeout is abandoned: its thread is interrupted and left to finish
 * on its own, since Java cannot kill a thread. Parses run on daemon threads so a stuck one never
 * blocks shutdown. Not thread-safe (the language detector holds state): one per task slot.
 */
public final class TikaExtractor implements ModelRuntime<TikaExtractor.Input, Extraction> {
  /** Media types whose text layer this extractor reads (the documents job's accepted set). */
  public static final Set<String> TEXT_LAYER_TYPES =
      Set.of(
          "application/pdf",
          "application/msword",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "application/vnd.ms-word.document.macroenabled.12",
          "application/vnd.ms-powerpoint",
          "application/vnd.openxmlformats-officedocument.presentationml.presentation",
          "application/vnd.ms-excel",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "application/vnd.oasis.opendocument.text",
          "application/vnd.oasis.opendocument.spreadsheet",
          "application/vnd.oasis.opendocument.presentation",
          "application/rtf",
          "text/plain",
          "text/html",
          "application/xhtml+xml",
          "text/csv",
          "text/markdown",
          "message/rfc822",
          "application/epub+zip");

  private static final Pattern BLANK_LINES = Pattern.compile("\\n(?:[ \\t\\x0B\\f\\r]*\\n)+");
  private static final Pattern TRAILING_SPACE = Pattern.compile("[ \\t]+\\n");

  /** What to parse: the bytes, and the detected type as a hint. */
  public record Input(byte[] content, String mediaType) {
    public Input {
      requireNonNull(content, "content is null");
    }
  }

  private final ExtractionSettings settings;
  private final AutoDetectParser parser;
  private final ExecutorService parseThreads;
  private final LanguageIdentifier languages;
  private final ModelInfo info;
  private final MediaTypeDetector detector = new MediaTypeDetector();

  /** Embedded images larger than this are not kept (a page scan at 600 DPI fits). */
  static final int MAX_EMBEDDED_IMAGE_BYTES = 32 << 20;

  public TikaExtractor(ExtractionSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
    AutoDetectParserConfig guard = new AutoDetectParserConfig();
    guard.setOutputThreshold(settings.bombOutputThreshold());
    guard.setMaximumCompressionRatio(settings.maxCompressionRatio());
    guard.setMaximumDepth(settings.maxDepth());
    guard.setMaximumPackageEntryDepth(settings.maxPackageDepth());
    this.parser = new AutoDetectParser();
    this.parser.setAutoDetectParserConfig(guard);
    this.parseThreads = Executors.newCachedThreadPool(Threads.daemon("mmflow-tika-parse"));
    this.languages = settings.detectLanguage() ? new LanguageIdentifier() : null;
    this.info = new ModelInfo("apache-tika", "tika-auto-detect-parser", tikaVersion());
  }

  /** Whether this extractor reads the text layer of {@code mediaType}. */
  public static boolean supports(String mediaType) {
    return mediaType != null && TEXT_LAYER_TYPES.contains(mediaType.toLowerCase(Locale.ROOT));
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /**
   * Extracts the text of one document.
   *
   * @throws MmflowException with {@link ErrorCode#CORRUPT_INPUT}, {@link
   *     ErrorCode#ENCRYPTED_INPUT}, {@link ErrorCode#COMPRESSION_BOMB}, {@link
   *     ErrorCode#PARSE_TIMEOUT}, {@link ErrorCode#EMPTY_INPUT} or {@link
   *     ErrorCode#NO_CONTENT_EXTRACTED}
   */
  @Override
  public Extraction apply(Input input) {
    if (input.content().length == 0) {
      throw new MmflowException(ErrorCode.EMPTY_INPUT, "the document has 0 bytes");
    }
    Future<Extraction> parse = parseThreads.submit(() -> parse(input));
    try {
      return parse.get(settings.parseTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      parse.cancel(true);
      throw new MmflowException(
          ErrorCode.PARSE_TIMEOUT,
          "parsing " + input.mediaType() + " took longer than " + settings.parseTimeout());
    } catch (InterruptedException e) {
      parse.cancel(true);
      Thread.currentThread().interrupt();
      throw new MmflowException(ErrorCode.INTERNAL_ERROR, "interrupted while parsing", e);
    } catch (ExecutionException e) {
      throw classify(e.getCause(), input.mediaType());
    }
  }

  private Extraction parse(Input input) throws Exception {
    StringWriter text = new StringWriter();
    BodyContentHandler handler =
        new BodyContentHandler(new WriteOutContentHandler(text, settings.writeLimit()));
    Metadata metadata = new Metadata();
    if (input.mediaType() != null) {
      metadata.set(Metadata.CONTENT_TYPE, input.mediaType());
    }
    ParseContext context = new ParseContext();
    context.set(Parser.class, parser); // also parse embedded documents (mail attachments, OLE)
    List<EmbeddedImage> images = new ArrayList<>();
    ImageCollectingExtractor collector = null;
    if (settings.maxEmbeddedImages() > 0) {
      collector =
          new ImageCollectingExtractor(
              new ParsingEmbeddedDocumentExtractor(context),
              images,
              settings.maxEmbeddedImages(),
              MAX_EMBEDDED_IMAGE_BYTES,
              detector);
      context.set(EmbeddedDocumentExtractor.class, collector);
    }
    boolean truncated = false;
    try (TikaInputStream stream = TikaInputStream.get(input.content())) {
      parser.parse(stream, handler, metadata, context);
    } catch (org.xml.sax.SAXException e) {
      if (!WriteLimitReachedException.isWriteLimitReached(e)) {
        throw e;
      }
      truncated = true;
    }
    String body = tidy(text.toString());
    String parsedType = baseType(metadata.get(Metadata.CONTENT_TYPE), input.mediaType());
    Integer pages = firstInt(metadata, PagedText.N_PAGES, Office.PAGE_COUNT, Office.SLIDE_COUNT);
    String subject = metadata.get(TikaCoreProperties.SUBJECT);
    if (parsedType.equals("message/rfc822") && subject != null && !body.startsWith(subject)) {
      // a mail's subject is part of what it says; Tika keeps it in metadata only
      body = (subject.strip() + "\n\n" + body).strip();
    }
    if (body.isBlank() && images.isEmpty()) {
      throw new MmflowException(
          ErrorCode.NO_CONTENT_EXTRACTED,
          "no text layer found in "
              + parsedType
              + (pages == null ? "" : " (" + pages + " pages)")
              + "; scanned pages and images need OCR");
    }
    String language = null;
    Double languageScore = null;
    if (languages != null) {
      LanguageIdentifier.Detection d = languages.detect(body);
      if (d != null) {
        language = d.language();
        languageScore = d.score();
      }
    }
    Map<String, String> props = new LinkedHashMap<>();
    putIfPresent(props, "title", metadata.get(TikaCoreProperties.TITLE));
    putIfPresent(props, "author", metadata.get(TikaCoreProperties.CREATOR));
    putIfPresent(props, "created", metadata.get(TikaCoreProperties.CREATED));
    putIfPresent(props, "subject", metadata.get(TikaCoreProperties.SUBJECT));
    return new Extraction(
        body,
        parsedType,
        pages,
        truncated,
        language,
        languageScore,
        props,
        images,
        collector == null ? 0 : collector.skipped());
  }

  /** Maps what a parser threw to a coded error, looking through the cause chain. */
  static MmflowException classify(Throwable error, String mediaType) {
    if (error instanceof MmflowException coded) {
      return coded;
    }
    String type = mediaType == null ? "the document" : mediaType;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof ZeroByteFileException) {
        return new MmflowException(ErrorCode.EMPTY_INPUT, "the document has 0 bytes");
      }
      if (t instanceof EncryptedDocumentException
          || t.getClass().getSimpleName().contains("Encrypted")
          || message.toLowerCase(Locale.ROOT).contains("password")) {
        return new MmflowException(
            ErrorCode.ENCRYPTED_INPUT, type + " is encrypted or password protected");
      }
      if (message.toLowerCase(Locale.ROOT).contains("zip bomb")
          || t instanceof TikaMemoryLimitException) {
        return new MmflowException(
            ErrorCode.COMPRESSION_BOMB, type + " rejected by the zip-bomb guard: " + message);
      }
      if (t instanceof UnsupportedFormatException) {
        return new MmflowException(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE, type + " is not supported: " + message);
      }
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return new MmflowException(ErrorCode.CORRUPT_INPUT, "cannot parse " + type + ": " + why, error);
  }

  static String tidy(String raw) {
    String s = raw.replace("\r\n", "\n").replace('\u00a0', ' ');
    s = TRAILING_SPACE.matcher(s).replaceAll("\n");
    s = BLANK_LINES.matcher(s).replaceAll("\n\n");
    return s.strip();
  }

  private static String baseType(String parsed, String fallback) {
    String t = parsed == null ? fallback : parsed;
    if (t == null) {
      return "application/octet-stream";
    }
    int semi = t.indexOf(';');
    return (semi < 0 ? t : t.substring(0, semi)).trim();
  }

  private static Integer firstInt(Metadata metadata, Property... properties) {
    for (Property p : properties) {
      Integer v = metadata.getInt(p);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null && !value.isBlank()) {
      map.put(key, value.length() > 500 ? value.substring(0, 500) : value);
    }
  }

  private static String tikaVersion() {
    String s = new Tika().toString(); // "Apache Tika 3.3.1"
    return s.substring(s.lastIndexOf(' ') + 1);
  }

  @Override
  public void close() {
    parseThreads.shutdownNow();
  }
}

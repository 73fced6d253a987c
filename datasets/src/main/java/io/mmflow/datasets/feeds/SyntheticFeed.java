package io.mmflow.datasets.feeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmflow.core.serde.Json;
import io.mmflow.datasets.audio.SpokenSamples;
import io.mmflow.datasets.models.audio.ToneSpeech;
import io.mmflow.datasets.models.image.ColourImages;
import io.mmflow.datasets.models.sentiment.SentimentCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Synthetic feed events, as the JSON of docs/feeds.md, for load tests and demos. Deterministic: the
 * same settings and texts and the same sequence of calls give the same events, except {@code
 * event_time}, which the caller passes (a producer stamps "now").
 *
 * <p>Event {@code n} (counting from 0) has item id {@code item-<n>}. Consecutive items share a
 * correlation id {@code conversation-<k>}, 1 to {@link Settings#maxItemsPerConversation} items per
 * conversation. Each item carries a text part (a sentence of the sentiment corpus) with probability
 * {@link Mix#text}, an image part (a PNG of one sentence on a {@link ColourImages} background, as a
 * screenshot of a message: OCR reads it) with {@link Mix#image} and an audio part (a WAV of {@link
 * ToneSpeech}) with {@link Mix#audio}; an item that draws no part gets a text part, since an event
 * needs one. Images and audio are inline ({@code data_base64}) or, with a {@link
 * Settings#referenceBucket}, {@code s3://} references to objects the caller uploads first ({@link
 * #referencedObjects()}).
 *
 * <p>Images and clips come from small pools rendered once (so a high rate costs no rendering). Not
 * thread-safe: one generator per producing thread.
 */
public final class SyntheticFeed {
  /** Key prefix of the objects that {@code s3://} reference parts point to. */
  public static final String REFERENCE_PREFIX = "synthetic-feed/";

  /** Size of the generated images: one line of text, like a screenshot of a message. */
  public static final int IMAGE_WIDTH = 720;

  public static final int IMAGE_HEIGHT = 64;

  /** Sample rate of the generated audio clips. */
  public static final int AUDIO_SAMPLE_RATE = 16_000;

  private static final int IMAGE_POOL = 16;
  private static final String IMAGE_TYPE = "image/png";
  private static final String AUDIO_TYPE = "audio/vnd.wave";

  /** Used when no corpus is found; short, original, half positive and half negative. */
  private static final List<String> BUILT_IN =
      List.of(
          "The delivery was fast and the packaging was perfect.",
          "My screen cracked after two days and nobody answers my emails.",
          "Great value for the price, I would buy it again.",
          "The battery dies before lunch, very disappointing.",
          "Friendly staff and a clean, quiet room.",
          "I waited an hour on the phone and then the call dropped.",
          "Works exactly as described, setup took five minutes.",
          "The refund still has not arrived after three weeks.");

  /**
   * Fractions of items that carry each kind of part, each in [0, 1], drawn independently.
   *
   * @param text fraction with a text part
   * @param image fraction with an image part
   * @param audio fraction with an audio part
   */
  public record Mix(double text, double image, double audio) {
    /** Text only. */
    public static final Mix TEXT_ONLY = new Mix(1, 0, 0);

    public Mix {
      check("text", text);
      check("image", image);
      check("audio", audio);
    }

    /**
     * Parses {@code text=1,image=0.1,audio=0.05}; kinds left out are 0, except {@code text}, which
     * is 1 unless given.
     *
     * @throws IllegalArgumentException for an unknown kind or a fraction outside [0, 1]
     */
    public static Mix parse(String spec) {
      Map<String, Double> f = new LinkedHashMap<>(Map.of("text", 1.0, "image", 0.0, "audio", 0.0));
      for (String entry : spec.split(",")) {
        if (entry.isBlank()) {
          continue;
        }
        int eq = entry.indexOf('=');
        String kind = (eq < 0 ? entry : entry.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        if (eq < 0 || !f.containsKey(kind)) {
          throw new IllegalArgumentException(
              "mix entries are text=F, image=F, audio=F with F in [0, 1], was: '" + entry + "'");
        }
        try {
          f.put(kind, Double.parseDouble(entry.substring(eq + 1).trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("mix " + kind + " is not a number: " + entry, e);
        }
      }
      return new Mix(f.get("text"), f.get("image"), f.get("audio"));
    }

    private static void check(String kind, double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException(
            "mix " + kind + " must be a fraction in [0, 1], was: " + fraction);
      }
    }

    @Override
    public String toString() {
      return "text=%s,image=%s,audio=%s".formatted(text, image, audio);
    }
  }

  /**
   * What to generate.
   *
   * @param seed seed of every random choice
   * @param mix which parts items carry
   * @param maxItemsPerConversation most consecutive items per correlation id (at least 1)
   * @param referenceBucket bucket of {@code s3://} references for images and audio; null: inline
   * @param malformedFraction fraction of events deliberately malformed (truncated JSON), in [0, 1]
   */
  public record Settings(
      long seed,
      Mix mix,
      int maxItemsPerConversation,
      String referenceBucket,
      double malformedFraction) {
    public Settings {
      if (mix == null) {
        throw new IllegalArgumentException("mix is null");
      }
      if (maxItemsPerConversation < 1) {
        throw new IllegalArgumentException(
            "maxItemsPerConversation must be >= 1, was: " + maxItemsPerConversation);
      }
      if (referenceBucket != null && (referenceBucket.isBlank() || referenceBucket.contains("/"))) {
        throw new IllegalArgumentException("not a bucket name: '" + referenceBucket + "'");
      }
      if (!(malformedFraction >= 0 && malformedFraction <= 1)) {
        throw new IllegalArgumentException(
            "malformedFraction must be in [0, 1], was: " + malformedFraction);
      }
    }

    /** Text only, 1 to 3 items per conversation, inline, nothing malformed. */
    public static Settings of(long seed) {
      return new Settings(seed, Mix.TEXT_ONLY, 3, null, 0);
    }

    public Settings withMix(Mix m) {
      return new Settings(seed, m, maxItemsPerConversation, referenceBucket, malformedFraction);
    }

    public Settings withMaxItemsPerConversation(int n) {
      return new Settings(seed, mix, n, referenceBucket, malformedFraction);
    }

    /** Images and audio as {@code s3://bucket/synthetic-feed/...} references; null: inline. */
    public Settings withReferenceBucket(String bucket) {
      return new Settings(seed, mix, maxItemsPerConversation, bucket, malformedFraction);
    }

    public Settings withMalformedFraction(double f) {
      return new Settings(seed, mix, maxItemsPerConversation, referenceBucket, f);
    }
  }

  /**
   * The sentences of text parts and where they came from.
   *
   * @param sentences at least one
   * @param source for the user: the corpus path, or why the built-in sentences are used
   */
  public record Texts(List<String> sentences, String source) {
    public Texts {
      sentences = List.copyOf(sentences);
      if (sentences.isEmpty()) {
        throw new IllegalArgumentException("no sentences");
      }
    }

    /**
     * Every sentence of the sentiment corpus at {@code corpus} (a folder of {@code
     * sentence<TAB>label} files, as {@link SentimentCorpus} reads), or the {@link #builtIn()}
     * sentences when there is none, saying so in {@link #source()}.
     *
     * @throws UncheckedIOException when the corpus exists but cannot be read
     */
    public static Texts load(Path corpus) {
      if (corpus == null || !Files.exists(corpus)) {
        Texts b = builtIn();
        return new Texts(
            b.sentences(),
            b.source() + "; no sentiment corpus at " + (corpus == null ? "(none given)" : corpus));
      }
      try {
        return new Texts(
            SentimentCorpus.read(corpus).stream().map(SentimentCorpus.Example::text).toList(),
            "sentiment corpus " + corpus);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the sentiment corpus " + corpus, e);
      }
    }

    /** A few built-in sentences. */
    public static Texts builtIn() {
      return new Texts(BUILT_IN, BUILT_IN.size() + " built-in sentences");
    }
  }

  /**
   * One generated event.
   *
   * @param itemId {@code item-<n>}
   * @param correlationId {@code conversation-<k>}
   * @param eventTime the {@code event_time} written
   * @param json the record value: UTF-8 JSON (not valid JSON when {@code malformed})
   * @param malformed whether it was broken on purpose
   */
  public record Event(
      String itemId, String correlationId, Instant eventTime, byte[] json, boolean malformed) {
    /** The record key: the correlation id, so that a conversation stays in one partition. */
    public byte[] key() {
      return correlationId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Event e
          && malformed == e.malformed
          && itemId.equals(e.itemId)
          && correlationId.equals(e.correlationId)
          && eventTime.equals(e.eventTime)
          && Arrays.equals(json, e.json);
    }

    @Override
    public int hashCode() {
      return itemId.hashCode();
    }

    @Override
    public String toString() {
      return "Event[%s, %s, %d bytes%s]"
          .formatted(itemId, correlationId, json.length, malformed ? ", malformed" : "");
    }
  }

  /** Mixes every pixel half-way to white, so that dark type stands out on any colour. */
  private static void lighten(java.awt.image.BufferedImage image) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (((rgb >> 16) & 0xFF) + 255) / 2;
        int gr = (((rgb >> 8) & 0xFF) + 255) / 2;
        int b = ((rgb & 0xFF) + 255) / 2;
        image.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
  }

  /** An image or audio clip of a pool, with its reference key. */
  private record Media(byte[] bytes, String base64, String key) {}

  private final Settings settings;
  private final List<String> sentences;
  private final Random random;
  private final List<Media> images;
  private final List<Media> clips;
  private long produced;
  private long conversation = -1;
  private int leftInConversation;

  public SyntheticFeed(Settings settings, Texts texts) {
    this.settings = settings;
    this.sentences = texts.sentences();
    this.random = new Random(settings.seed());
    Random media = new Random(settings.seed() ^ 0x5DEECE66DL);
    this.images = settings.mix().image() > 0 ? images(media) : List.of();
    this.clips = settings.mix().audio() > 0 ? clips() : List.of();
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /** Events produced so far (the next item is {@code item-<produced>}). */
  public long produced() {
    return produced;
  }

  /**
   * The objects that {@code s3://} reference parts point to, by key in {@link
   * Settings#referenceBucket} (all under {@value #REFERENCE_PREFIX}); upload them before the events
   * are read. Empty without a reference bucket.
   */
  public Map<String, byte[]> referencedObjects() {
    if (settings.referenceBucket() == null) {
      return Map.of();
    }
    Map<String, byte[]> objects = new LinkedHashMap<>();
    images.forEach(m -> objects.put(m.key(), m.bytes().clone()));
    clips.forEach(m -> objects.put(m.key(), m.bytes().clone()));
    return objects;
  }

  /**
   * The next event, stamped {@code eventTime}; malformed with probability {@link
   * Settings#malformedFraction}.
   */
  public Event next(Instant eventTime) {
    boolean broken =
        settings.malformedFraction() > 0 && random.nextDouble() < settings.malformedFraction();
    return event(eventTime, broken);
  }

  /** The next event, deliberately malformed: its JSON cut off, so parsing rejects it. */
  public Event malformed(Instant eventTime) {
    return event(eventTime, true);
  }

  private Event event(Instant eventTime, boolean broken) {
    if (leftInConversation == 0) {
      conversation++;
      leftInConversation = 1 + random.nextInt(settings.maxItemsPerConversation());
    }
    leftInConversation--;
    String itemId = "item-" + produced++;
    String correlationId = "conversation-" + conversation;

    ObjectNode event = Json.mapper().createObjectNode();
    event.put("item_id", itemId);
    event.put("correlation_id", correlationId);
    event.put("event_time", eventTime.toString());
    ArrayNode parts = event.putArray("parts");
    Mix mix = settings.mix();
    boolean text = random.nextDouble() < mix.text();
    boolean image = random.nextDouble() < mix.image();
    boolean audio = random.nextDouble() < mix.audio();
    if (text || (!image && !audio)) {
      ObjectNode part = parts.addObject();
      part.put("part_id", Integer.toString(parts.size() - 1));
      part.put("modality", "text");
      part.put("media_type", "text/plain");
      part.put("text", sentences.get(random.nextInt(sentences.size())));
    }
    if (image) {
      media(parts, "image", IMAGE_TYPE, images.get(random.nextInt(images.size())));
    }
    if (audio) {
      media(parts, "audio", AUDIO_TYPE, clips.get(random.nextInt(clips.size())));
    }
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a feed event", e);
    }
    if (broken) {
      json = Arrays.copyOf(json, json.length / 2); // unterminated object
    }
    return new Event(itemId, correlationId, eventTime, json, broken);
  }

  private void media(ArrayNode parts, String modality, String mediaType, Media m) {
    ObjectNode part = parts.addObject();
    part.put("part_id", Integer.toString(parts.size() - 1));
    part.put("modality", modality);
    part.put("media_type", mediaType);
    if (settings.referenceBucket() != null) {
      part.put("uri", "s3://" + settings.referenceBucket() + "/" + m.key());
      part.put("size_bytes", m.bytes().length);
    } else {
      part.put("data_base64", m.base64());
    }
  }

  /** A sentence in dark type on a light colour background with the training noise, as PNG. */
  private static List<Media> images(Random random) {
    List<Media> out = new ArrayList<>(IMAGE_POOL);
    for (int i = 0; i < IMAGE_POOL; i++) {
      int label = random.nextInt(ColourImages.LABELS.size());
      var image =
          ColourImages.solid(label, IMAGE_WIDTH, IMAGE_HEIGHT, ColourImages.Noise.TRAINING, random);
      lighten(image);
      java.awt.Graphics2D g = image.createGraphics();
      g.setRenderingHint(
          java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
          java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(java.awt.Color.BLACK);
      g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 22));
      g.drawString(BUILT_IN.get(i % BUILT_IN.size()), 12, 40);
      g.dispose();
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      try {
        if (!ImageIO.write(image, "png", png)) {
          throw new IllegalStateException("no PNG writer");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String key = REFERENCE_PREFIX + "image-" + i + "-" + ColourImages.LABELS.get(label) + ".png";
      out.add(media(png.toByteArray(), key));
    }
    return out;
  }

  /** The first words of each spoken sample's sentence as tone speech, 16-bit mono WAV. */
  private static List<Media> clips() {
    List<Media> out = new ArrayList<>();
    for (SpokenSamples.Sample s : SpokenSamples.SAMPLES) {
      String[] words = s.text().split(" ");
      String phrase = String.join(" ", Arrays.copyOf(words, Math.min(3, words.length)));
      byte[] wav = ToneSpeech.render(phrase, AUDIO_SAMPLE_RATE).toWav(1);
      out.add(media(wav, REFERENCE_PREFIX + "audio-" + s.name() + ".wav"));
    }
    return out;
  }

  private static Media media(byte[] bytes, String key) {
    return new Media(bytes, Base64.getEncoder().encodeToString(bytes), key);
  }
}

package io.mmflow.datasets.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mmflow.core.serde.Json;
import io.mmflow.datasets.feeds.SyntheticFeed.Mix;
import io.mmflow.datasets.feeds.SyntheticFeed.Settings;
import io.mmflow.datasets.feeds.SyntheticFeed.Texts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated events against the schema of docs/feeds.md, checked as JSON. */
class SyntheticFeedTest {
  static final Path CORPUS = Path.of("sentiment"); // datasets/sentiment, from the module folder
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  static final Set<String> PART_FIELDS =
      Set.of("part_id", "modality", "media_type", "text", "data_base64", "uri", "size_bytes");

  static List<JsonNode> events(SyntheticFeed feed, int n) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Json.mapper().readTree(feed.next(T0.plusSeconds(i)).json()));
    }
    return out;
  }

  @Test
  void textEventsFollowTheSchema() throws Exception {
    Texts texts = Texts.load(CORPUS);
    assertThat(texts.source()).isEqualTo("sentiment corpus sentiment");
    assertThat(texts.sentences()).hasSize(2000);
    List<JsonNode> events = events(new SyntheticFeed(Settings.of(7), texts), 200);
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      assertThat(fieldNames(e)).containsExactly("item_id", "correlation_id", "event_time", "parts");
      assertThat(e.get("item_id").asText()).isEqualTo("item-" + i);
      assertThat(Instant.parse(e.get("event_time").asText())).isEqualTo(T0.plusSeconds(i));
      JsonNode parts = e.get("parts");
      assertThat(parts.size()).isEqualTo(1);
      JsonNode part = parts.get(0);
      assertThat(part.get("part_id").asText()).isEqualTo("0");
      assertThat(part.get("modality").asText()).isEqualTo("text");
      assertThat(part.get("media_type").asText()).isEqualTo("text/plain");
      assertThat(texts.sentences()).contains(part.get("text").asText());
    }
  }

  @Test
  void conversationsGroupOneToMaxConsecutiveItems() throws Exception {
    for (int max : new int[] {1, 3, 5}) {
      List<JsonNode> events =
          events(
              new SyntheticFeed(Settings.of(11).withMaxItemsPerConversation(max), Texts.builtIn()),
              300);
      List<String> ids = events.stream().map(e -> e.get("correlation_id").asText()).toList();
      Set<Integer> sizes = new HashSet<>();
      int k = 0;
      for (int i = 0; i < ids.size(); ) {
        assertThat(ids.get(i)).isEqualTo("conversation-" + k);
        int j = i;
        while (j < ids.size() && ids.get(j).equals(ids.get(i))) {
          j++;
        }
        if (j < ids.size()) {
          sizes.add(j - i); // the last conversation may be cut off
        }
        k++;
        i = j;
      }
      assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, max));
      assertThat(sizes).hasSize(max); // every size occurs in 300 items
    }
  }

  @Test
  void mixedPartsInlineAndAsReferences() throws Exception {
    Settings settings = Settings.of(3).withMix(Mix.parse("text=0.5,image=0.5,audio=0.25"));
    List<JsonNode> inline = events(new SyntheticFeed(settings, Texts.builtIn()), 400);
    int images = 0;
    int audio = 0;
    int text = 0;
    for (JsonNode e : inline) {
      JsonNode parts = e.get("parts");
      assertThat(parts.size()).isBetween(1, 3);
      for (int p = 0; p < parts.size(); p++) {
        JsonNode part = parts.get(p);
        assertThat(fieldNames(part)).isSubsetOf(PART_FIELDS);
        assertThat(part.get("part_id").asText()).isEqualTo(Integer.toString(p));
        switch (part.get("modality").asText()) {
          case "image" -> {
            images++;
            byte[] png = Base64.getDecoder().decode(part.get("data_base64").asText());
            assertThat(part.get("media_type").asText()).isEqualTo("image/png");
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
          }
          case "audio" -> {
            audio++;
            byte[] wav = Base64.getDecoder().decode(part.get("data_base64").asText());
            assertThat(part.get("media_type").asText()).isEqualTo("audio/vnd.wave");
            assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
            assertThat(new String(wav, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WAVE");
          }
          case "text" -> text++;
          default -> throw new AssertionError(part.toString());
        }
      }
    }
    // fractions of 400 items, drawn independently (items without any part get text)
    assertThat(images).isBetween(160, 240);
    assertThat(audio).isBetween(70, 130);
    assertThat(text).isBetween(230, 330);

    SyntheticFeed refs = new SyntheticFeed(settings.withReferenceBucket("media"), Texts.builtIn());
    Map<String, byte[]> objects = refs.referencedObjects();
    assertThat(objects).isNotEmpty();
    assertThat(objects.keySet()).allSatisfy(k -> assertThat(k).startsWith("synthetic-feed/"));
    for (JsonNode e : events(refs, 100)) {
      for (JsonNode part : e.get("parts")) {
        if (!part.get("modality").asText().equals("text")) {
          assertThat(part.has("data_base64")).isFalse();
          String uri = part.get("uri").asText();
          assertThat(uri).startsWith("s3://media/synthetic-feed/");
          byte[] object = objects.get(uri.substring("s3://media/".length()));
          assertThat(object).isNotNull();
          assertThat(part.get("size_bytes").asLong()).isEqualTo(object.length);
        }
      }
    }
  }

  @Test
  void sameSeedSameEventsOtherSeedOthers() {
    Settings s = Settings.of(5).withMix(Mix.parse("image=0.3,audio=0.3"));
    SyntheticFeed a = new SyntheticFeed(s, Texts.builtIn());
    SyntheticFeed b = new SyntheticFeed(s, Texts.builtIn());
    SyntheticFeed c = new SyntheticFeed(Settings.of(6).withMix(s.mix()), Texts.builtIn());
    boolean differs = false;
    for (int i = 0; i < 50; i++) {
      SyntheticFeed.Event ea = a.next(T0);
      assertThat(b.next(T0)).isEqualTo(ea);
      differs |= !c.next(T0).equals(ea);
    }
    assertThat(differs).isTrue();
    assertThat(a.produced()).isEqualTo(50);
  }

  @Test
  void malformedEventsAreNotJson() {
    SyntheticFeed feed =
        new SyntheticFeed(Settings.of(1).withMalformedFraction(0.2), Texts.builtIn());
    SyntheticFeed.Event bad = feed.malformed(T0);
    assertThat(bad.malformed()).isTrue();
    assertThat(bad.itemId()).isEqualTo("item-0");
    assertThatThrownBy(() -> Json.mapper().readTree(bad.json()))
        .isInstanceOf(JacksonException.class);
    int malformed = 0;
    for (int i = 0; i < 500; i++) {
      SyntheticFeed.Event e = feed.next(T0);
      if (e.malformed()) {
        malformed++;
        assertThatThrownBy(() -> Json.mapper().readTree(e.json()))
            .isInstanceOf(JacksonException.class);
      }
    }
    assertThat(malformed).isBetween(70, 130);
  }

  @Test
  void corpusMissingFallsBackAndSaysSo() {
    Texts texts = Texts.load(Path.of("no/such/corpus"));
    assertThat(texts.sentences()).isEqualTo(Texts.builtIn().sentences());
    assertThat(texts.source())
        .contains("built-in")
        .contains("no sentiment corpus at no/such/corpus");
  }

  @Test
  void mixParsing() {
    assertThat(Mix.parse("text=1,image=0.1,audio=0.05")).isEqualTo(new Mix(1, 0.1, 0.05));
    assertThat(Mix.parse("image=0.5")).isEqualTo(new Mix(1, 0.5, 0));
    assertThat(Mix.parse("")).isEqualTo(Mix.TEXT_ONLY);
    assertThatThrownBy(() -> Mix.parse("video=1")).hasMessageContaining("video=1");
    assertThatThrownBy(() -> Mix.parse("image=2")).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> Mix.parse("image=lots")).hasMessageContaining("not a number");
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

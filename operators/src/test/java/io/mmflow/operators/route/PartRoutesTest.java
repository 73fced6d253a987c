package io.mmflow.operators.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.model.MediaItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class PartRoutesTest {
  @Test
  void eachPartGoesToTheStagesOfItsType() throws Exception {
    assertThat(routes(true, "application/pdf")).containsExactly("route-pages");
    assertThat(routes(true, "image/png")).containsExactly("route-pages", "route-images");
    assertThat(routes(true, "audio/vnd.wave")).containsExactly("route-audio");
    assertThat(routes(true, "text/plain")).containsExactly("route-text-parts");
    assertThat(routes(true, "application/msword")).containsExactly("route-documents");
  }

  @Test
  void inTheDocumentsJobPlainTextIsADocument() throws Exception {
    assertThat(routes(false, "text/plain")).containsExactly("route-documents");
    assertThat(routes(false, "image/jpeg")).containsExactly("route-pages", "route-images");
  }

  /** The side outputs one part of {@code mediaType} is sent to, in order; none on the main one. */
  private static List<String> routes(boolean feed, String mediaType) throws Exception {
    PartRoutes routes = new PartRoutes(feed);
    List<String> tags = new ArrayList<>();
    ProcessFunction<MediaItem, MediaItem>.Context ctx =
        routes.new Context() {
          @Override
          public Long timestamp() {
            return null;
          }

          @Override
          public TimerService timerService() {
            throw new UnsupportedOperationException();
          }

          @Override
          public <X> void output(OutputTag<X> tag, X value) {
            tags.add(tag.getId());
          }
        };
    Collector<MediaItem> main =
        new Collector<>() {
          @Override
          public void collect(MediaItem record) {
            tags.add("main");
          }

          @Override
          public void close() {}
        };
    byte[] bytes = {1, 2, 3};
    routes.processElement(
        new MediaItem(
            "i",
            "0",
            null,
            Instant.EPOCH,
            "file:/x",
            mediaType,
            bytes.length,
            null,
            bytes,
            null,
            Map.of()),
        ctx,
        main);
    return tags;
  }
}

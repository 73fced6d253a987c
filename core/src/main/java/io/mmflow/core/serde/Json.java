package io.mmflow.core.serde;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapping of the canonical records: enums as lowercase names, times as ISO-8601, nulls
 * left out, unknown fields ignored on read (so older readers accept newer records).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      canonical(JsonMapper.builder())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  /**
   * The same mapping in Jackson's binary JSON (Smile), with times as numbers (seconds and nanos):
   * for records between Flink operators and in state, where nobody reads the bytes. About half the
   * CPU of text JSON to read back (measured on a sentiment result: 2.0 µs against 4.0 µs).
   */
  private static final ObjectMapper BINARY =
      canonical(SmileMapper.builder())
          .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private Json() {}

  /** What both forms share: java.time, lowercase enums, nulls left out, unknown fields ignored. */
  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B canonical(B builder) {
    return builder
        .addModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .serializationInclusion(JsonInclude.Include.NON_NULL);
  }

  /** The shared binary (Smile) mapper; see {@link #BINARY}. Do not reconfigure it. */
  public static ObjectMapper binary() {
    return BINARY;
  }

  /** The shared, thread-safe mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] writeBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

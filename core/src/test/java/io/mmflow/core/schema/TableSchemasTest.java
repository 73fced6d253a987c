package io.mmflow.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.BoundingBox;
import io.mmflow.core.model.Cost;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.FusionStatus;
import io.mmflow.core.model.FusionStrategy;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.OverallSentiment;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.TimeSpan;
import io.mmflow.core.model.Timing;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The declarations against the records they store: every record component, recursively, is read by
 * a column (or excluded here, with the reason), and every column's accessor returns the canonical
 * Java value of its type.
 */
class TableSchemasTest {
  /**
   * Components of {@link ModalityResult} (and its nested records) that no column stores, with why.
   * Empty today: every component is stored.
   */
  static final Set<String> RESULT_NOT_STORED = Set.of();

  /** Components of {@link DeadLetter} that no column stores. Empty today. */
  static final Set<String> DEAD_LETTER_NOT_STORED = Set.of();

  /** Components of {@link FusedResult} (and {@link OverallSentiment}) not stored. Empty today. */
  static final Set<String> FUSED_NOT_STORED = Set.of();

  @Test
  void everyComponentOfAResultIsStoredOrExcluded() {
    assertCovers(ResultSchema.TABLE, ModalityResult.class, RESULT_NOT_STORED);
    // the walk reaches the nested records, so a field added to any of them is caught too
    assertThat(componentPaths(ModalityResult.class, ""))
        .contains(
            "labels[].score",
            "entities[].box.height",
            "entities[].audioSpan.endMs",
            "provenance.cacheHit",
            "timing.latencyMs",
            "cost.usd",
            "error.retryable");
  }

  @Test
  void everyComponentOfADeadLetterIsStoredOrExcluded() {
    assertCovers(DeadLetterSchema.TABLE, DeadLetter.class, DEAD_LETTER_NOT_STORED);
  }

  @Test
  void everyComponentOfAFusedResultIsStoredOrExcluded() {
    assertCovers(FusedSchema.TABLE, FusedResult.class, FUSED_NOT_STORED);
    assertThat(componentPaths(FusedResult.class, "")).contains("sentiment.contributingModalities");
  }

  @Test
  void accessorsReturnTheCanonicalValueOfTheirType() {
    assertCanonical(ResultSchema.TABLE, fullResult());
    assertCanonical(DeadLetterSchema.TABLE, deadLetter(new byte[] {1, 2}));
    assertCanonical(
        FusedSchema.TABLE,
        new FusedResult(
            "conv-1",
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(60),
            List.of(Modality.TEXT, Modality.AUDIO),
            List.of(Modality.IMAGE),
            new OverallSentiment("positive", 0.9, 0.8, List.of(Modality.TEXT)),
            0.5,
            FusionStrategy.WEIGHTED_AVERAGE,
            FusionStatus.PARTIAL_FAILURE,
            2,
            Instant.EPOCH.plusSeconds(61),
            1));
  }

  @Test
  void enumsAreStoredAsWireNamesAndErrorCodesAsTheirCodes() {
    ModalityResult r = fullResult();
    assertThat(ResultSchema.TABLE.column("task").get(r)).isEqualTo("sentiment");
    assertThat(ResultSchema.TABLE.column("status").get(r)).isEqualTo("error");
    assertThat(ResultSchema.TABLE.column("error_code").get(r)).isEqualTo("MMF-2004");
    DeadLetter d = deadLetter(null);
    assertThat(DeadLetterSchema.TABLE.column("error_name").get(d)).isEqualTo("CORRUPT_INPUT");
    assertThat(DeadLetterSchema.TABLE.column("category").get(d)).isEqualTo("BAD_INPUT");
  }

  @Test
  void aDeclarationRefusesDuplicateIdsAndUnknownOrOptionalKeys() {
    Columns<Label> twoOnes =
        Columns.of(Label.class)
            .required(1, "label", ColumnType.STRING, "label", Label::label)
            .required(1, "score", ColumnType.DOUBLE, "score", Label::score);
    assertThatThrownBy(() -> TableSchema.of("labels", twoOnes, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate field id 1 (score)");
    Columns<Label> optionalLabel =
        Columns.of(Label.class).optional(1, "label", ColumnType.STRING, "label", Label::label);
    assertThatThrownBy(() -> TableSchema.of("labels", optionalLabel, List.of("label"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key column label must be required");
    assertThatThrownBy(() -> TableSchema.of("labels", optionalLabel, List.of("x"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key column x is not a column");
  }

  static ModalityResult fullResult() {
    Instant t = Instant.parse("2026-11-24T10:00:00Z");
    return ModalityResult.builder()
        .itemId("item-1")
        .partId("p1")
        .modality(Modality.AUDIO)
        .task(Task.SENTIMENT)
        .status(ResultStatus.ERROR)
        .labels(List.of(new Label("negative", 0.9)))
        .entities(
            List.of(
                new Entity(
                    "hi", "segment", 0, 2, new BoundingBox(1, 2, 3, 4), new TimeSpan(5, 6), 0.5)))
        .text("hi")
        .language("en")
        .pageCount(1)
        .embedding(new float[] {0.5f})
        .confidence(0.7, "temperature")
        .provenance(new Provenance("onnxruntime", "m", "1", "file:///a", "ab", true))
        .timing(Timing.of(t, t, t.plusMillis(3)))
        .cost(new Cost(1, 2, 0.5))
        .error(ResultError.of(ErrorCode.PROVIDER_TIMEOUT, "slow"))
        .attribute("k", "v")
        .build();
  }

  static DeadLetter deadLetter(byte[] payload) {
    return new DeadLetter(
        "bad-1",
        "0",
        "conv",
        "file:///x",
        "extract",
        ErrorCode.CORRUPT_INPUT,
        "broken",
        false,
        "application/pdf",
        3,
        "ff",
        Instant.EPOCH,
        payload);
  }

  /** Every column's value in {@code record}: set, and of its type's Java class, recursively. */
  private static <R> void assertCanonical(TableSchema<R> table, R record) {
    for (Column<R> column : table.columns()) {
      if (column.fromRun()) {
        assertThat(column.get(record))
            .as("%s: the writer's, not the record's", column.name())
            .isNull();
        continue;
      }
      assertValue(column, column.get(record));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void assertValue(Column<?> column, Object value) {
    assertThat(value).as("%s of the full record", column.name()).isNotNull();
    ColumnType type = column.type();
    if (type instanceof ColumnType.Primitive p) {
      assertThat(value).as(column.name()).isInstanceOf(javaClass(p));
    } else if (type instanceof ColumnType.ListOf list && list.element() == ColumnType.FLOAT) {
      assertThat(value).as(column.name()).isInstanceOf(float[].class);
    } else if (type instanceof ColumnType.ListOf list) {
      assertThat(value).as(column.name()).isInstanceOf(List.class);
      for (Object element : (List<?>) value) {
        if (list.element() instanceof ColumnType.StructOf struct) {
          for (Column field : struct.fields()) {
            if (field.required() || field.get(element) != null) {
              assertValue(field, field.get(element));
            }
          }
        } else {
          assertThat(element).isInstanceOf(javaClass((ColumnType.Primitive) list.element()));
        }
      }
    } else {
      assertThat(value).as(column.name()).isInstanceOf(Map.class);
    }
  }

  private static Class<?> javaClass(ColumnType.Primitive type) {
    return switch (type) {
      case STRING -> String.class;
      case BOOLEAN -> Boolean.class;
      case INT -> Integer.class;
      case LONG -> Long.class;
      case FLOAT -> Float.class;
      case DOUBLE -> Double.class;
      case TIMESTAMP -> Instant.class;
      case BINARY -> byte[].class;
    };
  }

  private static void assertCovers(TableSchema<?> table, Class<?> record, Set<String> notStored) {
    Set<String> components = componentPaths(record, "");
    Set<String> sources = sourcePaths(table);
    assertThat(sources)
        .as("sources that name no component of %s", record.getSimpleName())
        .isSubsetOf(components);
    Set<String> missing = new TreeSet<>(components);
    missing.removeAll(sources);
    missing.removeAll(notStored);
    assertThat(missing)
        .as(
            "components of %s that no column of its table reads: declare a column in"
                + " io.mmflow.core.schema or list them as not stored, with the reason",
            record.getSimpleName())
        .isEmpty();
    assertThat(notStored).as("excluded but stored").doesNotContainAnyElementsOf(sources);
  }

  /** The columns' sources as paths from the record, nested struct fields under {@code col[].}. */
  private static Set<String> sourcePaths(TableSchema<?> table) {
    Set<String> out = new TreeSet<>();
    for (Column<?> column : table.columns()) {
      if (column.fromRun()) {
        continue; // written from the run, not read from the record
      }
      for (String source : column.source().split(",")) {
        String path = source.trim();
        if (column.type() instanceof ColumnType.ListOf list
            && list.element() instanceof ColumnType.StructOf struct) {
          for (Column<?> field : struct.fields()) {
            out.add(path + "[]." + field.source());
          }
        } else {
          out.add(path);
        }
      }
    }
    return out;
  }

  /** The leaf components of a record: nested records and lists of records are walked into. */
  static Set<String> componentPaths(Class<?> record, String prefix) {
    Set<String> out = new TreeSet<>();
    for (RecordComponent c : record.getRecordComponents()) {
      Class<?> type = c.getType();
      if (type.isRecord()) {
        out.addAll(componentPaths(type, prefix + c.getName() + "."));
      } else if (List.class.isAssignableFrom(type)
          && c.getGenericType() instanceof ParameterizedType p
          && p.getActualTypeArguments()[0] instanceof Class<?> element
          && element.isRecord()) {
        out.addAll(componentPaths(element, prefix + c.getName() + "[]."));
      } else {
        out.add(prefix + c.getName());
      }
    }
    return out;
  }
}

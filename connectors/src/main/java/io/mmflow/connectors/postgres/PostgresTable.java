package io.mmflow.connectors.postgres;

import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.JobRun;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.schema.Column;
import io.mmflow.core.schema.ColumnType;
import io.mmflow.core.schema.DeadLetterSchema;
import io.mmflow.core.schema.FusedSchema;
import io.mmflow.core.schema.JobRunSchema;
import io.mmflow.core.schema.ResultSchema;
import io.mmflow.core.schema.TableSchema;
import io.mmflow.core.serde.Json;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A serving PostgreSQL table derived from its declaration in {@code io.mmflow.core.schema}: the
 * {@code CREATE TABLE}, the upsert on the key and the binding of a record to it.
 *
 * <p>Types: strings {@code text}, ints {@code integer}, longs {@code bigint}, floats {@code real},
 * doubles {@code double precision}, timestamps {@code timestamptz}, binary {@code bytea}; lists of
 * scalars are arrays ({@code text[]}, {@code real[]}); lists of structs and maps are {@code jsonb}
 * with the declared snake_case field names and nulls left out, so a query reads the same as on
 * Iceberg. A {@code jsonb} column, and a required array, is {@code NOT NULL} with an empty default,
 * as the tables were before they were derived. Postgres text cannot hold U+0000, which some
 * extracted documents contain, so it is stripped from every string, also inside {@code jsonb}.
 *
 * @param name the table name
 * @param schema the declaration
 * @param updatedAt whether the table has the Postgres-only column {@code updated_at}, set to {@code
 *     clock_timestamp()} on every upsert: the time of that row's write, not the start of the sink's
 *     batch transaction, so it tells when each row landed
 * @param <R> the record a row is written from
 */
public record PostgresTable<R>(String name, TableSchema<R> schema, boolean updatedAt) {
  public static final PostgresTable<ModalityResult> RESULTS =
      new PostgresTable<>("results", ResultSchema.TABLE, true);

  /**
   * Results too late for their fusion window: the columns and key of {@link #RESULTS}. Created by
   * {@code LIKE results INCLUDING ALL} in schema.sql, after the indexes of results it copies.
   */
  public static final PostgresTable<ModalityResult> LATE_RESULTS =
      new PostgresTable<>("late_results", ResultSchema.TABLE, true);

  public static final PostgresTable<DeadLetter> DEAD_LETTERS =
      new PostgresTable<>("dead_letters", DeadLetterSchema.TABLE, false);

  public static final PostgresTable<FusedResult> FUSED_RESULTS =
      new PostgresTable<>("fused_results", FusedSchema.TABLE, true);

  /** One row per run of a job, written by the runner when the job ends. */
  public static final PostgresTable<JobRun> JOB_RUNS =
      new PostgresTable<>("job_runs", JobRunSchema.TABLE, false);

  /** The tables whose {@code CREATE TABLE} is derived, in the order they are created. */
  public static final List<PostgresTable<?>> CREATED =
      List.of(RESULTS, DEAD_LETTERS, FUSED_RESULTS, JOB_RUNS);

  private static final String UPDATED_AT = "updated_at";
  private static final String CLOCK = "clock_timestamp()";

  /** This table's declaration under another name (a backfill's staging copy). */
  public PostgresTable<R> named(String other) {
    return new PostgresTable<>(other, schema, updatedAt);
  }

  /**
   * Upserts every row of {@code staging} (a table with this table's columns) into this table on its
   * key: what publishing a backfill's PostgreSQL rows runs, in one transaction.
   */
  public String upsertFrom(String staging) {
    List<String> names = schema.columnNames();
    return "INSERT INTO "
        + name
        + " (\n"
        + wrap(names)
        + ")\nSELECT\n"
        + wrap(names)
        + "\nFROM "
        + staging
        + onConflictUpdate();
  }

  /**
   * {@code ON CONFLICT (key) DO UPDATE SET} every other column from the row offered, and {@code
   * updated_at} to the clock: a write on a key replaces its row.
   */
  private String onConflictUpdate() {
    List<String> updates = new ArrayList<>();
    for (Column<R> c : schema.columns()) {
      if (!schema.key().contains(c.name())) {
        updates.add(c.name() + " = EXCLUDED." + c.name());
      }
    }
    if (updatedAt) {
      updates.add(UPDATED_AT + " = " + CLOCK);
    }
    return "\nON CONFLICT ("
        + String.join(", ", schema.key())
        + ") DO UPDATE SET\n"
        + wrap(updates)
        + "\n";
  }

  /** {@code CREATE TABLE IF NOT EXISTS}, so an existing table is left as it is. */
  public String createTable() {
    int width = UPDATED_AT.length();
    for (Column<R> c : schema.columns()) {
      width = Math.max(width, c.name().length());
    }
    StringBuilder sql =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(name).append(" (\n");
    for (Column<R> c : schema.columns()) {
      String type = sqlType(c.type());
      String emptyDefault = emptyDefault(c);
      sql.append("    ").append(pad(c.name(), width)).append(' ').append(type);
      if (emptyDefault != null) {
        sql.append(" NOT NULL DEFAULT '").append(emptyDefault).append('\'');
      } else if (c.required()) {
        sql.append(" NOT NULL");
      }
      sql.append(",\n");
    }
    if (updatedAt) {
      sql.append("    ")
          .append(pad(UPDATED_AT, width))
          .append(" timestamptz NOT NULL DEFAULT ")
          .append(CLOCK)
          .append(",\n");
    }
    return sql.append("    PRIMARY KEY (")
        .append(String.join(", ", schema.key()))
        .append(")\n);\n")
        .toString();
  }

  /**
   * {@code ALTER TABLE … ADD COLUMN IF NOT EXISTS} for each column a table created by an earlier
   * mmflow may lack: the schema evolves in place, old rows holding null (or the empty default). A
   * required column without a default cannot be added to rows that exist, so none is declared after
   * a table's first release.
   */
  public String addMissingColumns() {
    StringBuilder sql = new StringBuilder();
    for (Column<R> c : schema.columns()) {
      String emptyDefault = emptyDefault(c);
      if (c.required() && emptyDefault == null) {
        continue;
      }
      sql.append("ALTER TABLE IF EXISTS ")
          .append(name)
          .append(" ADD COLUMN IF NOT EXISTS ")
          .append(c.name())
          .append(' ')
          .append(sqlType(c.type()));
      if (emptyDefault != null) {
        sql.append(" NOT NULL DEFAULT '").append(emptyDefault).append('\'');
      }
      sql.append(";\n");
    }
    return sql.toString();
  }

  /** {@code INSERT … ON CONFLICT (key) DO UPDATE}: a replayed key replaces its row. */
  public String upsert() {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Column<R> c : schema.columns()) {
      names.add(c.name());
      values.add(isJson(c.type()) ? "?::jsonb" : "?");
    }
    if (updatedAt) {
      names.add(UPDATED_AT);
      values.add(CLOCK);
    }
    return "INSERT INTO "
        + name
        + " (\n"
        + wrap(names)
        + ")\nVALUES (\n"
        + wrap(values)
        + ")"
        + onConflictUpdate();
  }

  /** Binds {@code record}, written outside a run, to the parameters of {@link #upsert()}. */
  public void bind(PreparedStatement ps, R record) throws SQLException {
    bind(ps, record, null);
  }

  /**
   * Binds {@code record} to the parameters of {@link #upsert()}, with {@code runId} (may be null)
   * in the columns written from the run.
   */
  public void bind(PreparedStatement ps, R record, String runId) throws SQLException {
    List<Column<R>> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      Column<R> c = columns.get(i);
      bind(ps, i + 1, c, c.fromRun() ? runId : c.get(record));
    }
  }

  /** PostgreSQL text cannot hold U+0000, which some extracted documents contain. */
  public static String stripNul(String s) {
    return s == null || s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "");
  }

  private static void bind(PreparedStatement ps, int i, Column<?> c, Object value)
      throws SQLException {
    ColumnType type = c.type();
    if (isJson(type)) {
      ps.setString(i, value == null ? emptyDefault(c) : Json.write(json(type, value)));
    } else if (value == null) {
      ps.setNull(i, nullType(type));
    } else if (type instanceof ColumnType.ListOf list) {
      ps.setArray(
          i, ps.getConnection().createArrayOf(sqlType(list.element()), arrayElements(list, value)));
    } else {
      switch ((ColumnType.Primitive) type) {
        case STRING -> ps.setString(i, stripNul((String) value));
        case BOOLEAN -> ps.setBoolean(i, (Boolean) value);
        case INT -> ps.setInt(i, (Integer) value);
        case LONG -> ps.setLong(i, (Long) value);
        case FLOAT -> ps.setFloat(i, (Float) value);
        case DOUBLE -> ps.setDouble(i, (Double) value);
        case TIMESTAMP -> ps.setTimestamp(i, Timestamp.from((Instant) value));
        case BINARY -> ps.setBytes(i, (byte[]) value);
      }
    }
  }

  private static Object[] arrayElements(ColumnType.ListOf list, Object value) {
    if (value instanceof float[] floats) {
      Object[] boxed = new Object[floats.length];
      for (int k = 0; k < floats.length; k++) {
        boxed[k] = floats[k];
      }
      return boxed;
    }
    Object[] elements = ((List<?>) value).toArray();
    if (list.element() == ColumnType.STRING) {
      for (int k = 0; k < elements.length; k++) {
        elements[k] = stripNul((String) elements[k]);
      }
    }
    return elements;
  }

  /** A canonical value as the object Jackson writes into the jsonb column. */
  private static Object json(ColumnType type, Object value) {
    if (value instanceof String s) {
      return stripNul(s);
    }
    if (type instanceof ColumnType.ListOf list && value instanceof List<?> values) {
      List<Object> out = new ArrayList<>(values.size());
      for (Object v : values) {
        out.add(json(list.element(), v));
      }
      return out;
    }
    if (type instanceof ColumnType.MapOf map) {
      if (map.key() == ColumnType.STRING
          && map.value() == ColumnType.STRING
          && !hasNul((Map<?, ?>) value)) {
        return value; // the common case (attributes): written as it is, without a copy
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) value).forEach((k, v) -> out.put(json(map.key(), k), json(map.value(), v)));
      return out;
    }
    if (type instanceof ColumnType.StructOf struct) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Column<?> field : struct.fields()) {
        Object v = read(field, value);
        if (v != null) {
          out.put(field.name(), json(field.type(), v));
        }
      }
      return out;
    }
    return value;
  }

  private static boolean hasNul(Map<?, ?> strings) {
    for (Map.Entry<?, ?> e : strings.entrySet()) {
      if (((String) e.getKey()).indexOf('\u0000') >= 0
          || ((String) e.getValue()).indexOf('\u0000') >= 0) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static Object read(Column<?> field, Object element) {
    return ((Column<Object>) field).get(element);
  }

  /** The PostgreSQL type of a column. */
  static String sqlType(ColumnType type) {
    if (isJson(type)) {
      return "jsonb";
    }
    if (type instanceof ColumnType.ListOf list) {
      return sqlType(list.element()) + "[]";
    }
    return switch ((ColumnType.Primitive) type) {
      case STRING -> "text";
      case BOOLEAN -> "boolean";
      case INT -> "integer";
      case LONG -> "bigint";
      case FLOAT -> "real";
      case DOUBLE -> "double precision";
      case TIMESTAMP -> "timestamptz";
      case BINARY -> "bytea";
    };
  }

  /** Lists of anything but scalars, and maps, are stored as jsonb documents. */
  private static boolean isJson(ColumnType type) {
    return type instanceof ColumnType.MapOf
        || type instanceof ColumnType.StructOf
        || (type instanceof ColumnType.ListOf list
            && !(list.element() instanceof ColumnType.Primitive));
  }

  /** The empty value a collection column defaults to when it is NOT NULL, else null. */
  private static String emptyDefault(Column<?> c) {
    if (c.type() instanceof ColumnType.MapOf) {
      return "{}";
    }
    if (isJson(c.type())) {
      return "[]";
    }
    if (c.type() instanceof ColumnType.ListOf && c.required()) {
      return "{}";
    }
    return null;
  }

  private static int nullType(ColumnType type) {
    if (type instanceof ColumnType.ListOf) {
      return Types.ARRAY;
    }
    return switch ((ColumnType.Primitive) type) {
      case STRING -> Types.VARCHAR;
      case BOOLEAN -> Types.BOOLEAN;
      case INT -> Types.INTEGER;
      case LONG -> Types.BIGINT;
      case FLOAT -> Types.REAL;
      case DOUBLE -> Types.DOUBLE;
      case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
      case BINARY -> Types.BINARY;
    };
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  /** Items joined by commas, indented, in lines of at most 100 characters. */
  private static String wrap(List<String> items) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder("    ");
    for (String item : items) {
      if (line.length() > 4 && line.length() + item.length() + 2 > 100) {
        out.append(line).append(",\n");
        line.setLength(0);
        line.append("    ");
      } else if (line.length() > 4) {
        line.append(", ");
      }
      line.append(item);
    }
    return out.append(line).toString();
  }
}

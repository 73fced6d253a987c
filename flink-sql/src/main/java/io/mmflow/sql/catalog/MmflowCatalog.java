package io.mmflow.sql.catalog;

import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.remote.ProviderRegistry;
import io.mmflow.model.remote.RemoteModelSpec;
import io.mmflow.sql.model.MmflowModelProviderFactory;
import io.mmflow.sql.types.SqlTypes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogModel;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * mmflow's models as catalog models, so that {@code ML_PREDICT(TABLE t, MODEL
 * ml.mmflow.sentiment_en, DESCRIPTOR(text))} needs no {@code CREATE MODEL} (after {@code CREATE
 * CATALOG ml WITH ('type' = 'mmflow')}; {@code bin/mmflow sql} registers it so): its database
 * ({@value #DATABASE} unless {@code 'default-database'} says otherwise) holds every model of the
 * registry (its id with {@code -} as {@code _}; text models on a STRING column {@code text}, image
 * and speech models on a BYTES column {@code content}), {@code tesseract} (OCR of an image, BYTES),
 * and, when the catalog has a providers file ({@code mmflow.remote.providers}), {@code
 * remote_<task>} for each task its models serve. Each is a {@code mmflow} provider model with the
 * catalog's mmflow settings and the output columns {@link #OUTPUT} ({@code embedding} too for
 * embedding models). The catalog is otherwise an in-memory one: users may add their own models and
 * views to it for the session.
 */
public final class MmflowCatalog extends GenericInMemoryCatalog {
  /**
   * The database of the models unless {@code 'default-database'} names another ({@code models}
   * would read better, but it is a reserved word of Flink's SQL parser: it would need backticks).
   */
  public static final String DATABASE = "mmflow";

  /** The output columns of the catalog's models: the best label and score, and result fields. */
  public static final List<String> OUTPUT =
      List.of("label", "score", "confidence", "text", "language", "status", "error_code");

  private final String database;
  private final String registry;
  private final Map<String, String> settings;

  /**
   * @param database the database of the models
   * @param registry the model registry (a path or {@code classpath:} location)
   * @param settings mmflow settings ({@code mmflow.*}) every model gets
   */
  public MmflowCatalog(
      String name, String database, String registry, Map<String, String> settings) {
    super(name, database);
    this.database = database;
    this.registry = registry;
    this.settings = Map.copyOf(settings);
  }

  @Override
  public void open() throws CatalogException {
    super.open();
    try {
      if (!databaseExists(database)) {
        createDatabase(
            database, new CatalogDatabaseImpl(Map.of(), "mmflow's models for ML_PREDICT"), true);
      }
      for (Map.Entry<String, CatalogModel> m : models().entrySet()) {
        createModel(new ObjectPath(database, m.getKey()), m.getValue(), true);
      }
    } catch (Exception e) {
      throw new CatalogException("catalog " + getName() + ": " + e.getMessage(), e);
    }
  }

  /** The catalog's models by their SQL names. */
  Map<String, CatalogModel> models() {
    Map<String, CatalogModel> models = new LinkedHashMap<>();
    for (ModelSpec spec : ModelRegistry.load(registry).models()) {
      boolean text = spec.modality() == Modality.TEXT;
      Map<String, String> options = options();
      options.put(MmflowModelProviderFactory.MODEL.key(), spec.id());
      options.put(MmflowModelProviderFactory.REGISTRY.key(), registry);
      models.put(
          sqlName(spec.id()),
          model(
              text,
              spec.task() == Task.EMBEDDING,
              options,
              "%s %s model %s@%s (ONNX Runtime)"
                  .formatted(
                      spec.modality().wireName(),
                      spec.task().wireName(),
                      spec.id(),
                      spec.version())));
    }
    Map<String, String> ocr = options();
    ocr.put(MmflowModelProviderFactory.MODEL.key(), "tesseract");
    models.put("tesseract", model(false, false, ocr, "OCR of an image with Tesseract"));
    String providers = Configuration.fromMap(settings).get(RemoteOptions.PROVIDERS);
    if (!providers.isBlank()) {
      TreeSet<Task> tasks = new TreeSet<>();
      for (RemoteModelSpec m : ProviderRegistry.load(Path.of(providers)).models()) {
        tasks.addAll(m.tasks());
      }
      for (Task task : tasks) {
        Map<String, String> options = options();
        options.put(MmflowModelProviderFactory.TASK.key(), task.wireName());
        boolean media = task == Task.CAPTION || task == Task.TRANSCRIPTION;
        models.put(
            "remote_" + task.wireName(),
            model(
                !media,
                task == Task.EMBEDDING,
                options,
                task.wireName() + " by the remote providers of " + providers));
      }
    }
    return models;
  }

  /** A registry id as a SQL name: {@code sentiment-en} is {@code sentiment_en}. */
  public static String sqlName(String id) {
    return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  private Map<String, String> options() {
    Map<String, String> options = new LinkedHashMap<>(settings);
    options.put("provider", MmflowModelProviderFactory.IDENTIFIER);
    return options;
  }

  private static CatalogModel model(
      boolean text, boolean embedding, Map<String, String> options, String comment) {
    Schema input =
        Schema.newBuilder()
            .column(text ? "text" : "content", text ? DataTypes.STRING() : DataTypes.BYTES())
            .build();
    RowType result = (RowType) SqlTypes.RESULT.getLogicalType();
    List<String> columns = new ArrayList<>(OUTPUT);
    if (embedding) {
      columns.add("embedding");
    }
    Schema.Builder output = Schema.newBuilder();
    for (String c : columns) {
      DataType type =
          switch (c) {
            case "label" -> DataTypes.STRING();
            case "score" -> DataTypes.DOUBLE();
            default ->
                SqlTypes.RESULT.getChildren().get(result.getFieldNames().indexOf(c)).nullable();
          };
      output.column(c, type);
    }
    return CatalogModel.of(input, output.build(), options, comment);
  }
}

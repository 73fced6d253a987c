package io.mmflow.sql.functions;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.sql.SqlInputs;
import io.mmflow.sql.types.SqlTypes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code MMF_OCR(image BYTES [, options MAP<STRING, STRING>]) → RESULT}: the image read by
 * Tesseract after the jobs' OCR preprocessing (grayscale, contrast, binarization, deskew, denoise,
 * rescaling, crop): {@code text}, the calibrated {@code confidence}, the words with their boxes in
 * {@code entities}, the preprocessing steps and skew in {@code attributes}. A multi-page image
 * (TIFF) gives its document result, the pages' text joined. {@code options} are the {@code
 * mmflow.ocr.*} settings for this call, with or without the prefix ({@code MAP['language', 'deu',
 * 'preprocess.binarization', 'otsu']}). An image without text is a result with empty text; bytes
 * that are not an image, or an invalid option, give a row with status {@code error} and its {@code
 * MMF-nnnn} code.
 */
public final class OcrFunction extends ScalarFunction {
  /** Readers kept for distinct option maps; each holds a Tesseract engine. */
  private static final int READERS = 4;

  private final Configuration config;
  private transient Map<Map<String, String>, DocumentReader> readers;

  public OcrFunction(Configuration config) {
    this.config = new Configuration(config);
  }

  public RowData eval(byte[] image) {
    return eval(image, null);
  }

  public RowData eval(byte[] image, Map<String, String> options) {
    if (image == null) {
      return null;
    }
    MediaItem item = SqlInputs.item(image, null, null);
    Instant started = Instant.now();
    DocumentReader reader;
    try {
      reader = reader(options == null ? Map.of() : options);
    } catch (RuntimeException e) {
      MmflowException invalid =
          e instanceof MmflowException m
              ? m
              : new MmflowException(
                  ErrorCode.CONFIGURATION_INVALID, "invalid OCR option: " + e.getMessage());
      return SqlTypes.result(
          ExtractionResults.rejectedItem(
              item, invalid.code(), invalid.getMessage(), started, Instant.now()));
    }
    return SqlTypes.result(reader.readImage(item));
  }

  private DocumentReader reader(Map<String, String> options) {
    if (readers == null) {
      readers =
          new LinkedHashMap<>(READERS, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Map<String, String>, DocumentReader> e) {
              if (size() > READERS) {
                e.getValue().close();
                return true;
              }
              return false;
            }
          };
    }
    DocumentReader reader = readers.get(options);
    if (reader == null) {
      Configuration conf = SqlInputs.withOptions(config, "mmflow.ocr.", options);
      reader = new DocumentReader(conf, true, true);
      readers.put(Map.copyOf(options), reader);
    }
    return reader;
  }

  @Override
  public TypeInference getTypeInference(DataTypeFactory typeFactory) {
    return Signatures.returning(
        SqlTypes.RESULT,
        List.of(
            List.of(DataTypes.BYTES()),
            List.of(DataTypes.BYTES(), DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()))));
  }

  @Override
  public void close() {
    if (readers != null) {
      readers.values().forEach(DocumentReader::close);
      readers.clear();
    }
  }
}

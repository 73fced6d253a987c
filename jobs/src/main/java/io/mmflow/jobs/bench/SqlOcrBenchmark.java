package io.mmflow.jobs.bench;

import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.datasets.ocr.OcrPageGenerator;
import io.mmflow.jobs.eval.TextMetrics;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.sql.SqlEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The OCR side of {@code bin/mmflow bench sql}: OCR through Flink SQL ({@code MMF_RESULTS} over a
 * {@code mmflow-media} table) against the documents job, on the same page images, parallelism and
 * settings, timed as bench ocr times the job, with each side's CER against the pages' truth.
 */
public final class SqlOcrBenchmark {
  /**
   * What the OCR side measured: pages per second of {@code MMF_RESULTS} over a mmflow-media table
   * and of the documents job, on the same pages and parallelism, and each side's character error
   * rate against the pages' truth.
   */
  public record Ocr(
      int pages,
      int parallelism,
      double sqlPagesPerSecond,
      double jobPagesPerSecond,
      double sqlCer,
      double jobCer) {
    public double ratio() {
      return sqlPagesPerSecond / jobPagesPerSecond;
    }
  }

  /** The OCR side's load: the page images, the parallelism of both sides, the timed rounds. */
  public record OcrLoad(Path pages, int parallelism, int rounds) {}

  private SqlOcrBenchmark() {}

  /**
   * {@code MMF_RESULTS} over a {@code mmflow-media} table of the page images under {@code dir}
   * against the documents job on the same pages, parallelism and settings: pages per second from
   * the first OCR start to the last OCR end (the results' own timing, as bench ocr times the job),
   * each side once to warm up, then the load's rounds alternated, each side's fastest; and each
   * side's CER against the pages' truth files.
   */
  public static Ocr ocr(OcrLoad load, Configuration base, PrintStream log) throws Exception {
    Path dir = load.pages();
    int parallelism = load.parallelism();
    List<Path> images = OcrBenchmark.images(dir);
    if (images.isEmpty()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID, "no page images (png, jpg, tif, ...) under " + dir);
    }
    int n = images.size();
    log.printf("OCR: %d page images under %s, parallelism %d%n", n, dir, parallelism);
    PageSpan.Span sql = sqlPages(dir, base, parallelism, n);
    PageSpan.Span job = OcrBenchmark.jobPages(dir, base, parallelism, n, true);
    double sqlRate = 0;
    double jobRate = 0;
    for (int round = 0; round < load.rounds(); round++) {
      sqlRate = Math.max(sqlRate, sqlPages(dir, base, parallelism, n).pagesPerSecond(n));
      jobRate =
          Math.max(
              jobRate, OcrBenchmark.jobPages(dir, base, parallelism, n, false).pagesPerSecond(n));
    }
    double sqlCer = cer(images, sql);
    double jobCer = cer(images, job);
    log.printf(
        Locale.ROOT,
        "  MMF_RESULTS over mmflow-media  %10.2f pages/s (fastest round), CER %.4f%n",
        sqlRate,
        sqlCer);
    log.printf(
        Locale.ROOT,
        "  documents job                  %10.2f pages/s (fastest round), CER %.4f%n",
        jobRate,
        jobCer);
    return new Ocr(n, parallelism, sqlRate, jobRate, sqlCer, jobCer);
  }

  /** The pages' character error rate against their truth files (a page not read counts whole). */
  static double cer(List<Path> images, PageSpan.Span span) throws IOException {
    Map<Path, String> read = new HashMap<>();
    span.texts().forEach((uri, text) -> read.put(local(uri), text));
    TextMetrics.Errors errors = TextMetrics.Errors.NONE;
    for (Path image : images) {
      Path truth = OcrPageGenerator.truthFileOf(image);
      if (Files.exists(truth)) {
        errors =
            errors.plus(
                TextMetrics.characterErrors(
                    Files.readString(truth),
                    read.getOrDefault(local(image.toUri().toString()), "")));
      }
    }
    return errors.rate();
  }

  private static Path local(String uri) {
    return Path.of(URI.create(uri)).toAbsolutePath().normalize();
  }

  /**
   * The pages through SQL: a mmflow-media table over {@code dir} and the rows {@code MMF_RESULTS}
   * makes of each object, the OCR rows' span (and texts) kept as the job's are.
   */
  static PageSpan.Span sqlPages(Path dir, Configuration base, int parallelism, int expected)
      throws Exception {
    Configuration config = new Configuration(base);
    config.set(RuntimeOptions.PARALLELISM, parallelism);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            parallelism, JobEnvironment.localFlinkConfiguration(config));
    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    tables.executeSql(SqlEnvironment.loadModuleSql(config));
    tables.executeSql(
        "CREATE TEMPORARY TABLE pages (source_uri STRING, content BYTES, event_time"
            + " TIMESTAMP_LTZ(3)) WITH ('connector' = 'mmflow-media', 'path' = '"
            + dir.toAbsolutePath().toString().replace("'", "''")
            + "', 'include' = '"
            + String.join(
                ";", OcrBenchmark.IMAGE_SUFFIXES.stream().map(suffix -> "**/*" + suffix).toList())
            + "')");
    Table rows =
        tables.sqlQuery(
            "SELECT r.source_uri, r.started_at, r.finished_at, r.text FROM pages, LATERAL"
                + " TABLE(MMF_RESULTS(pages.content, pages.source_uri, pages.event_time)) AS r"
                + " WHERE r.task = 'ocr'");
    tables
        .toDataStream(rows)
        .process(
            new PageSpan<Row>(
                r ->
                    new PageSpan.Page(
                        (String) r.getField(0),
                        r.getField(1),
                        r.getField(2),
                        (String) r.getField(3)),
                true))
        .name("page timings")
        .sinkTo(new DiscardingSink<>())
        .name("discard");
    return OcrBenchmark.checked(PageSpan.of(env.execute("bench sql: OCR")), expected, "SQL");
  }
}

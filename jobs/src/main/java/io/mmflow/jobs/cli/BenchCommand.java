package io.mmflow.jobs.cli;

import io.mmflow.datasets.feeds.SyntheticFeed;
import io.mmflow.datasets.ocr.OcrPageGenerator;
import io.mmflow.datasets.ocr.OcrPageGenerator.Condition;
import io.mmflow.jobs.bench.BackfillBenchmark;
import io.mmflow.jobs.bench.DocumentsBenchmark;
import io.mmflow.jobs.bench.OcrBenchmark;
import io.mmflow.jobs.bench.OnnxBenchmark;
import io.mmflow.jobs.bench.RemoteBenchmark;
import io.mmflow.jobs.bench.SqlBenchmark;
import io.mmflow.jobs.bench.SqlOcrBenchmark;
import io.mmflow.jobs.bench.StreamBenchmark;
import io.mmflow.jobs.bench.StreamOverload;
import io.mmflow.jobs.bench.StreamRateSearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure throughput against a baseline, side by side in one run.",
      "ocr: pages/s of the documents job vs the tesseract CLI on the same pages and",
      "parallelism, and the job at parallelism 1 vs N.",
      "documents: PDFs/s of the documents job (text layers, OCR off) vs poppler's pdftotext."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow bench ocr                      # on generated pages",
      "  mmflow bench ocr --input ~/page-images --parallelism 2",
      "  mmflow bench onnx                     # BERT-shaped model: operator vs bare ONNX Runtime",
      "  mmflow bench onnx --model sentiment-en --records 40000",
      "  mmflow bench remote                   # async remote stage vs capacity / latency",
      "  mmflow bench remote --latency-ms 200 --calls 10000 --mlpredict-calls 2000",
      "  mmflow bench sql                      # ML_PREDICT (mmflow provider) vs the operator",
      "  mmflow bench stream                   # feeds job: highest rate at p99 < 500 ms; bare loop",
      "  mmflow bench stream --rate 500 --duration 30 --mix text=1,image=0.2",
      "  mmflow bench stream --overload --rate 2000 # twice 2000/s for 60 s: backlog, drain",
      "  mmflow bench backfill --items 2000     # backfill vs documents job; killed and resumed",
      "  mmflow bench documents --input ~/.cache/mmflow/corpus/files   # vs pdftotext"
    })
final class BenchCommand implements Callable<Integer> {
  /** The micro-batch size of bench onnx and bench sql. */
  static final int BATCH = 32;

  /** What can be measured. */
  enum Target {
    backfill,
    documents,
    ocr,
    onnx,
    remote,
    sql,
    stream
  }

  @Parameters(
      index = "0",
      paramLabel = "WHAT",
      description = "What to measure: ${COMPLETION-CANDIDATES}.")
  Target what;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description =
          "ocr: folder of page images (default: generated pages); documents: folder of PDFs.")
  Path input;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Parallelism of the job and number of tesseract or pdftotext processes (default"
              + " ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--pages-per-condition",
      paramLabel = "N",
      description =
          "ocr, sql: pages generated per condition when no --input is given (default: ocr 30, 180"
              + " pages, a run of about 30 s at parallelism 2, as in much shorter runs the JVM's"
              + " warm-up weighs on the job's figure; sql 10, as it runs each side four times).")
  Integer pagesPerCondition;

  @Option(
      names = "--records",
      paramLabel = "N",
      defaultValue = "8000",
      description = "onnx, sql: texts per timed run (default ${DEFAULT-VALUE}).")
  int records;

  @Option(
      names = "--model",
      paramLabel = "ID",
      defaultValue = "tiny-bert",
      description =
          "onnx, sql: the text model: tiny-bert (built by the bench: a 2-layer BERT-shaped encoder),"
              + " sentiment-en, or any text model of mmflow.models.registry"
              + " (default ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--capacity",
      paramLabel = "N",
      defaultValue = "200",
      description = "remote, sql: calls in flight (async capacity) (default ${DEFAULT-VALUE}).")
  int capacity;

  @Option(
      names = "--latency-ms",
      paramLabel = "MS",
      defaultValue = "20",
      description =
          "remote, sql, backfill: the loopback provider's latency per call (default"
              + " ${DEFAULT-VALUE}).")
  long latencyMs;

  @Option(
      names = "--calls",
      paramLabel = "N",
      defaultValue = "20000",
      description =
          "remote, sql: calls in each run, timed or warm-up (remote warms up until the JIT"
              + " compilers settle, 3-4 minutes on 2 vCPUs) (default ${DEFAULT-VALUE}).")
  int calls;

  @Option(
      names = "--mlpredict-calls",
      paramLabel = "N",
      description =
          "remote, sql: calls in Flink's own ML_PREDICT's timed run, the first N of the same texts"
              + " (default: remote as --calls, sql 2000; it keeps at most 5 calls in flight, so at"
              + " long latencies fewer save minutes).")
  Integer mlPredictCalls;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description =
          "stream: feed events per second for one fixed-rate run (default: search the highest"
              + " rate the job holds at p99 < 500 ms, a step at a time in turns with the bare"
              + " loop's).")
  Double rate;

  @Option(
      names = "--overload",
      description =
          "stream: feed the job at twice --rate (a rate it holds) for --duration seconds (default"
              + " 60 here), then measure the backlog's drain, the checkpoints that completed"
              + " meanwhile, restarts and the heap.")
  boolean overload;

  @Option(
      names = "--start",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "stream search: events per second of the warm-up and the first step"
              + " (default ${DEFAULT-VALUE}).")
  double start;

  @Option(
      names = "--no-bare",
      description = "stream search: the job's search only, without the bare-loop anchor.")
  boolean noBare;

  @Option(
      names = "--step",
      paramLabel = "S",
      defaultValue = "10",
      description = "stream search: seconds of each step (default ${DEFAULT-VALUE}).")
  int step;

  @Option(
      names = "--duration",
      paramLabel = "S",
      description = "stream: seconds of the timed phase (default 20; 60 with --overload).")
  Integer duration;

  @Option(
      names = "--warmup",
      paramLabel = "S",
      description =
          "stream: seconds of warm-up, not measured (default: 15 at a fixed rate; before a"
              + " search at least 60, and on while the JIT compilers use 0.15 of a core or more, up"
              + " to 300): the job runs slower for its first minutes while the JIT compiles.")
  Integer warmup;

  @Option(
      names = "--mix",
      paramLabel = "SPEC",
      defaultValue = "text=1,image=0,audio=0",
      description =
          "stream: fractions of events with a text, an image, an audio part"
              + " (default ${DEFAULT-VALUE}).")
  String mix;

  @Option(
      names = "--items",
      paramLabel = "N",
      defaultValue = "2000",
      description = "backfill: generated inputs (default ${DEFAULT-VALUE}).")
  int items;

  @Mixin ConfigMixin config;

  @Override
  public Integer call() throws Exception {
    if (what == Target.documents) {
      if (input == null) {
        throw new io.mmflow.core.error.MmflowException(
            io.mmflow.core.error.ErrorCode.CONFIGURATION_INVALID,
            "give a folder of PDFs: bin/mmflow bench documents --input DIR"
                + " (datasets/corpus/fetch-debian-docs.sh fetches a real-world corpus)");
      }
      DocumentsBenchmark.print(
          DocumentsBenchmark.run(input, config.load(Map.of()), parallelism, System.out),
          System.out);
      return 0;
    }
    if (what == Target.backfill) {
      BackfillBenchmark.print(
          BackfillBenchmark.run(config.load(Map.of()), items, latencyMs, System.out), System.out);
      return 0;
    }
    if (what == Target.stream) {
      if (overload) {
        if (rate == null) {
          throw new io.mmflow.core.error.MmflowException(
              io.mmflow.core.error.ErrorCode.CONFIGURATION_INVALID,
              "--overload needs --rate R, a rate the job holds (bin/mmflow bench stream finds it:"
                  + " max_rps); it runs at twice R");
        }
        StreamOverload.print(
            StreamOverload.run(
                config.load(Map.of()),
                rate,
                Duration.ofSeconds(warmup == null ? 60 : warmup),
                Duration.ofSeconds(duration == null ? 60 : duration),
                SyntheticFeed.Mix.parse(mix),
                DemoCommand.home("datasets/sentiment"),
                System.out),
            System.out);
      } else if (rate != null) {
        StreamBenchmark.print(
            StreamBenchmark.run(
                config.load(Map.of()),
                rate,
                Duration.ofSeconds(warmup == null ? 15 : warmup),
                Duration.ofSeconds(duration == null ? 20 : duration),
                SyntheticFeed.Mix.parse(mix),
                DemoCommand.home("datasets/sentiment"),
                System.out),
            System.out);
      } else {
        StreamBenchmark.print(
            StreamBenchmark.search(
                config.load(Map.of()),
                new StreamRateSearch.Settings(
                    start,
                    Duration.ofSeconds(warmup == null ? 60 : warmup),
                    Duration.ofSeconds(step),
                    16),
                !noBare,
                SyntheticFeed.Mix.parse(mix),
                DemoCommand.home("datasets/sentiment"),
                System.out),
            System.out);
      }
      return 0;
    }
    if (what == Target.remote) {
      RemoteBenchmark.print(
          RemoteBenchmark.run(
              config.load(Map.of()),
              capacity,
              latencyMs,
              calls,
              mlPredictCalls == null ? calls : mlPredictCalls,
              System.out),
          System.out);
      return 0;
    }
    if (what == Target.sql || what == Target.onnx) {
      Path corpus = input == null ? DemoCommand.home("datasets/sentiment") : input;
      Configuration conf = config.load(Map.of());
      if (what == Target.sql) {
        SqlBenchmark.print(
            SqlBenchmark.run(
                corpus,
                conf,
                model,
                records,
                BATCH,
                new SqlBenchmark.RemoteLoad(
                    capacity, latencyMs, calls, mlPredictCalls == null ? 2000 : mlPredictCalls),
                new SqlOcrBenchmark.OcrLoad(
                    generatedPages(pagesPerCondition == null ? 10 : pagesPerCondition),
                    parallelism,
                    OnnxBenchmark.ROUNDS),
                System.out),
            System.out);
      } else {
        OnnxBenchmark.print(
            OnnxBenchmark.run(corpus, conf, model, records, BATCH, System.out), System.out);
      }
      return 0;
    }
    Path dir =
        input == null ? generatedPages(pagesPerCondition == null ? 30 : pagesPerCondition) : input;
    OcrBenchmark.print(
        OcrBenchmark.run(dir, config.load(Map.of()), parallelism, System.out),
        parallelism,
        System.out);
    return 0;
  }

  /** Page images with their truth, generated into a new temporary folder. */
  private static Path generatedPages(int pagesPerCondition) throws IOException {
    Path dir = Files.createTempDirectory("mmflow-bench-pages");
    // Tesseract alone gives up on skewed pages ("Empty page!!") in a fraction of the time a
    // read takes, which would credit the CLI for pages it never reads: compare on pages both
    // sides read (accuracy on skewed pages is what `mmflow eval ocr` measures). Small text at
    // 150 DPI is left out too: the job enlarges those pages, for accuracy, and the CLI does not,
    // so the two would not be doing the same work.
    OcrPageGenerator.generate(
        dir,
        pagesPerCondition,
        7L,
        EnumSet.complementOf(EnumSet.of(Condition.SKEW, Condition.MIXED, Condition.SMALL_150)));
    System.out.println(
        "generated "
            + pagesPerCondition
            + " pages per condition in "
            + dir
            + " (without the skew and mixed conditions, which the CLI cannot read)");
    return dir;
  }
}

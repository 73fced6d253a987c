package io.mmflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.jobs.runtime.CliProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of {@code bin/mmflow run} over damaged PDFs (content streams with operators short of
 * operands and bad hex strings, which PDFBox reports): the console shows mmflow's progress and
 * summary, with the libraries' messages counted and left in the log file; {@code --verbose} brings
 * them back. Run as bin/mmflow runs the CLI: its own JVM with bin/mmflow's logging configuration.
 */
class ConsoleITCase {
  static final Path REPO = Path.of(System.getProperty("mmflow.repo.root", ".."));

  @Test
  void libraryChatterStaysInTheLogFileCountedInTheSummaryAndVerboseShowsIt(@TempDir Path dir)
      throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    for (int i = 0; i < 3; i++) {
      damagedPdf(docs.resolve("damaged-" + i + ".pdf"), "Quarterly report number " + i);
    }
    Path logs = dir.resolve("data/logs");

    String quiet = run(dir, docs, logs, "run1.txt", List.of());
    assertThat(quiet).contains("mmflow documents finished", "items read");
    assertThat(quiet).containsPattern("library warnings +[1-9]\\d*");
    List<String> chatter = new ArrayList<>();
    for (String line : quiet.lines().toList()) {
      if (line.startsWith("WARN ") || line.startsWith("ERROR ") || line.startsWith("\tat ")) {
        chatter.add(line);
      }
    }
    assertThat(chatter).as("library lines on the console").isEmpty();
    String logged = Files.readString(logs.resolve("mmflow.log"));
    assertThat(logged).containsIgnoringCase("operand");

    String verbose = run(dir, docs, logs, "run2.txt", List.of("--verbose"));
    assertThat(verbose).contains("mmflow documents finished");
    assertThat(verbose.lines().filter(l -> l.startsWith("WARN ") || l.startsWith("ERROR ")))
        .as("--verbose: the libraries' lines on the console")
        .isNotEmpty();
  }

  /** {@code bin/mmflow run documents} as bin/mmflow starts it; answers its console. */
  private static String run(Path dir, Path docs, Path logs, String name, List<String> extra)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "documents",
                "--input",
                docs.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "-D",
                "mmflow.models.sentiment=",
                "-D",
                "mmflow.postgres.enabled=false",
                "-D",
                "mmflow.iceberg.enabled=false"));
    args.addAll(extra);
    Path console = dir.resolve(name);
    Process p =
        CliProcess.start(
            Map.of(
                "log4j2.configurationFile",
                REPO.resolve("jobs/src/main/cli/log4j2-cli.properties").toAbsolutePath().toString(),
                "mmflow.log.dir",
                logs.toString()),
            args,
            console);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the run took over 3 minutes").isTrue();
    String out = Files.readString(console, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /**
   * A PDF whose page has its text and, around it, what PDFBox complains of: {@code Td} with one
   * operand, a hex string with a non-hex digit, an unknown operator.
   */
  static void damagedPdf(Path file, String text) throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      PDResources resources = new PDResources();
      resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
      page.setResources(resources);
      String content =
          "BT /F1 12 Tf 72 720 Td ("
              + text
              + ") Tj ET\n"
              + "BT /F1 12 Tf 1 Td <4G6C> Tj ET\n"
              + "BT /F1 12 Tf 72 700 Td 1 2 qq (More text after the damage) Tj ET\n";
      PDStream stream = new PDStream(doc);
      try (var out = stream.createOutputStream()) {
        out.write(content.getBytes(StandardCharsets.ISO_8859_1));
      }
      page.setContents(stream);
      doc.addPage(page);
      doc.save(file.toFile());
    }
  }
}

package io.mmflow.jobs.bench;

import io.mmflow.model.ocr.OcrSettings;

/**
 * The anchor of the OCR benches and evals: Debian's {@code tesseract} command-line tool with the
 * job's language, page segmentation mode and tessdata, one OpenMP thread (as the job's engines).
 */
public final class TesseractCli {
  private TesseractCli() {}

  /**
   * {@code tesseract INPUT OUTPUT -l L --psm N --tessdata-dir D}; {@code input} is an image or a
   * list of images, {@code output} a base name or {@code stdout}.
   */
  public static ProcessBuilder command(String input, String output, OcrSettings settings) {
    ProcessBuilder pb =
        new ProcessBuilder(
            "tesseract",
            input,
            output,
            "-l",
            settings.language(),
            "--psm",
            Integer.toString(settings.pageSegmentationMode()),
            "--tessdata-dir",
            settings.tessdata());
    pb.environment().put("OMP_THREAD_LIMIT", "1");
    return pb;
  }
}

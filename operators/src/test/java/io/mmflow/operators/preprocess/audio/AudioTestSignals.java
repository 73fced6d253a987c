package io.mmflow.operators.preprocess.audio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import net.sourceforge.javaflacencoder.FLACEncoder;
import net.sourceforge.javaflacencoder.FLACFileOutputStream;
import net.sourceforge.javaflacencoder.StreamConfiguration;

/** Test signals, measurements and files written with javax.sound and java-flac-encoder. */
final class AudioTestSignals {
  private AudioTestSignals() {}

  static float[] sine(double hz, double amplitude, int rate, double seconds) {
    int n = (int) Math.round(seconds * rate);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return x;
  }

  /**
   * Amplitude of the {@code hz} component of {@code x[from, to)}: a Hann-windowed single-bin DFT
   * (Goertzel's frequency, computed directly), scaled so that a sine of amplitude A gives A.
   */
  static double amplitudeAt(float[] x, int from, int to, double hz, int rate) {
    int n = to - from;
    double re = 0;
    double im = 0;
    double wsum = 0;
    for (int i = 0; i < n; i++) {
      double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
      double ph = 2 * Math.PI * hz * (from + i) / rate;
      re += w * x[from + i] * Math.cos(ph);
      im += w * x[from + i] * Math.sin(ph);
      wsum += w;
    }
    return 2 * Math.hypot(re, im) / wsum;
  }

  static double rms(float[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) x[i] * x[i];
    }
    return Math.sqrt(s / (to - from));
  }

  static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }

  /** A file written by {@link AudioSystem#write} from interleaved frames in {@code format}. */
  static byte[] write(byte[] frames, AudioFormat format, AudioFileFormat.Type type) {
    try {
      long count = frames.length / format.getFrameSize();
      AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(frames), format, count);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AudioSystem.write(in, type, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Interleaved integer samples as bytes: {@code bits} 8 (unsigned, offset 128), 16, 24 or 32
   * (signed), in the given byte order.
   */
  static byte[] pcm(int[][] channels, int bits, boolean bigEndian) {
    int n = channels[0].length;
    int bytes = bits / 8;
    byte[] out = new byte[n * channels.length * bytes];
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int[] c : channels) {
        int v = bits == 8 ? c[i] + 128 : c[i];
        for (int b = 0; b < bytes; b++) {
          int shift = bigEndian ? 8 * (bytes - 1 - b) : 8 * b;
          out[p++] = (byte) (v >> shift);
        }
      }
    }
    return out;
  }

  /** A FLAC file encoded with java-flac-encoder from integer samples per channel. */
  static byte[] flac(int[][] channels, int rate, int bits, Path dir) {
    try {
      Path file = Files.createTempFile(dir, "test", ".flac");
      int n = channels[0].length;
      int ch = channels.length;
      StreamConfiguration sc = new StreamConfiguration(ch, 16, 4096, rate, bits);
      FLACEncoder enc = new FLACEncoder();
      enc.setStreamConfiguration(sc);
      FLACFileOutputStream out = new FLACFileOutputStream(file.toString());
      enc.setOutputStream(out);
      enc.openFLACStream();
      int[] interleaved = new int[n * ch];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < ch; c++) {
          interleaved[i * ch + c] = channels[c][i];
        }
      }
      enc.addSamples(interleaved, n);
      enc.encodeSamples(n, true);
      out.close();
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

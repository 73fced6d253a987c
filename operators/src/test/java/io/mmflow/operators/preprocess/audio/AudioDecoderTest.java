package io.mmflow.operators.preprocess.audio;

import static io.mmflow.operators.preprocess.audio.AudioTestSignals.flac;
import static io.mmflow.operators.preprocess.audio.AudioTestSignals.pcm;
import static io.mmflow.operators.preprocess.audio.AudioTestSignals.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioDecoderTest {
  @TempDir Path dir;

  private final AudioDecoder decoder = new AudioDecoder();

  /** Pseudo-random full-range samples for {@code bits}, per channel. */
  private static int[][] samples(int channels, int n, int bits, long seed) {
    Random random = new Random(seed);
    int[][] s = new int[channels][n];
    long half = 1L << (bits - 1);
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < n; i++) {
        s[c][i] = (int) (random.nextLong(2 * half) - half);
      }
      s[c][0] = (int) -half; // the extremes decode to -1 and 1 - 2^-(bits-1)
      s[c][1] = (int) (half - 1);
    }
    return s;
  }

  private static void assertDecodes(AudioClip clip, int[][] expected, int bits, int rate) {
    assertThat(clip.sampleRate()).isEqualTo(rate);
    assertThat(clip.channelCount()).isEqualTo(expected.length);
    double full = 1L << (bits - 1);
    for (int c = 0; c < expected.length; c++) {
      float[] want = new float[expected[c].length];
      for (int i = 0; i < want.length; i++) {
        want[i] = (float) (expected[c][i] / full);
      }
      assertThat(clip.channels()[c]).as("channel %d", c).containsExactly(want);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 24, 32})
  void decodesSignedPcmWav(int bits) {
    int[][] s = samples(2, 3000, bits, bits);
    AudioFormat f = new AudioFormat(44_100, bits, 2, true, false);
    byte[] wav = write(pcm(s, bits, false), f, AudioFileFormat.Type.WAVE);

    assertThat(AudioDecoder.detect(wav)).isEqualTo(AudioDecoder.Container.WAV);
    assertDecodes(decoder.decode(wav), s, bits, 44_100);
  }

  @Test
  void decodesUnsignedEightBitWav() {
    int[][] s = samples(1, 500, 8, 8);
    AudioFormat f = new AudioFormat(8_000, 8, 1, false, false);
    byte[] wav = write(pcm(s, 8, false), f, AudioFileFormat.Type.WAVE);
    assertDecodes(decoder.decode(wav), s, 8, 8_000);
  }

  @Test
  void decodesBigEndianAiff() {
    int[][] s = samples(2, 1000, 16, 3);
    AudioFormat f = new AudioFormat(22_050, 16, 2, true, true);
    byte[] aiff = write(pcm(s, 16, true), f, AudioFileFormat.Type.AIFF);

    assertThat(AudioDecoder.detect(aiff)).isEqualTo(AudioDecoder.Container.AIFF);
    assertDecodes(decoder.decode(aiff), s, 16, 22_050);
  }

  @Test
  void decodesMuLawWav() {
    // µ-law byte 0xFF is +0, 0x80 is the largest positive value (32124 / 32768), 0x00 the
    // largest negative; G.711 as the JDK expands it to 16-bit PCM.
    byte[] ulaw = {(byte) 0xFF, (byte) 0x80, 0x00, (byte) 0x7F};
    AudioFormat f = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
    byte[] wav = write(ulaw, f, AudioFileFormat.Type.WAVE);

    AudioClip clip = decoder.decode(wav);
    assertThat(clip.channels()[0]).containsExactly(0f, 32124 / 32768f, -32124 / 32768f, 0f);
  }

  @Test
  void decodesFloatWav() {
    float[] x = AudioTestSignals.sine(440, 0.7, 48_000, 0.1);
    x[10] = -1f;
    x[11] = 1f;
    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : x) {
      b.putFloat(v);
    }
    AudioFormat f =
        new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, 48_000, 32, 1, 4, 48_000, false);
    byte[] wav = write(b.array(), f, AudioFileFormat.Type.WAVE);

    AudioClip clip = decoder.decode(wav);
    assertThat(clip.sampleRate()).isEqualTo(48_000);
    assertThat(clip.channels()[0]).containsExactly(x);
  }

  @Test
  void decodesFlacToTheEncodedPcm() {
    int[][] s = samples(2, 10_000, 16, 16);
    // a smooth part too, so that the encoder uses LPC / fixed subframes, not only verbatim ones
    for (int i = 2000; i < 8000; i++) {
      s[0][i] = (int) (12_000 * Math.sin(i * 0.05));
      s[1][i] = (int) (9_000 * Math.sin(i * 0.031));
    }
    byte[] flac = flac(s, 44_100, 16, dir);

    assertThat(AudioDecoder.detect(flac)).isEqualTo(AudioDecoder.Container.FLAC);
    assertDecodes(decoder.decode(flac), s, 16, 44_100);
  }

  @Test
  void decodesTwentyFourBitMonoFlac() {
    int[][] s = samples(1, 5000, 24, 24);
    byte[] flac = flac(s, 48_000, 24, dir);
    assertDecodes(decoder.decode(flac), s, 24, 48_000);
  }

  @Test
  void truncatedWavIsCorrupt() {
    int[][] s = samples(1, 8000, 16, 1);
    byte[] wav =
        write(
            pcm(s, 16, false),
            new AudioFormat(16_000, 16, 1, true, false),
            AudioFileFormat.Type.WAVE);

    assertCode(Arrays.copyOf(wav, wav.length / 2), ErrorCode.CORRUPT_INPUT, "truncated");
    assertCode(Arrays.copyOf(wav, 30), ErrorCode.CORRUPT_INPUT, null);
    assertCode(Arrays.copyOf(wav, 12), ErrorCode.CORRUPT_INPUT, null);
  }

  @Test
  void truncatedFlacIsCorrupt() {
    int[][] s = samples(1, 20_000, 16, 2);
    byte[] flac = flac(s, 16_000, 16, dir);

    assertCode(Arrays.copyOf(flac, flac.length * 2 / 3), ErrorCode.CORRUPT_INPUT, "truncated");
    assertCode(Arrays.copyOf(flac, 20), ErrorCode.CORRUPT_INPUT, null);
  }

  @Test
  void damagedFlacFrameIsCorrupt() {
    int[][] s = samples(1, 20_000, 16, 2);
    byte[] flac = flac(s, 16_000, 16, dir);
    for (int i = flac.length / 2; i < flac.length / 2 + 64; i++) {
      flac[i] ^= 0x5A;
    }
    assertCode(flac, ErrorCode.CORRUPT_INPUT, null);
  }

  @Test
  void unknownBytesAreUnsupported() {
    byte[] random = new byte[4096];
    new Random(42).nextBytes(random);
    assertThat(AudioDecoder.detect(random)).isEqualTo(AudioDecoder.Container.UNKNOWN);
    assertCode(random, ErrorCode.UNSUPPORTED_MEDIA_TYPE, null);
    assertCode(
        "ID3\u0003 not really an mp3".getBytes(StandardCharsets.US_ASCII),
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        null);
    assertCode(new byte[0], ErrorCode.EMPTY_INPUT, null);
  }

  @Test
  void magicFollowedByGarbageIsCorrupt() {
    byte[] b = new byte[2048];
    new Random(7).nextBytes(b);
    System.arraycopy("fLaC".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
    assertCode(b, ErrorCode.CORRUPT_INPUT, null);
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
    System.arraycopy("WAVE".getBytes(StandardCharsets.US_ASCII), 0, b, 8, 4);
    assertCode(b, ErrorCode.CORRUPT_INPUT, null);
  }

  @Test
  void wavInAnEncodingWithoutADecoderIsUnsupported() {
    // A minimal IMA ADPCM header (format tag 0x0011): valid WAV, no JDK decoder.
    ByteBuffer b = ByteBuffer.allocate(60).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(52);
    b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(20);
    b.putShort((short) 0x11)
        .putShort((short) 1)
        .putInt(8000)
        .putInt(4055)
        .putShort((short) 256)
        .putShort((short) 4)
        .putShort((short) 2)
        .putShort((short) 505);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(0);
    assertCode(b.array(), ErrorCode.UNSUPPORTED_MEDIA_TYPE, "0x0011");
  }

  @Test
  void rejectsClipsLongerThanTheLimitBeforeDecoding() {
    int[][] s = samples(1, 3 * 8000, 16, 5); // 3 s at 8 kHz
    byte[] wav =
        write(
            pcm(s, 16, false),
            new AudioFormat(8_000, 16, 1, true, false),
            AudioFileFormat.Type.WAVE);
    byte[] flac = flac(s, 8_000, 16, dir);

    AudioDecoder twoSeconds = new AudioDecoder(2.0);
    for (byte[] b : new byte[][] {wav, flac}) {
      assertThatThrownBy(() -> twoSeconds.decode(b))
          .isInstanceOf(MmflowException.class)
          .hasMessageContaining("3.0 s")
          .hasMessageContaining("2.0 s")
          .extracting(e -> ((MmflowException) e).code())
          .isEqualTo(ErrorCode.INPUT_TOO_LARGE);
      assertThat(new AudioDecoder(3.0).decode(b).durationSeconds()).isEqualTo(3.0);
    }
  }

  @Test
  void auFileWithoutDeclaredLengthIsLimitedWhileReading() {
    int[][] s = samples(1, 3 * 8000, 16, 6);
    byte[] au =
        write(pcm(s, 16, true), new AudioFormat(8_000, 16, 1, true, true), AudioFileFormat.Type.AU);
    // data size field (offset 8) = 0xFFFFFFFF: "unknown", as streaming writers leave it
    au[8] = au[9] = au[10] = au[11] = (byte) 0xFF;

    assertThat(AudioDecoder.detect(au)).isEqualTo(AudioDecoder.Container.AU);
    assertDecodes(decoder.decode(au), s, 16, 8_000);
    assertCode(au, new AudioDecoder(2.0), ErrorCode.INPUT_TOO_LARGE);
  }

  private void assertCode(byte[] bytes, ErrorCode code, String message) {
    var thrown =
        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOf(MmflowException.class);
    thrown.extracting(e -> ((MmflowException) e).code()).isEqualTo(code);
    if (message != null) {
      thrown.hasMessageContaining(message);
    }
  }

  private static void assertCode(byte[] bytes, AudioDecoder d, ErrorCode code) {
    assertThatThrownBy(() -> d.decode(bytes))
        .isInstanceOf(MmflowException.class)
        .extracting(e -> ((MmflowException) e).code())
        .isEqualTo(code);
  }
}

package io.mmflow.operators.preprocess.audio;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.frame.Frame;
import org.jflac.metadata.Metadata;
import org.jflac.metadata.StreamInfo;

/**
 * Decodes audio files held in memory into an {@link AudioClip}.
 *
 * <p>The container is detected from the bytes, never from a name: {@code RIFF....WAVE} (WAV),
 * {@code FORM....AIFF}/{@code AIFC} (AIFF) and {@code .snd} (Sun AU) are read with the JDK's {@code
 * javax.sound.sampled} readers; {@code fLaC} with jflac-codec's {@link FLACDecoder}. WAV, AIFF and
 * AU may hold linear PCM (8, 16, 24 or 32 bits, signed or unsigned, either byte order), IEEE float
 * (32 or 64 bits), A-law or µ-law; FLAC any bit depth from 4 to 32. Samples are scaled to [-1, 1)
 * by the full scale of their format ({@code 2^(bits-1)}).
 *
 * <p>Errors carry a stable code: no recognized container or an unsupported WAV encoding (ADPCM, MP3
 * in WAV, ...): {@link ErrorCode#UNSUPPORTED_MEDIA_TYPE}; a known container whose header or data is
 * damaged or shorter than its header says: {@link ErrorCode#CORRUPT_INPUT}; longer than the
 * configured maximum duration: {@link ErrorCode#INPUT_TOO_LARGE} (checked from the header before
 * any sample is decoded when the header states the length, else while decoding); no bytes or no
 * samples: {@link ErrorCode#EMPTY_INPUT} / {@link ErrorCode#NO_CONTENT_EXTRACTED}.
 *
 * <p>Compressed formats without a maintained pure-Java decoder (MP3, AAC, Opus, Vorbis) are not
 * supported. Instances are immutable and thread-safe.
 *
 * <p>Why one long file: the container sniffing, the per-container readers and the sample scaling
 * share the error-code rules above, which are the contract; one file keeps every path to a code in
 * view.
 */
public final class AudioDecoder implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default longest clip accepted, in seconds (10 minutes). */
  public static final double DEFAULT_MAX_SECONDS = 600.0;

  /** Most channels accepted. */
  public static final int MAX_CHANNELS = 64;

  /** Highest sample rate accepted, in Hz. */
  public static final int MAX_SAMPLE_RATE = 768_000;

  /** Containers recognized by {@link #detect(byte[])}. */
  /** Media types (as Tika detects them, and their aliases) of the containers decoded here. */
  public static final Set<String> MEDIA_TYPES =
      Set.of(
          "audio/vnd.wave",
          "audio/wav",
          "audio/x-wav",
          "audio/x-flac",
          "audio/flac",
          "audio/x-aiff",
          "audio/aiff",
          "audio/basic");

  public enum Container {
    WAV,
    AIFF,
    AU,
    FLAC,
    UNKNOWN
  }

  // WAVE_FORMAT_* tags the JDK decodes: PCM, IEEE float, A-law, µ-law; 0xFFFE is EXTENSIBLE.
  private static final int TAG_PCM = 1;
  private static final int TAG_FLOAT = 3;
  private static final int TAG_ALAW = 6;
  private static final int TAG_MULAW = 7;
  private static final int TAG_EXTENSIBLE = 0xFFFE;

  private final double maxSeconds;

  /** A decoder with the {@linkplain #DEFAULT_MAX_SECONDS default} duration limit. */
  public AudioDecoder() {
    this(DEFAULT_MAX_SECONDS);
  }

  /**
   * @param maxSeconds longest clip accepted, in seconds; positive
   */
  public AudioDecoder(double maxSeconds) {
    if (!(maxSeconds > 0) || Double.isInfinite(maxSeconds)) {
      throw new IllegalArgumentException("maxSeconds must be positive and finite: " + maxSeconds);
    }
    this.maxSeconds = maxSeconds;
  }

  public double maxSeconds() {
    return maxSeconds;
  }

  /** The container, from the magic bytes at the start of {@code bytes}. */
  public static Container detect(byte[] bytes) {
    if (startsWith(bytes, 0, "RIFF") && startsWith(bytes, 8, "WAVE")) {
      return Container.WAV;
    }
    if (startsWith(bytes, 0, "FORM")
        && (startsWith(bytes, 8, "AIFF") || startsWith(bytes, 8, "AIFC"))) {
      return Container.AIFF;
    }
    if (startsWith(bytes, 0, ".snd")) {
      return Container.AU;
    }
    if (startsWith(bytes, 0, "fLaC")) {
      return Container.FLAC;
    }
    return Container.UNKNOWN;
  }

  /** Decodes a whole file. See the class comment for the formats and the error codes. */
  public AudioClip decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new MmflowException(ErrorCode.EMPTY_INPUT, "the audio input has no bytes");
    }
    Container container = detect(bytes);
    AudioClip clip =
        switch (container) {
          case FLAC -> decodeFlac(bytes);
          case WAV -> {
            checkWavEncoding(bytes);
            yield decodeSampled(bytes, container);
          }
          case AIFF, AU -> decodeSampled(bytes, container);
          case UNKNOWN ->
              throw new MmflowException(
                  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                  "not a WAV, FLAC, AIFF or AU file (first bytes: " + hexPrefix(bytes) + ")");
        };
    if (clip.frameCount() == 0) {
      throw new MmflowException(
          ErrorCode.NO_CONTENT_EXTRACTED, "the " + container + " file holds no samples");
    }
    return clip;
  }

  // ---------------------------------------------------------------- javax.sound (WAV, AIFF, AU)

  private AudioClip decodeSampled(byte[] bytes, Container container) {
    try (AudioInputStream raw = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes))) {
      AudioFormat format = raw.getFormat();
      AudioInputStream in = raw;
      AudioFormat.Encoding enc = format.getEncoding();
      if (enc.equals(AudioFormat.Encoding.ULAW) || enc.equals(AudioFormat.Encoding.ALAW)) {
        in = AudioSystem.getAudioInputStream(AudioFormat.Encoding.PCM_SIGNED, raw);
        format = in.getFormat();
        enc = format.getEncoding();
      }
      int channels = format.getChannels();
      int rate = Math.round(format.getSampleRate());
      int bits = format.getSampleSizeInBits();
      checkShape(container, channels, rate);
      boolean isFloat = enc.equals(AudioFormat.Encoding.PCM_FLOAT);
      boolean signed = enc.equals(AudioFormat.Encoding.PCM_SIGNED);
      boolean supported =
          isFloat
              ? bits == 32 || bits == 64
              : (signed || enc.equals(AudioFormat.Encoding.PCM_UNSIGNED))
                  && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
      int bytesPerSample = (bits + 7) / 8;
      if (!supported || format.getFrameSize() != channels * bytesPerSample) {
        throw new MmflowException(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            container + " encoding " + enc + " with " + bits + " bits per sample is not supported");
      }
      long declared = in.getFrameLength();
      long maxFrames = (long) Math.floor(maxSeconds * rate);
      if (declared != AudioSystem.NOT_SPECIFIED && declared > maxFrames) {
        throw tooLong((double) declared / rate);
      }
      int frameSize = format.getFrameSize();
      byte[] data;
      if (declared != AudioSystem.NOT_SPECIFIED) {
        long want = declared * frameSize;
        data = in.readNBytes((int) Math.min(want, Integer.MAX_VALUE - 8));
        if (data.length < want) {
          throw new MmflowException(
              ErrorCode.CORRUPT_INPUT,
              container
                  + " file is truncated: its header declares "
                  + declared
                  + " frames, the data holds "
                  + data.length / frameSize);
        }
      } else {
        long limit = (maxFrames + 1) * frameSize;
        data = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
        if (data.length / frameSize > maxFrames) {
          throw tooLong(Double.NaN);
        }
      }
      return toClip(data, data.length / frameSize, channels, rate, bytesPerSample, format);
    } catch (UnsupportedAudioFileException | IOException | IllegalArgumentException e) {
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT, container + " file cannot be read: " + e.getMessage(), e);
    }
  }

  private static AudioClip toClip(
      byte[] data, int frames, int channels, int rate, int bytesPerSample, AudioFormat format) {
    boolean big = format.isBigEndian();
    AudioFormat.Encoding enc = format.getEncoding();
    boolean isFloat = enc.equals(AudioFormat.Encoding.PCM_FLOAT);
    boolean unsigned = enc.equals(AudioFormat.Encoding.PCM_UNSIGNED);
    int bits = bytesPerSample * 8;
    double scale = 1.0 / (1L << (bits - 1));
    float[][] out = new float[channels][frames];
    int p = 0;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++, p += bytesPerSample) {
        long v = 0;
        for (int b = 0; b < bytesPerSample; b++) {
          int octet = data[big ? p + b : p + bytesPerSample - 1 - b] & 0xFF;
          v = (v << 8) | octet;
        }
        float s;
        if (isFloat) {
          s = bits == 32 ? Float.intBitsToFloat((int) v) : (float) Double.longBitsToDouble(v);
        } else if (unsigned) {
          s = (float) ((v - (1L << (bits - 1))) * scale);
        } else {
          s = (float) (((v << (64 - bits)) >> (64 - bits)) * scale); // sign-extend
        }
        out[c][i] = s;
      }
    }
    return new AudioClip(out, rate);
  }

  /**
   * Reads the {@code fmt } chunk's format tag, so that valid WAV files in encodings the JDK cannot
   * decode are reported as unsupported rather than corrupt.
   */
  private static void checkWavEncoding(byte[] b) {
    int p = 12;
    while (p + 8 <= b.length) {
      long size = le32(b, p + 4);
      if (startsWith(b, p, "fmt ")) {
        if (size < 16 || p + 8 + 16 > b.length) {
          throw new MmflowException(ErrorCode.CORRUPT_INPUT, "WAV fmt chunk is truncated");
        }
        int tag = le16(b, p + 8);
        if (tag == TAG_EXTENSIBLE && size >= 40 && p + 8 + 26 <= b.length) {
          tag = le16(b, p + 8 + 24); // first two bytes of the SubFormat GUID
        }
        if (tag != TAG_PCM && tag != TAG_FLOAT && tag != TAG_ALAW && tag != TAG_MULAW) {
          throw new MmflowException(
              ErrorCode.UNSUPPORTED_MEDIA_TYPE,
              String.format(
                  Locale.ROOT,
                  "WAV encoding 0x%04X is not supported (PCM, float, A-law, µ-law)",
                  tag));
        }
        return;
      }
      // a chunk's size is 32 bits unsigned: a huge one (damaged) ends the walk, not an overflow
      long next = p + 8L + size + (size & 1);
      if (next > b.length) {
        break;
      }
      p = (int) next;
    }
    throw new MmflowException(ErrorCode.CORRUPT_INPUT, "WAV file has no fmt chunk");
  }

  // ---------------------------------------------------------------- FLAC

  private AudioClip decodeFlac(byte[] bytes) {
    FLACDecoder decoder = new FLACDecoder(new ByteArrayInputStream(bytes));
    StreamInfo info;
    try {
      info = decoder.readStreamInfo();
    } catch (IOException | RuntimeException e) {
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT, "FLAC header cannot be read: " + e.getMessage(), e);
    }
    if (info == null) {
      throw new MmflowException(ErrorCode.CORRUPT_INPUT, "FLAC file has no STREAMINFO block");
    }
    int channels = info.getChannels();
    int rate = info.getSampleRate();
    int bits = info.getBitsPerSample();
    checkShape(Container.FLAC, channels, rate);
    if (bits < 4 || bits > 32) {
      throw new MmflowException(ErrorCode.CORRUPT_INPUT, "FLAC bits per sample " + bits);
    }
    long total = info.getTotalSamples(); // 0 = unknown
    long maxFrames = (long) Math.floor(maxSeconds * rate);
    if (total > maxFrames) {
      throw tooLong((double) total / rate);
    }
    FlacCollector collector = new FlacCollector(decoder, channels, maxFrames);
    decoder.addFrameListener(collector);
    try {
      decoder.readMetadata(info);
      decoder.decodeFrames();
    } catch (IOException | RuntimeException e) {
      if (e instanceof MmflowException m) {
        throw m;
      }
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT, "FLAC data cannot be decoded: " + e.getMessage(), e);
    }
    int bad = decoder.getBadFrames();
    String damage =
        bad == 0 && collector.error == null
            ? ""
            : "; "
                + Math.max(1, bad)
                + " damaged frame(s)"
                + (collector.error == null ? "" : ": " + collector.error);
    if (total > 0 && collector.frames != total) {
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT,
          "FLAC file is truncated or damaged: STREAMINFO declares "
              + total
              + " samples, the frames hold "
              + collector.frames
              + damage);
    }
    if (!damage.isEmpty()) {
      throw new MmflowException(ErrorCode.CORRUPT_INPUT, "FLAC file is damaged" + damage);
    }
    double scale = 1.0 / (1L << (bits - 1));
    float[][] out = new float[channels][];
    for (int c = 0; c < channels; c++) {
      float[] f = new float[collector.frames];
      int k = 0;
      for (int[] block : collector.blocks.get(c)) {
        for (int i = 0; i < block.length; i++) {
          f[k++] = (float) (block[i] * scale);
        }
      }
      out[c] = f;
    }
    return new AudioClip(out, rate);
  }

  /** Copies each decoded frame's (decorrelated) channel samples; enforces the duration limit. */
  private final class FlacCollector implements FrameListener {
    private final FLACDecoder decoder;
    private final long maxFrames;
    final List<List<int[]>> blocks = new ArrayList<>();
    int frames;
    String error;

    FlacCollector(FLACDecoder decoder, int channels, long maxFrames) {
      this.decoder = decoder;
      this.maxFrames = maxFrames;
      for (int c = 0; c < channels; c++) {
        blocks.add(new ArrayList<>());
      }
    }

    @Override
    public void processMetadata(Metadata metadata) {}

    @Override
    public void processFrame(Frame frame) {
      int n = frame.header.blockSize;
      if (frame.header.channels != blocks.size()) {
        throw new MmflowException(
            ErrorCode.CORRUPT_INPUT,
            "FLAC frame has " + frame.header.channels + " channels, the stream " + blocks.size());
      }
      if (frames + (long) n > maxFrames) {
        throw tooLong(Double.NaN);
      }
      var data = decoder.getChannelData();
      for (int c = 0; c < blocks.size(); c++) {
        int[] src = data[c].getOutput();
        int[] copy = new int[n];
        System.arraycopy(src, 0, copy, 0, n);
        blocks.get(c).add(copy);
      }
      frames += n;
    }

    @Override
    public void processError(String msg) {
      if (error == null) {
        error = msg;
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void checkShape(Container container, int channels, int rate) {
    if (channels < 1 || channels > MAX_CHANNELS || rate < 1 || rate > MAX_SAMPLE_RATE) {
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT,
          container + " header gives " + channels + " channels at " + rate + " Hz");
    }
  }

  private MmflowException tooLong(double seconds) {
    String length =
        Double.isNaN(seconds)
            ? "longer than"
            : String.format(Locale.ROOT, "%.1f s, longer than", seconds);
    return new MmflowException(
        ErrorCode.INPUT_TOO_LARGE,
        String.format(Locale.ROOT, "the audio is %s the limit of %.1f s", length, maxSeconds));
  }

  private static boolean startsWith(byte[] b, int offset, String ascii) {
    byte[] m = ascii.getBytes(StandardCharsets.US_ASCII);
    if (b.length < offset + m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (b[offset + i] != m[i]) {
        return false;
      }
    }
    return true;
  }

  private static int le16(byte[] b, int p) {
    return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
  }

  private static long le32(byte[] b, int p) {
    return le16(b, p) | (long) le16(b, p + 2) << 16;
  }

  private static String hexPrefix(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, b.length); i++) {
      s.append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
    }
    return s.toString();
  }
}

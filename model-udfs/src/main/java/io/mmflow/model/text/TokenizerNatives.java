package io.mmflow.model.text;

import ai.djl.huggingface.tokenizers.jni.LibUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the HuggingFace tokenizers library (DJL's binding) from a copy of its own for this class
 * loader. DJL extracts the library to one fixed file ({@code ~/.djl.ai/tokenizers/...}) and the JVM
 * refuses a library file that another class loader already loaded: on a Flink session cluster,
 * every job after the first on a TaskManager (a job resubmitted from a savepoint to upgrade it, a
 * second mmflow job) failed with {@code UnsatisfiedLinkError: ... already loaded in another
 * classloader}. Each class loader now loads its own copy, in a fresh temporary folder, as Flink
 * itself does with RocksDB's library. Where the user points DJL at a library ({@code
 * RUST_LIBRARY_PATH}) or the jar has none for this platform, DJL loads as it always did.
 */
final class TokenizerNatives {
  /** DJL's override: a library file it loads instead of extracting its own. */
  private static final String OVERRIDE = "RUST_LIBRARY_PATH";

  /** A lock every class loader's copy of this class shares (an interned string is JVM-wide). */
  private static final Object JVM_WIDE = "io.mmflow.model.text.TokenizerNatives".intern();

  private static volatile boolean loaded;

  private TokenizerNatives() {}

  /** Loads the library into this class loader, once. */
  static void load() {
    if (loaded) {
      return;
    }
    synchronized (JVM_WIDE) {
      if (loaded) {
        return;
      }
      Path copy =
          System.getenv(OVERRIDE) == null && System.getProperty(OVERRIDE) == null
              ? privateCopy()
              : null;
      if (copy != null) {
        System.setProperty(OVERRIDE, copy.toString());
      }
      try {
        // LibUtils loads the library in its static initializer, reading the override then
        LibUtils.checkStatus();
      } finally {
        loaded = true; // one attempt per class loader: LibUtils keeps its outcome
        if (copy != null) {
          System.clearProperty(OVERRIDE);
          delete(copy);
        }
      }
    }
  }

  /** Deletes the copy and its folder: a loaded library stays mapped without its file. */
  private static void delete(Path copy) {
    try {
      Files.deleteIfExists(copy);
      Files.deleteIfExists(copy.getParent());
    } catch (IOException e) {
      copy.toFile().deleteOnExit(); // at worst at the JVM's exit
    }
  }

  /** The jar's library for this platform, copied to a new folder; null when the jar has none. */
  private static Path privateCopy() {
    String resource = "native/lib/" + platform() + "/cpu/libtokenizers.so";
    try (InputStream in = TokenizerNatives.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Path dir = Files.createTempDirectory("mmflow-tokenizers");
      Path file = dir.resolve("libtokenizers.so");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      return null; // DJL extracts to its cache as before
    }
  }

  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
    return (os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os) + "-" + cpu;
  }
}

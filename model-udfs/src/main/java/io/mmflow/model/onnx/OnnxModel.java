package io.mmflow.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

/**
 * An ONNX Runtime session for one {@link ModelSpec}, checked against its declaration when it opens.
 * Operators open one per task slot in {@code open()} and close it on shutdown, so that the slots'
 * threads do not contend for one session's intra-op threads and arena. A session is safe for
 * concurrent {@code run} calls: the stages of one slot that run the same text model share one
 * ({@link #open(ModelSpec, Object)}), each in its own task thread.
 *
 * <p>The checks, each a one-line {@link ErrorCode#CONFIGURATION_INVALID} naming model and tensor: a
 * declared input or output the file does not have; an input the file needs that the registry does
 * not map; a tensor of the wrong element type or rank; a logits width other than the label count;
 * an image size other than the file's static one; the CUDA provider asked for where this ONNX
 * Runtime build has none.
 */
public final class OnnxModel implements AutoCloseable {
  /** Sessions opened with a share key, with their holders; guarded by itself. */
  private static final Map<SharedKey, Shared> SHARED = new HashMap<>();

  private final ModelSpec spec;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final SharedKey key;
  private boolean closed;

  /** What makes two opens one session: the same file, provider and threads, and the same key. */
  private record SharedKey(Path file, String provider, int deviceId, int threads, Object share) {}

  /**
   * A shared session and its holders (counted under {@link #SHARED}'s lock); the session is created
   * under this object's own lock, so that opens of other keys do not wait for it.
   */
  private static final class Shared {
    int holders;
    OrtSession session;
  }

  private OnnxModel(ModelSpec spec, OrtEnvironment env, OrtSession session, SharedKey key) {
    this.spec = spec;
    this.env = env;
    this.session = session;
    this.key = key;
  }

  /** Opens and checks a session of its own for {@code spec}. */
  public static OnnxModel open(ModelSpec spec) {
    return open(spec, null);
  }

  /**
   * Opens and checks a session for {@code spec}, or takes the one already open for the same model
   * file under an equal {@code share} key; it closes when its last holder closes. The stages of one
   * task slot that run the same model (the feeds job's sentiment stage per router, each chained to
   * it, and the one for other items' texts) share a key, so that the model is in memory once per
   * slot; slots keep sessions of their own, so that their threads do not contend.
   *
   * @param share the key (null: a session of its own)
   */
  public static OnnxModel open(ModelSpec spec, Object share) {
    SharedKey key =
        share == null
            ? null
            : new SharedKey(
                spec.modelFile().toAbsolutePath().normalize(),
                spec.executionProvider(),
                spec.deviceId(),
                spec.threads(),
                share);
    OrtSession session = key == null ? createSession(spec) : sharedSession(key, spec);
    OnnxModel model = new OnnxModel(spec, OnnxEnvironment.get(), session, key);
    try {
      model.checkDeclaration();
      return model;
    } catch (OrtException e) {
      model.close();
      throw cannotLoad(spec, e);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Takes a hold on the session of {@code key}, created by its first holder. */
  private static OrtSession sharedSession(SharedKey key, ModelSpec spec) {
    Shared shared;
    synchronized (SHARED) {
      shared = SHARED.computeIfAbsent(key, k -> new Shared());
      shared.holders++;
    }
    synchronized (shared) {
      if (shared.session == null) {
        try {
          shared.session = createSession(spec);
        } catch (RuntimeException e) {
          release(key);
          throw e;
        }
      }
      return shared.session;
    }
  }

  /** Gives up a hold on the session of {@code key}: the session when it was the last, else null. */
  private static OrtSession release(SharedKey key) {
    synchronized (SHARED) {
      Shared shared = SHARED.get(key);
      if (--shared.holders > 0) {
        return null;
      }
      SHARED.remove(key);
      return shared.session;
    }
  }

  private static OrtSession createSession(ModelSpec spec) {
    OrtEnvironment env = OnnxEnvironment.get();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(spec.threads());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (spec.usesCuda()) {
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        if (!available.contains(OrtProvider.CUDA)) {
          throw invalid(
              spec,
              "execution-provider cuda, but this ONNX Runtime has no CUDA provider (it has "
                  + available
                  + "): build with -Pgpu (onnxruntime_gpu) and run on a task manager with CUDA 12"
                  + " and cuDNN 9, or set execution-provider: cpu");
        }
        options.addCUDA(spec.deviceId());
      }
      return env.createSession(spec.modelFile().toString(), options);
    } catch (OrtException e) {
      throw cannotLoad(spec, e);
    }
  }

  private static MmflowException cannotLoad(ModelSpec spec, OrtException e) {
    return invalid(
        spec,
        "ONNX Runtime cannot load "
            + spec.modelFile().getFileName()
            + ": "
            + e.getMessage().lines().findFirst().orElse(""));
  }

  /** Whether this holds the same session as {@code other} (shared under one key). */
  public boolean sharesSessionWith(OnnxModel other) {
    return session == other.session;
  }

  /** Opens, checks and closes: what a job does for every model before it reads any record. */
  public static void check(ModelSpec spec) {
    open(spec).close();
  }

  public ModelSpec spec() {
    return spec;
  }

  public OrtEnvironment environment() {
    return env;
  }

  public OrtSession session() {
    return session;
  }

  private void checkDeclaration() throws OrtException {
    Map<String, NodeInfo> ins = session.getInputInfo();
    Map<String, NodeInfo> outs = session.getOutputInfo();
    for (Map.Entry<String, String> e : spec.inputs().entrySet()) {
      if (!ins.containsKey(e.getValue())) {
        throw invalid(
            spec,
            "inputs.%s names tensor '%s', but the ONNX file's inputs are %s"
                .formatted(e.getKey(), e.getValue(), ins.keySet()));
      }
    }
    for (String name : ins.keySet()) {
      if (!spec.inputs().containsValue(name)) {
        throw invalid(
            spec,
            "the ONNX file needs input '%s', which the registry does not map to a role"
                .formatted(name));
      }
    }
    for (Map.Entry<String, String> e : spec.outputs().entrySet()) {
      if (!outs.containsKey(e.getValue())) {
        throw invalid(
            spec,
            "outputs.%s names tensor '%s', but the ONNX file's outputs are %s"
                .formatted(e.getKey(), e.getValue(), outs.keySet()));
      }
    }
    boolean text = spec.modality() == Modality.TEXT;
    for (Map.Entry<String, String> e : spec.inputs().entrySet()) {
      TensorInfo info = tensor(ins, e.getValue());
      int rank =
          switch (spec.modality()) {
            case IMAGE -> 4;
            default -> 2;
          };
      if (!text && e.getKey().equals("attention_mask")) {
        // wav2vec2 exports take the audio mask as int64; other exporters write it as float
        if (info.type != OnnxJavaType.INT64 && info.type != OnnxJavaType.FLOAT) {
          expect(e.getValue(), info, OnnxJavaType.INT64, rank);
        }
        continue;
      }
      expect(e.getValue(), info, text ? OnnxJavaType.INT64 : OnnxJavaType.FLOAT, rank);
      if (spec.modality() == Modality.IMAGE) {
        long[] s = info.getShape();
        if ((s[1] > 0 && s[1] != 3)
            || (s[2] > 0 && s[2] != spec.preprocessing().imageHeight())
            || (s[3] > 0 && s[3] != spec.preprocessing().imageWidth())) {
          throw invalid(
              spec,
              "input '%s' has shape %s, but preprocessing declares [N, 3, %d, %d]"
                  .formatted(
                      e.getValue(),
                      Arrays.toString(s),
                      spec.preprocessing().imageHeight(),
                      spec.preprocessing().imageWidth()));
        }
      }
    }
    String logits = spec.output("logits");
    if (logits != null) {
      TensorInfo info = tensor(outs, logits);
      int rank = spec.task() == Task.TRANSCRIPTION ? 3 : 2;
      expect(logits, info, OnnxJavaType.FLOAT, rank);
      long classes = info.getShape()[rank - 1];
      if (rank == 2 && classes > 0 && classes != spec.labels().size()) {
        throw invalid(
            spec,
            "declares %d labels %s, but output '%s' has %d classes"
                .formatted(spec.labels().size(), spec.labels(), logits, classes));
      }
    }
    String hidden = spec.output("last_hidden_state");
    if (hidden != null) {
      expect(hidden, tensor(outs, hidden), OnnxJavaType.FLOAT, 3);
    }
    String embedding = spec.output("embedding");
    if (embedding != null) {
      expect(embedding, tensor(outs, embedding), OnnxJavaType.FLOAT, 2);
    }
  }

  private TensorInfo tensor(Map<String, NodeInfo> infos, String name) {
    if (!(infos.get(name).getInfo() instanceof TensorInfo t)) {
      throw invalid(spec, "'" + name + "' is not a tensor");
    }
    return t;
  }

  private void expect(String name, TensorInfo info, OnnxJavaType type, int rank) {
    if (info.type != type) {
      throw invalid(
          spec,
          "tensor '%s' is %s, but a %s model needs %s"
              .formatted(name, info.type, spec.modality().wireName(), type));
    }
    if (info.getShape().length != rank) {
      throw invalid(
          spec,
          "tensor '%s' has rank %d (shape %s), expected rank %d"
              .formatted(name, info.getShape().length, Arrays.toString(info.getShape()), rank));
    }
  }

  static MmflowException invalid(ModelSpec spec, String message) {
    return new MmflowException(
        ErrorCode.CONFIGURATION_INVALID, "model '" + spec.id() + "': " + message);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    OrtSession last = key == null ? session : release(key);
    if (last == null) {
      return; // other holders still use it
    }
    try {
      last.close();
    } catch (OrtException e) {
      throw new MmflowException(ErrorCode.INTERNAL_ERROR, "cannot close ONNX session", e);
    }
  }
}

package io.mmflow.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JVM's one ONNX Runtime environment, created on a thread with a large stack.
 *
 * <p>Why: ONNX Runtime 1.29's native initialization uses stack in proportion to the process's
 * command line; in a JVM started with a long {@code -cp} (a Flink TaskManager, a Maven classpath of
 * ~100 jars) it overflows a 1 MB thread stack and the process dies with SIGSEGV and no error file.
 * Creating the environment once on a thread with a 256 MB stack (address space only; pages are
 * committed as touched) avoids it; sessions and runs on normal threads are fine afterwards.
 */
public final class OnnxEnvironment {
  private static final long INIT_STACK_BYTES = 256L << 20;
  private static volatile OrtEnvironment environment;

  private OnnxEnvironment() {}

  public static OrtEnvironment get() {
    OrtEnvironment env = environment;
    if (env != null) {
      return env;
    }
    synchronized (OnnxEnvironment.class) {
      if (environment == null) {
        AtomicReference<Object> created = new AtomicReference<>();
        Thread init =
            new Thread(
                null,
                () -> {
                  try {
                    created.set(OrtEnvironment.getEnvironment());
                  } catch (Throwable t) {
                    created.set(t);
                  }
                },
                "onnxruntime-init",
                INIT_STACK_BYTES);
        init.start();
        try {
          init.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MmflowException(ErrorCode.INTERNAL_ERROR, "interrupted loading ONNX Runtime");
        }
        if (created.get() instanceof OrtEnvironment e) {
          environment = e;
        } else {
          Throwable t = (Throwable) created.get();
          throw new MmflowException(
              ErrorCode.CONFIGURATION_INVALID,
              "ONNX Runtime cannot start on this machine: " + t.getMessage(),
              t);
        }
      }
      return environment;
    }
  }
}

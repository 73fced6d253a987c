package io.mmflow.datasets.models.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an ONNX model file (a {@code ModelProto} in protobuf wire format) for the small models the
 * project builds itself: the default sentiment model, and the test models for image and audio.
 *
 * <p>The field numbers are those of the ONNX IR specification ({@code onnx/onnx.proto}, IR version
 * 8): ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto, AttributeProto,
 * OperatorSetIdProto. Encoding goes through protobuf-java's {@link CodedOutputStream}; tensors are
 * stored as little-endian {@code raw_data}. ONNX Runtime loading the written file is the test of
 * this class.
 */
public final class OnnxModelWriter {
  /** TensorProto.DataType values. */
  public static final int FLOAT = 1;

  public static final int INT32 = 6;
  public static final int INT64 = 7;

  private static final int IR_VERSION = 8;
  private static final int OPSET = 17;

  private final String graphName;
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int nodeCount;

  public OnnxModelWriter(String graphName) {
    this.graphName = graphName;
  }

  /** A graph input; each dimension a number, or a symbolic name such as {@code "batch"}. */
  public OnnxModelWriter input(String name, int elemType, Object... dims) {
    inputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  public OnnxModelWriter output(String name, int elemType, Object... dims) {
    outputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  /** A float constant tensor (weights). */
  public OnnxModelWriter initializer(String name, float[] values, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    initializers.add(tensor(name, FLOAT, raw.array(), dims, values.length));
    return this;
  }

  /** An int64 constant tensor (axes, shapes, indices). */
  public OnnxModelWriter initializer(String name, long[] values, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    initializers.add(tensor(name, INT64, raw.array(), dims, values.length));
    return this;
  }

  /** Model metadata, visible to ONNX Runtime as custom metadata. */
  public OnnxModelWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /**
   * A node of the default ONNX domain.
   *
   * @param attributes attribute name → Long, Float, String, long[] or float[]
   */
  public OnnxModelWriter node(
      String opType, List<String> in, List<String> out, Map<String, Object> attributes) {
    Message node = new Message();
    for (String i : in) {
      node.string(1, i);
    }
    for (String o : out) {
      node.string(2, o);
    }
    node.string(3, opType.toLowerCase() + "_" + nodeCount++);
    node.string(4, opType);
    attributes.forEach((k, v) -> node.message(5, attribute(k, v)));
    nodes.add(node.bytes());
    return this;
  }

  public OnnxModelWriter node(String opType, List<String> in, String out) {
    return node(opType, in, List.of(out), Map.of());
  }

  public OnnxModelWriter node(
      String opType, List<String> in, String out, Map<String, Object> attributes) {
    return node(opType, in, List.of(out), attributes);
  }

  /** The serialized model. */
  public byte[] toBytes() {
    Message graph = new Message();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    initializers.forEach(t -> graph.message(5, t));
    inputs.forEach(v -> graph.message(11, v));
    outputs.forEach(v -> graph.message(12, v));

    Message model = new Message();
    model.int64(1, IR_VERSION);
    model.string(2, "mmflow");
    model.string(3, "1");
    model.message(7, graph.bytes());
    Message opset = new Message();
    opset.string(1, "");
    opset.int64(2, OPSET);
    model.message(8, opset.bytes());
    metadata.forEach(
        (k, v) -> {
          Message entry = new Message();
          entry.string(1, k);
          entry.string(2, v);
          model.message(14, entry.bytes());
        });
    return model.bytes();
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, toBytes());
  }

  private static byte[] tensor(String name, int type, byte[] raw, long[] dims, int count) {
    long expected = 1;
    for (long d : dims) {
      expected *= d;
    }
    if (expected != count) {
      throw new IllegalArgumentException(
          "tensor %s: %d values do not fill dims of %d".formatted(name, count, expected));
    }
    Message t = new Message();
    for (long d : dims) {
      t.int64(1, d);
    }
    t.int64(2, type);
    t.string(8, name);
    t.bytes(9, raw);
    return t.bytes();
  }

  private static byte[] valueInfo(String name, int elemType, Object[] dims) {
    Message shape = new Message();
    for (Object d : dims) {
      Message dim = new Message();
      if (d instanceof Number n) {
        dim.int64(1, n.longValue());
      } else {
        dim.string(2, String.valueOf(d));
      }
      shape.message(1, dim.bytes());
    }
    Message tensorType = new Message();
    tensorType.int64(1, elemType);
    tensorType.message(2, shape.bytes());
    Message type = new Message();
    type.message(1, tensorType.bytes());
    Message info = new Message();
    info.string(1, name);
    info.message(2, type.bytes());
    return info.bytes();
  }

  private static byte[] attribute(String name, Object value) {
    Message a = new Message();
    a.string(1, name);
    if (value instanceof Float f) {
      a.float32(2, f);
      a.int64(20, 1);
    } else if (value instanceof Number n) {
      a.int64(3, n.longValue());
      a.int64(20, 2);
    } else if (value instanceof String s) {
      a.string(4, s);
      a.int64(20, 3);
    } else if (value instanceof float[] fs) {
      for (float f : fs) {
        a.float32(7, f);
      }
      a.int64(20, 6);
    } else if (value instanceof long[] ls) {
      for (long l : ls) {
        a.int64(8, l);
      }
      a.int64(20, 7);
    } else {
      throw new IllegalArgumentException("unsupported attribute " + name + ": " + value);
    }
    return a.bytes();
  }

  /** One protobuf message being written. */
  private static final class Message {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    void string(int field, String value) {
      io(() -> out.writeString(field, value));
    }

    void int64(int field, long value) {
      io(() -> out.writeInt64(field, value));
    }

    void float32(int field, float value) {
      io(() -> out.writeFloat(field, value));
    }

    void bytes(int field, byte[] value) {
      io(() -> out.writeBytes(field, ByteString.copyFrom(value)));
    }

    void message(int field, byte[] encoded) {
      bytes(field, encoded);
    }

    byte[] bytes() {
      io(out::flush);
      return buffer.toByteArray();
    }

    private interface IoAction {
      void run() throws IOException;
    }

    private static void io(IoAction action) {
      try {
        action.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

package io.mmflow.connectors.source.s3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint serializers of the S3 source's splits and enumerator state. */
final class S3SplitSerializers {
  private S3SplitSerializers() {}

  static void write(DataOutputStream out, S3ObjectSplit s) throws IOException {
    out.writeUTF(s.bucket());
    out.writeUTF(s.key());
    out.writeLong(s.size());
    out.writeLong(s.lastModifiedMillis());
    out.writeUTF(s.etag() == null ? "" : s.etag());
  }

  static S3ObjectSplit read(DataInputStream in) throws IOException {
    String bucket = in.readUTF();
    String key = in.readUTF();
    long size = in.readLong();
    long modified = in.readLong();
    String etag = in.readUTF();
    return new S3ObjectSplit(bucket, key, size, modified, etag.isEmpty() ? null : etag);
  }

  static final class Split implements SimpleVersionedSerializer<S3ObjectSplit> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(S3ObjectSplit split) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        write(out, split);
      }
      return bytes.toByteArray();
    }

    @Override
    public S3ObjectSplit deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        return read(in);
      }
    }
  }

  static final class State implements SimpleVersionedSerializer<S3EnumeratorState> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(S3EnumeratorState state) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeBoolean(state.listed());
        out.writeInt(state.remaining().size());
        for (S3ObjectSplit s : state.remaining()) {
          write(out, s);
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public S3EnumeratorState deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        boolean listed = in.readBoolean();
        int n = in.readInt();
        List<S3ObjectSplit> remaining = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          remaining.add(read(in));
        }
        return new S3EnumeratorState(remaining, listed);
      }
    }
  }
}

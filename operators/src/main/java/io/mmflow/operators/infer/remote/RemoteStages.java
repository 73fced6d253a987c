package io.mmflow.operators.infer.remote;

import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.model.remote.ProviderRegistry;
import io.mmflow.operators.metrics.CountRemoteCosts;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Remote stages as the jobs configure them: Flink async I/O, unordered (results need no order),
 * with the configured capacity and timeout; null where the configuration asks for none.
 */
public final class RemoteStages {
  private RemoteStages() {}

  /** The text task ({@code mmflow.remote.text-task}), or null. */
  public static Task textTask(Configuration config) {
    String task = config.get(RemoteOptions.TEXT_TASK).trim();
    if (task.isEmpty() || config.get(RemoteOptions.PROVIDERS).isBlank()) {
      return null;
    }
    Task t = Task.fromWireName(task);
    if (t != Task.SENTIMENT
        && t != Task.SUMMARY
        && t != Task.ENTITIES
        && t != Task.CLASSIFICATION
        && t != Task.EMBEDDING) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          RemoteOptions.TEXT_TASK.key()
              + " must be sentiment, summary, entities, classification or embedding, not '"
              + task
              + "'");
    }
    return t;
  }

  /**
   * Checks at job start: the settings parse, the providers file loads (keys present), and a model
   * exists for each configured task.
   */
  public static void check(Configuration config) {
    if (config.get(RemoteOptions.PROVIDERS).isBlank()) {
      return;
    }
    RemoteSettings settings = RemoteSettings.from(config);
    ProviderRegistry registry = ProviderRegistry.load(Path.of(config.get(RemoteOptions.PROVIDERS)));
    Task text = textTask(config);
    if (text != null) {
      RemoteCandidates.forTask(registry, text);
    }
    if (config.get(RemoteOptions.IMAGE_CAPTION)) {
      RemoteCandidates.forTask(registry, Task.CAPTION);
    }
    if (config.get(RemoteOptions.AUDIO_TRANSCRIPTION)) {
      RemoteCandidates.forTask(registry, Task.TRANSCRIPTION);
    }
    RemoteCandidates.semanticCacheModel(registry, settings.semanticCache());
  }

  /** The configured text task on each result's text, or null. */
  public static SingleOutputStreamOperator<ModalityResult> text(
      DataStream<ModalityResult> texts, Configuration config) {
    Task task = textTask(config);
    if (task == null) {
      return null;
    }
    return stage(
        texts
            .map(r -> RemoteRequest.text(r, task))
            .returns(TypeInformation.of(RemoteRequest.class))
            .name("remote request")
            .uid("remote-text-request"),
        task,
        config,
        "remote-text");
  }

  /** A caption of every image, or null. */
  public static SingleOutputStreamOperator<ModalityResult> captions(
      DataStream<MediaItem> images, Configuration config) {
    return media(images, RemoteOptions.IMAGE_CAPTION, Modality.IMAGE, Task.CAPTION, config);
  }

  /** A remote transcript of every audio file, or null. */
  public static SingleOutputStreamOperator<ModalityResult> transcripts(
      DataStream<MediaItem> audio, Configuration config) {
    return media(
        audio, RemoteOptions.AUDIO_TRANSCRIPTION, Modality.AUDIO, Task.TRANSCRIPTION, config);
  }

  private static SingleOutputStreamOperator<ModalityResult> media(
      DataStream<MediaItem> items,
      ConfigOption<Boolean> enabled,
      Modality modality,
      Task task,
      Configuration config) {
    if (!config.get(enabled) || config.get(RemoteOptions.PROVIDERS).isBlank()) {
      return null;
    }
    String uid = "remote-" + task.wireName();
    return stage(
        items
            .map(i -> RemoteRequest.media(i, modality, task))
            .returns(TypeInformation.of(RemoteRequest.class))
            .name("remote request")
            .uid(uid + "-request"),
        task,
        config,
        uid);
  }

  /** The async stage itself. */
  public static SingleOutputStreamOperator<ModalityResult> stage(
      DataStream<RemoteRequest> requests, Task task, Configuration config, String uid) {
    RemoteSettings settings = RemoteSettings.from(config);
    return AsyncDataStream.unorderedWait(
            requests,
            new RemoteInference(settings, task),
            settings.timeout().toMillis(),
            TimeUnit.MILLISECONDS,
            settings.capacity())
        .name("remote " + task.wireName() + " (async, capacity " + settings.capacity() + ")")
        .uid(uid)
        .map(new CountRemoteCosts())
        .name("remote costs")
        .uid(uid + "-costs");
  }
}

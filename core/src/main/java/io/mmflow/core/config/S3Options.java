package io.mmflow.core.config;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Reading {@code s3://} inputs with the AWS SDK v2. Credentials come from the SDK's default
 * provider chain (environment, system properties, profile, container or instance role); they are
 * never configuration values.
 */
public final class S3Options {
  public static final ConfigOption<String> ENDPOINT =
      ConfigOptions.key("mmflow.s3.endpoint")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Endpoint override for S3-compatible stores (MinIO, Ceph, S3Proxy), e.g."
                  + " http://minio:9000; unset uses AWS.");

  public static final ConfigOption<String> REGION =
      ConfigOptions.key("mmflow.s3.region")
          .stringType()
          .defaultValue("us-east-1")
          .withDescription("Region of the bucket.");

  public static final ConfigOption<Boolean> PATH_STYLE =
      ConfigOptions.key("mmflow.s3.path-style-access")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Address buckets as endpoint/bucket rather than bucket.endpoint; most S3-compatible"
                  + " stores need it.");

  private S3Options() {}

  public static List<ConfigOption<?>> all() {
    return List.of(ENDPOINT, REGION, PATH_STYLE);
  }
}

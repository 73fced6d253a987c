package io.mmflow.connectors.source.s3;

import io.mmflow.core.config.S3Options;
import java.io.Serializable;
import java.net.URI;
import org.apache.flink.configuration.Configuration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * How to reach S3; the client itself is built where it is used (clients are not serializable).
 *
 * @param endpoint endpoint override, or null for AWS
 * @param region the bucket's region
 * @param pathStyle path-style bucket addressing
 */
public record S3ClientSettings(String endpoint, String region, boolean pathStyle)
    implements Serializable {
  public static S3ClientSettings from(Configuration config) {
    return new S3ClientSettings(
        config.get(S3Options.ENDPOINT),
        config.get(S3Options.REGION),
        config.get(S3Options.PATH_STYLE));
  }

  /** A client with the SDK's default credentials provider chain. */
  public S3Client newClient() {
    return configure(S3Client.builder())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /**
   * A non-blocking client (Netty) with the same region, credentials, endpoint, addressing and
   * checksum settings as {@link #newClient()}.
   *
   * @param maxConcurrency most requests in flight (connections in the pool)
   * @param ioThreads Netty event-loop threads of this client
   */
  public S3AsyncClient newAsyncClient(int maxConcurrency, int ioThreads) {
    return configure(S3AsyncClient.builder())
        .httpClientBuilder(
            NettyNioAsyncHttpClient.builder()
                .maxConcurrency(maxConcurrency)
                .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(ioThreads)))
        .build();
  }

  /** What the sync and the async client share. */
  private <B extends S3BaseClientBuilder<B, ?>> B configure(B builder) {
    builder
        .region(Region.of(region))
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
      // S3-compatible stores often reject the SDK's flexible checksums (x-amz-checksum-mode on
      // reads answers 501 on S3Proxy); against AWS itself the SDK's defaults stay
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder;
  }
}

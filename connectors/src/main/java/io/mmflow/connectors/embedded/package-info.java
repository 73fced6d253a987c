/**
 * Services that run in this JVM on loopback, for the CLI's local runs, benchmarks and tests: the
 * embedded PostgreSQL (the serving database when no URL is configured), the embedded single-node
 * Kafka (the feeds job's broker when no bootstrap servers are configured) and the loopback
 * OpenAI-compatible server (remote providers without a network). None of them runs on a cluster: a
 * job submitted with {@code flink run} is given real services.
 */
package io.mmflow.connectors.embedded;

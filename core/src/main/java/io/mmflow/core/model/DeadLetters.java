package io.mmflow.core.model;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The one side output that every stage (sources' parsers in connectors, operators) sends rejected
 * inputs to; declared here, in the contract, so that all of them share it.
 */
public final class DeadLetters {
  public static final OutputTag<DeadLetter> TAG =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  private DeadLetters() {}
}

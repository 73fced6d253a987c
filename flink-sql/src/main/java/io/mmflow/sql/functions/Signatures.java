package io.mmflow.sql.functions;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentTypeStrategy;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.InputTypeStrategy;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;

/**
 * The type inference of functions whose output type is derived (the canonical result row) rather
 * than written in an annotation: each signature's arguments, cast from what the query passes.
 */
final class Signatures {
  private Signatures() {}

  /**
   * A function returning {@code output}, called with the arguments of any of {@code signatures}
   * (the shorter ones leave out trailing optional arguments).
   */
  static TypeInference returning(DataType output, List<List<DataType>> signatures) {
    List<InputTypeStrategy> each = new ArrayList<>();
    for (List<DataType> signature : signatures) {
      ArgumentTypeStrategy[] args = new ArgumentTypeStrategy[signature.size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = InputTypeStrategies.explicit(signature.get(i));
      }
      each.add(InputTypeStrategies.sequence(args));
    }
    InputTypeStrategy input =
        each.size() == 1
            ? each.get(0)
            : InputTypeStrategies.or(each.toArray(InputTypeStrategy[]::new));
    return TypeInference.newBuilder()
        .inputTypeStrategy(input)
        .outputTypeStrategy(TypeStrategies.explicit(output))
        .build();
  }
}

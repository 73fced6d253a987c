package io.mmflow.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.table.api.TableEnvironment;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;

/**
 * The interactive side of {@code bin/mmflow sql}, as users know Flink's SQL client: a line editor
 * (JLine) whose statements run until {@code ;} over as many lines as they take, a history kept
 * across sessions in the data folder ({@code sql_history}; up and down arrows, Ctrl-R), and Tab
 * completion of SQL keywords and of the session's functions (mmflow's among them), catalogs,
 * databases, tables and models. {@code quit;} or Ctrl-D leaves; Ctrl-C drops the statement being
 * typed.
 */
final class SqlShell {
  /** Words every session completes, beside what its catalogs and modules hold. */
  static final List<String> KEYWORDS =
      List.of(
          "SELECT",
          "FROM",
          "WHERE",
          "GROUP BY",
          "ORDER BY",
          "HAVING",
          "LIMIT",
          "JOIN",
          "LEFT JOIN",
          "ON",
          "AS",
          "AND",
          "OR",
          "NOT",
          "IN",
          "IS NULL",
          "IS NOT NULL",
          "CASE",
          "WHEN",
          "THEN",
          "ELSE",
          "END",
          "DISTINCT",
          "COUNT",
          "CAST",
          "INSERT INTO",
          "VALUES",
          "CREATE TABLE",
          "CREATE TEMPORARY TABLE",
          "CREATE TEMPORARY VIEW",
          "CREATE MODEL",
          "CREATE CATALOG",
          "DROP",
          "ALTER",
          "DESCRIBE",
          "EXPLAIN",
          "SHOW TABLES",
          "SHOW FUNCTIONS",
          "SHOW MODELS",
          "SHOW CATALOGS",
          "SHOW DATABASES",
          "SHOW MODULES",
          "USE",
          "USE CATALOG",
          "LOAD MODULE",
          "SET",
          "RESET",
          "ML_PREDICT",
          "TABLE",
          "MODEL",
          "DESCRIPTOR",
          "LATERAL TABLE",
          "WITH",
          "quit;");

  private SqlShell() {}

  /**
   * Reads statements from {@code in} (a terminal when it is the console's, else a plain stream) and
   * hands each to {@code run} until {@code quit;} or the end of the input.
   */
  static void run(
      TableEnvironment sql,
      InputStream in,
      OutputStream out,
      Path history,
      PrintWriter writer,
      Consumer<String> run)
      throws IOException {
    boolean console = in == System.in && System.console() != null;
    Terminal terminal =
        console
            ? TerminalBuilder.builder().system(true).dumb(true).build()
            : new DumbTerminal("mmflow-sql", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8);
    Files.createDirectories(history.toAbsolutePath().getParent());
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("mmflow-sql")
            .parser(new StatementParser())
            .completer(completer(() -> words(sql)))
            .variable(LineReader.HISTORY_FILE, history)
            .variable(LineReader.SECONDARY_PROMPT_PATTERN, "     -> ")
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!=' is SQL, not history
            .option(LineReader.Option.CASE_INSENSITIVE, true) // mmf_ocr completes MMF_O
            .build();
    writer.println(
        "mmflow SQL: the mmflow module is loaded (SHOW FUNCTIONS), mmflow's models are in catalog"
            + " 'ml' (SHOW MODELS FROM ml.mmflow), the results tables in the current catalog (SHOW"
            + " TABLES). End a statement with ';'; 'quit;' leaves; Tab completes, arrows recall.");
    writer.flush();
    try {
      while (true) {
        String text;
        try {
          text = reader.readLine("mmflow> ");
        } catch (UserInterruptException e) {
          continue; // Ctrl-C: drop what was typed
        } catch (EndOfFileException e) {
          return;
        }
        for (String statement : SqlScript.split(text)) {
          if (quits(statement)) {
            return;
          }
          run.accept(statement);
        }
      }
    } finally {
      reader.getHistory().save();
      terminal.close();
    }
  }

  private static boolean quits(String statement) {
    String word = statement.strip().toLowerCase(Locale.ROOT);
    return word.equals("quit") || word.equals("exit");
  }

  /** Lines are read until the statement is complete: it ends with ';' outside quotes. */
  static final class StatementParser extends DefaultParser {
    StatementParser() {
      setEscapeChars(null); // a backslash is a character in SQL
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
      if (context == ParseContext.ACCEPT_LINE
          && !line.isBlank()
          && !quits(line.replace(";", ""))
          && !SqlScript.complete(line)) {
        throw new EOFError(-1, cursor, "the statement goes on until ';'");
      }
      return super.parse(line, cursor, context);
    }
  }

  static Completer completer(Supplier<TreeSet<String>> words) {
    return (reader, line, candidates) -> {
      for (String w : words.get()) {
        candidates.add(new Candidate(w, w, null, null, null, null, !w.contains(" ")));
      }
    };
  }

  /** The keywords, the session's functions, catalogs, databases, tables, views and models. */
  static TreeSet<String> words(TableEnvironment sql) {
    TreeSet<String> words = new TreeSet<>(KEYWORDS);
    addAll(words, sql::listFunctions);
    addAll(words, sql::listCatalogs);
    addAll(words, sql::listDatabases);
    addAll(words, sql::listTables);
    addAll(words, sql::listModels);
    return words;
  }

  private static void addAll(TreeSet<String> words, Supplier<String[]> names) {
    try {
      words.addAll(List.of(names.get()));
    } catch (RuntimeException e) {
      // a catalog that cannot list (a remote one that is down): complete the rest
    }
  }
}

package io.mmflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splitsAtSemicolonsOutsideLiteralsAndComments() {
    assertThat(
            SqlScript.split(
                "LOAD MODULE mmflow;\n"
                    + "-- a comment; with a semicolon\n"
                    + "SELECT 'a;b', 'it''s; fine', `odd;name` FROM t;\n"
                    + "/* block; comment */ SELECT 2\n"))
        .containsExactly(
            "LOAD MODULE mmflow",
            "-- a comment; with a semicolon\nSELECT 'a;b', 'it''s; fine', `odd;name` FROM t",
            "/* block; comment */ SELECT 2");
    assertThat(SqlScript.split(" ;\n-- only a comment\n;")).isEmpty();
  }

  @Test
  void aStatementIsCompleteAtItsSemicolon() {
    assertThat(SqlScript.complete("SELECT 1;")).isTrue();
    assertThat(SqlScript.complete("SELECT 1;  -- done")).isTrue();
    assertThat(SqlScript.complete("SELECT 1")).isFalse();
    assertThat(SqlScript.complete("SELECT 'a;")).isFalse();
    assertThat(SqlScript.complete("SELECT 'a;';")).isTrue();
    assertThat(SqlScript.complete("SELECT 1 /* ; ")).isFalse();
    assertThat(SqlScript.complete("SELECT 1 -- ;")).isFalse();
  }

  @Test
  void variablesAreReplacedAndAMissingOneIsNamed() {
    assertThat(SqlScript.substitute("SELECT '${A}', '${A}$1'", java.util.Map.of("A", "x$y")))
        .isEqualTo("SELECT 'x$y', 'x$y$1'");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SqlScript.substitute("'${SCANS}'", java.util.Map.of()))
        .hasMessage("the script uses ${SCANS}: pass --var SCANS=VALUE");
  }
}

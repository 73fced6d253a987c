package io.mmflow.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {
  @Test
  void numbersAreUniqueAndFollowTheirCategory() {
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::number)).doesNotHaveDuplicates();
    for (ErrorCode code : ErrorCode.values()) {
      int range = code.number() / 1000;
      assertThat(range)
          .as(code.name())
          .isEqualTo(
              switch (code.category()) {
                case BAD_INPUT -> 1;
                case EXTERNAL -> 2;
                case INTERNAL -> 3;
              });
      assertThat(code.code()).isEqualTo("MMF-" + code.number());
      assertThat(code.meaning()).isNotBlank();
    }
  }

  @Test
  void stableCodesDoNotChange() {
    // These numbers are stored in tables; changing one breaks analysts' queries.
    assertThat(ErrorCode.EMPTY_INPUT.code()).isEqualTo("MMF-1001");
    assertThat(ErrorCode.UNSUPPORTED_MEDIA_TYPE.code()).isEqualTo("MMF-1003");
    assertThat(ErrorCode.CORRUPT_INPUT.code()).isEqualTo("MMF-1004");
    assertThat(ErrorCode.COMPRESSION_BOMB.code()).isEqualTo("MMF-1006");
    assertThat(ErrorCode.PROVIDER_RATE_LIMITED.code()).isEqualTo("MMF-2003");
  }

  @Test
  void scrubberMasksSecrets() {
    assertThat(SecretScrubber.scrub("Authorization: Bearer abcdef123456"))
        .doesNotContain("abcdef123456");
    assertThat(SecretScrubber.scrub("key sk-proj-ABCDEFGHIJKLMN failed"))
        .isEqualTo("key *** failed");
    assertThat(SecretScrubber.scrub("jdbc:postgresql://bob:s3cret@db:5432/x"))
        .isEqualTo("jdbc:postgresql://bob:***@db:5432/x");
    assertThat(SecretScrubber.scrub("api_key=\"xyz\" next")).isEqualTo("api_key=*** next");
    assertThat(SecretScrubber.scrub("AKIAABCDEFGHIJKLMNOP")).isEqualTo("***");
    assertThat(SecretScrubber.scrub("plain message")).isEqualTo("plain message");
    assertThat(SecretScrubber.scrub("x".repeat(5000))).hasSize(SecretScrubber.MAX_MESSAGE_LENGTH);
  }
}

package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A property's cases repeat from run to run, and a failure says enough to replay it. */
class GeneratedTest {
    @Test
    void everyRunChecksTheSameCases() {
        assertThat(draws()).isEqualTo(draws()).hasSize(20).doesNotHaveDuplicates();
    }

    /** Every call comes from this one method, so every call draws the same cases. */
    private static List<Long> draws() {
        List<Long> drawn = new ArrayList<>();
        Generated.check(20, random -> random.nextLong(), drawn::add);
        return drawn;
    }

    @Test
    void twoPropertiesCheckDifferentCases() {
        List<Long> here = new ArrayList<>();
        Generated.check(5, random -> random.nextLong(), here::add);
        assertThat(here).doesNotContainAnyElementsOf(draws()).doesNotHaveDuplicates();
    }

    @Test
    void aFailureNamesTheCaseItsSeedAndItsInputAndReplays() {
        List<String> seen = new ArrayList<>();
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> Generated.check(100,
                random -> Generated.string(random, "ab", 5, 5), text -> {
                    seen.add(text);
                    assertThat(text).doesNotStartWith("bb");
                }));
        assertThat(failure).isInstanceOf(AssertionError.class).hasCauseInstanceOf(AssertionError.class);
        String failing = seen.get(seen.size() - 1);
        assertThat(failure.getMessage()).startsWith("case " + seen.size() + " of 100 failed, seed 0x")
                .contains("input: \"" + failing + "\"").doesNotContain("failure: null");
        Matcher seed = Pattern.compile("-Dgenerated\\.seed=(0x[0-9a-f]+)").matcher(failure.getMessage());
        assertThat(seed.find()).isTrue();

        List<String> replayed = new ArrayList<>();
        System.setProperty(Generated.SEED_PROPERTY, seed.group(1));
        try {
            assertThatThrownBy(() -> Generated.check(100, random -> Generated.string(random, "ab", 5, 5), text -> {
                replayed.add(text);
                assertThat(text).doesNotStartWith("bb");
            })).hasMessageStartingWith("case 1 of 1 failed, seed " + seed.group(1));
        } finally {
            System.clearProperty(Generated.SEED_PROPERTY);
        }
        assertThat(replayed).containsExactly(failing);
    }

    @Test
    void aStackOverflowIsReportedWithItsCase() {
        assertThatThrownBy(() -> Generated.check(10, random -> random.nextInt(3), depth -> recurse()))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("case 1 of 10 failed, seed 0x")
                .hasCauseInstanceOf(StackOverflowError.class);
    }

    private static int recurse() {
        return recurse() + 1;
    }

    @Test
    void aLongInputIsShownShortOnOneLine() {
        assertThat(Generated.shorten("x\n".repeat(1000))).startsWith("\"x\\nx\\n").endsWith("... (2002 characters)")
                .doesNotContain("\n");
        assertThat(Generated.shorten(new byte[] {1, -2})).isEqualTo("2 bytes [1, -2]");
        assertThat(Generated.shorten(new int[] {3, 4})).isEqualTo("[3, 4]");
    }

    @Test
    void valuesStayInTheirBoundsAndReachThem() {
        List<Long> full = new ArrayList<>();
        List<Long> wide = new ArrayList<>();
        List<Integer> narrow = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        Generated.check(2000, random -> random, random -> {
            full.add(Generated.longBetween(random, Long.MIN_VALUE, Long.MAX_VALUE));
            wide.add(Generated.longBetween(random, -5, Long.MAX_VALUE));
            narrow.add(Generated.intBetween(random, 3, 7));
            lengths.add(Generated.bytes(random, 2, 9).length);
            assertThat(Generated.anyDouble(random)).isFinite();
            assertThat(Generated.anyString(random, 0, 20).chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
        });
        assertThat(full).contains(Long.MIN_VALUE, Long.MAX_VALUE, 0L);
        assertThat(wide).allMatch(v -> v >= -5).contains(-5L, Long.MAX_VALUE);
        assertThat(narrow).allMatch(v -> v >= 3 && v <= 7).contains(3, 4, 5, 6, 7);
        assertThat(lengths).allMatch(v -> v >= 2 && v <= 9).contains(2, 9);
    }
}

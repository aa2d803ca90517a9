package io.github.s3sweeper.rules;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
            "*.log, app.log, true",
            "*.log, 2026/app.log, false",
            "*/*.log, 2026/app.log, true",
            "**/*.log, 2026/11/app.log, true",
            "**/*.log, app.log, true",
            "**.log, 2026/11/app.log, true",
            "2026/**, 2026/11/26/x, true",
            "2026/**, 2027/x, false",
            "a/**/b, a/b, true",
            "a/**/b, a/x/y/b, true",
            "a/**/b, a/xb, false",
            "db-?.sql, db-1.sql, true",
            "db-?.sql, db-12.sql, false",
            "db-?.sql, db-/.sql, false",
            "'*.{gz,zip}', x.zip, true",
            "'*.{gz,zip}', x.tar, false",
            "'{daily,weekly}/*', weekly/x, true",
            "'{daily,weekly}/*', monthly/x, false",
            "a.b, axb, false",
            "'a+(b)', 'a+(b)', true",
            "'\\*', '*', true",
            "'\\*', x, false",
            "*, '', true",
    })
    void matchesLikeAShellGlobWithDoubleStar(String pattern, String key, boolean matches) {
        assertThat(Glob.compile(pattern).matches(key)).isEqualTo(matches);
    }

    @Test
    void splitsAListOnCommasOutsideBraces() {
        assertThat(Glob.compileList("*.log, {a,b}/*.gz ,c")).extracting(Glob::toString)
                .containsExactly("*.log", "{a,b}/*.gz", "c");
    }

    @Test
    void refusesEmptyEntriesAndUnbalancedBraces() {
        assertThatThrownBy(() -> Glob.compileList("*.log,,*.gz")).hasMessage("an empty pattern in the list");
        assertThatThrownBy(() -> Glob.compileList("*.{gz")).hasMessage("pattern \"*.{gz\" has a '{' without its '}'");
        assertThatThrownBy(() -> Glob.compileList("a}")).hasMessage("pattern \"a}\" has a '}' without its '{'");
        assertThatThrownBy(() -> Glob.compileList("a\\")).hasMessageContaining("a trailing backslash");
    }
}

package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SelectionTest {

    private static Selection with(String include, String exclude, long min, long max) {
        return new Selection("logs/", include == null ? List.of() : Glob.compileList(include),
                exclude == null ? List.of() : Glob.compileList(exclude), min, max);
    }

    @Test
    void everythingUnderThePrefixWithoutFilters() {
        Selection all = Selection.under("logs/");
        assertThat(all.matches("logs/a", 0)).isTrue();
        assertThat(all.matches("logs-old/a", 0)).isFalse();
    }

    @Test
    void patternsApplyToTheKeyRelativeToThePrefix() {
        Selection gz = with("*.gz", null, 0, Selection.NO_MAX_SIZE);
        assertThat(gz.matches("logs/a.gz", 1)).isTrue();
        assertThat(gz.matches("logs/2026/a.gz", 1)).isFalse();
        assertThat(gz.matches("other/a.gz", 1)).isFalse();
    }

    @Test
    void anIncludeMustMatchAndNoExcludeMay() {
        Selection selection = with("**/*.log,**/*.gz", "keep/**", 0, Selection.NO_MAX_SIZE);
        assertThat(selection.matches("logs/app/a.log", 1)).isTrue();
        assertThat(selection.matches("logs/app/a.txt", 1)).isFalse();
        assertThat(selection.matches("logs/keep/a.log", 1)).isFalse();
    }

    @Test
    void excludeAloneKeepsEverythingElseSelected() {
        Selection selection = with(null, "*.keep", 0, Selection.NO_MAX_SIZE);
        assertThat(selection.matches("logs/a.log", 1)).isTrue();
        assertThat(selection.matches("logs/a.keep", 1)).isFalse();
    }

    @Test
    void sizeBoundsAreInclusive() {
        Selection selection = with(null, null, 10, 20);
        assertThat(selection.matches("logs/a", 9)).isFalse();
        assertThat(selection.matches("logs/a", 10)).isTrue();
        assertThat(selection.matches("logs/a", 20)).isTrue();
        assertThat(selection.matches("logs/a", 21)).isFalse();
        assertThat(selection.matchesKey("logs/a")).as("delete markers have no size").isTrue();
    }

    @Test
    void patternsAreRelativeToTheGlobRootWhenTheListingPrefixIsNarrower() {
        Selection narrowed = new Selection("logs/db/", "logs/", List.of(), Glob.compileList("db/keep/**"), 0,
                Selection.NO_MAX_SIZE);

        assertThat(narrowed.matchesKey("logs/db/keep/a")).isFalse();
        assertThat(narrowed.matchesKey("logs/db/a")).isTrue();
        assertThat(narrowed.matchesKey("logs/web/a")).isFalse();
    }
}

package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupByTest {

    @Test
    void withoutGroupingEveryKeyIsInOneGroup() {
        assertThat(GroupBy.parse("").groupOf("db1/a.dump")).isEqualTo(GroupBy.parse("none").groupOf("x"));
    }

    @Test
    void depthOneGroupsByTheFirstFolderUnderThePrefix() {
        GroupBy depth = GroupBy.parse("depth:1");
        assertThat(depth.groupOf("db1/2026/01/a.dump")).isEqualTo("db1/");
        assertThat(depth.groupOf("db2/a.dump")).isEqualTo("db2/");
        assertThat(depth.groupOf("readme.txt")).isEqualTo("");
    }

    @Test
    void depthTwoGroupsByTwoFoldersAndAShallowerKeyByItsOwnFolder() {
        GroupBy depth = GroupBy.parse("depth:2");
        assertThat(depth.groupOf("eu/db1/2026/a.dump")).isEqualTo("eu/db1/");
        assertThat(depth.groupOf("eu/a.dump")).isEqualTo("eu/");
    }

    @Test
    void aPatternGroupsByWhatItsCaptureMatched() {
        GroupBy pattern = GroupBy.parse("pattern:(*)-????-??-??.sql.gz");
        assertThat(pattern.groupOf("orders-2026-01-31.sql.gz")).isEqualTo("orders");
        assertThat(pattern.groupOf("users-2026-01-31.sql.gz")).isEqualTo("users");
        assertThat(pattern.groupOf("sub/orders-2026-01-31.sql.gz")).as("* stays within a segment").isNull();
        assertThat(GroupBy.parse("pattern:**/(*)/*.dump").groupOf("eu/west/db7/x.dump")).isEqualTo("db7");
    }

    @Test
    void keysAPatternDoesNotMatchFormTheirOwnGroupApartFromAnyCapture() {
        GroupBy pattern = GroupBy.parse("pattern:(*).bak");
        assertThat(pattern.groupOf("notes.txt")).isNull();
        assertThat(pattern.groupOf(".bak")).isEqualTo("");
    }

    @Test
    void badSpecificationsAreRefusedSayingWhy() {
        assertThatThrownBy(() -> GroupBy.parse("depth:0")).hasMessageContaining("from 1 to 32");
        assertThatThrownBy(() -> GroupBy.parse("depth:x")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> GroupBy.parse("pattern:*.gz")).hasMessageContaining("exactly one (capture)");
        assertThatThrownBy(() -> GroupBy.parse("pattern:(a)(b)")).hasMessageContaining("exactly one (capture)");
        assertThatThrownBy(() -> GroupBy.parse("pattern:((a))")).hasMessageContaining("nests");
        assertThatThrownBy(() -> GroupBy.parse("pattern:a)(")).hasMessageContaining("without its '('");
        assertThatThrownBy(() -> GroupBy.parse("pattern:({a)")).hasMessageContaining("'{' without its '}'");
        assertThatThrownBy(() -> GroupBy.parse("folder")).hasMessageContaining("not a way of grouping");
    }

    @Test
    void parenthesesInIncludeGlobsStayLiteral() {
        assertThat(Glob.compile("(a).gz").matches("(a).gz")).isTrue();
        assertThat(Glob.compile("(a).gz").matches("a.gz")).isFalse();
    }
}

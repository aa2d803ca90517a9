package io.github.s3sweeper.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class XmlTextTest {

    @Test
    void acceptsWhatXmlCanCarry() {
        assertThat(XmlText.isValid("logs/a b+c%20=d&<e>\"f'")).isTrue();
        assertThat(XmlText.isValid("tab\tline\ncarriage\r")).isTrue();
        assertThat(XmlText.isValid("données/été ☃ 😀")).isTrue();
    }

    @Test
    void refusesControlCharactersXmlCannotCarry() {
        assertThat(XmlText.isValid("a\u0001b")).isFalse();
        assertThat(XmlText.isValid("a\u0000b")).isFalse();
        assertThat(XmlText.isValid("a\u001Fb")).isFalse();
        assertThat(XmlText.isValid("a\uFFFEb")).isFalse();
    }

    @Test
    void refusesALoneSurrogate() {
        assertThat(XmlText.isValid("a\uD800b")).isFalse();
    }
}

package io.github.s3sweeper.engine;

/** Which strings XML 1.0 can carry, even escaped: DeleteObjects names its keys in an XML body. */
final class XmlText {

    private XmlText() {
    }

    static boolean isValid(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean valid = c == 0x9 || c == 0xA || c == 0xD
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!valid) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}

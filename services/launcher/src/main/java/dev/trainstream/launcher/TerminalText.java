package dev.trainstream.launcher;

/**
 * Makes user-supplied strings (run ids, class names, reasons) safe to print on a terminal: control characters, which
 * could move the cursor or rewrite earlier lines, become U+FFFD.
 */
final class TerminalText {
    private TerminalText() {
    }

    static String clean(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? 0xFFFD : c));
        return out.toString();
    }
}

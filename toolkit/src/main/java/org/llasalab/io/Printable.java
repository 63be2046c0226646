package org.llasalab.io;

/** Text from a user's file made fit for an error message: control characters become visible escapes. */
public final class Printable {
    private Printable() {}

    /**
     * {@code s} with every control character (below U+0020, DEL, and the C1 range) written as
     * {@code \xNN} or {@code \\uNNNN}, so that a quoted field of a bad file can neither break a message's
     * lines nor reach the terminal as a control sequence; null stays null.
     */
    public static String of(String s) {
        if (s == null) return null;
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0);
            if (control && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) {
                if (!control) b.append(c);
                else if (c < 0x100) b.append(String.format("\\x%02X", (int) c));
                else b.append(String.format("\\u%04X", (int) c));
            }
        }
        return b == null ? s : b.toString();
    }
}

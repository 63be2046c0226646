package org.llasalab.eval.io;

import java.util.List;

/** RFC 4180 CSV text: fields with a comma, quote or line break are quoted, quotes doubled. */
public final class Csv {
    private final StringBuilder text = new StringBuilder();

    public Csv row(List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) text.append(',');
            text.append(field(fields.get(i)));
        }
        text.append("\r\n");
        return this;
    }

    public Csv row(Object... fields) {
        return row(java.util.Arrays.asList(fields));
    }

    static String field(Object value) {
        String s = value == null ? "" : value instanceof Double d ? number(d) : value.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** Full precision, empty for NaN. */
    public static String number(double d) {
        return Double.isNaN(d) ? "" : Double.toString(d);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}

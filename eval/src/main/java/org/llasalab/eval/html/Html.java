package org.llasalab.eval.html;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Escaping for HTML text, attributes and relative URLs. */
public final class Html {
    private Html() {}

    public static String text(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A relative path with '/' separators as a URL: each segment percent-encoded, '..' kept. */
    public static String url(String relativePath) {
        StringBuilder b = new StringBuilder();
        String[] parts = relativePath.split("/", -1);
        boolean absolute = relativePath.startsWith("/");
        if (absolute) b.append("file://");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append('/');
            b.append(URLEncoder.encode(parts[i], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }
}

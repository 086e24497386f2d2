package org.letterbox.server.dnssetup;

/** TXT record text as zone files write it: quoted strings of at most 255 characters each (RFC 1035 §3.3.14). */
public final class ZoneText {

    /** The longest character-string a TXT record holds. */
    public static final int MAX_STRING = 255;

    private ZoneText() {
    }

    /** {@code "first 255 characters" "the rest"}; a DKIM key record of 2048 bits needs two. */
    public static String quoted(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() || i == 0; i += MAX_STRING) {
            if (i > 0) {
                out.append(' ');
            }
            String piece = text.substring(i, Math.min(text.length(), i + MAX_STRING));
            out.append('"').append(piece.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.toString();
    }
}

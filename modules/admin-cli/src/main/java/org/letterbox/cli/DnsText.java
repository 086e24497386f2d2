package org.letterbox.cli;

/** TXT record text as zone files write it: quoted strings of at most 255 characters each (RFC 1035 §3.3.14). */
final class DnsText {

    static final int MAX_STRING = 255;

    private DnsText() {
    }

    /** {@code "first 255 characters" "the rest"}; a DKIM key record of 2048 bits needs two. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i += MAX_STRING) {
            if (i > 0) {
                out.append(' ');
            }
            out.append('"').append(text.substring(i, Math.min(text.length(), i + MAX_STRING)).replace("\"", "\\\"")).append('"');
        }
        return out.toString();
    }
}

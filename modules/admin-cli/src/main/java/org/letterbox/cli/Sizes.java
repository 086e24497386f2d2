package org.letterbox.cli;

import java.util.Locale;

/** Sizes as people write them (25M, 2G) and as the CLI prints them. */
final class Sizes {

    private Sizes() {
    }

    /** Bytes from {@code 1000}, {@code 512K}, {@code 25M}, {@code 2G}; -1 for {@code none}. */
    static long parse(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        if (value.equals("NONE")) {
            return -1;
        }
        long factor = 1;
        char unit = value.isEmpty() ? ' ' : value.charAt(value.length() - 1);
        switch (unit) {
            case 'K' -> factor = 1024L;
            case 'M' -> factor = 1024L * 1024;
            case 'G' -> factor = 1024L * 1024 * 1024;
            default -> { }
        }
        String digits = factor == 1 ? value : value.substring(0, value.length() - 1);
        try {
            long number = Long.parseLong(digits.trim());
            if (number < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(number, factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad size '" + text + "' (examples: 500M, 2G, none)");
        }
    }

    /** A count, or -1 for {@code none}. */
    static long parseCount(String text) {
        if (text.trim().equalsIgnoreCase("none")) {
            return -1;
        }
        try {
            long count = Long.parseLong(text.trim());
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad count '" + text + "' (a number, or none)");
        }
    }

    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

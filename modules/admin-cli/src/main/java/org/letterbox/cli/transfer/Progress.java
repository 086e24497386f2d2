package org.letterbox.cli.transfer;

import java.io.PrintWriter;

/** A one-line progress bar on a terminal; silent when output is not a terminal (scripts, tests). */
public final class Progress {

    private final PrintWriter out;
    private final String label;
    private final int total;
    private final boolean enabled;
    private int done;
    private int lastPercent = -1;

    public Progress(PrintWriter out, String label, int total) {
        this(out, label, total, System.console() != null);
    }

    Progress(PrintWriter out, String label, int total, boolean enabled) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.enabled = enabled;
    }

    public void advance(int count) {
        done += count;
        int percent = total == 0 ? 100 : (int) (100L * done / total);
        if (enabled && percent != lastPercent) {
            lastPercent = percent;
            int filled = percent * 30 / 100;
            out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + done + "/" + total);
            out.flush();
        }
    }

    public void finish() {
        if (enabled) {
            out.println();
        }
    }
}

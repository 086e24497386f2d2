package org.letterbox.server.dnssetup;

/**
 * What one check of the live DNS found.
 *
 * @param check what was checked, such as {@code MX} or {@code DKIM 20261205r}
 * @param status how it stands
 * @param detail what was found, one line
 * @param fix what to do about it; empty when nothing is to be done
 */
public record DnsFinding(String check, Status status, String detail, String fix) {

    public enum Status {
        /** As it should be. */
        OK,
        /** Not published. */
        MISSING,
        /** Published, but not as this server needs it. */
        WRONG,
        /** Could not be told: DNS did not answer, or something this check needs is not known. */
        UNKNOWN;

        /** Whether the owner has something to do. */
        public boolean needsWork() {
            return this == MISSING || this == WRONG;
        }
    }

    static DnsFinding ok(String check, String detail) {
        return new DnsFinding(check, Status.OK, detail, "");
    }
}

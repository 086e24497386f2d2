package org.letterbox.mailauth.arc;

/**
 * What the ARC chain of a message says (RFC 8617 §4.4's chain validation status).
 *
 * @param instances the number of ARC sets (0 for none)
 * @param sealer the {@code d=} of the newest ARC-Seal, empty when there is none
 * @param reason why the chain fails, for the Authentication-Results comment
 */
public record ArcResult(Status status, int instances, String sealer, String reason) {

    public enum Status {
        NONE, PASS, FAIL;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final ArcResult NONE = new ArcResult(Status.NONE, 0, "", "");

    static ArcResult fail(int instances, String sealer, String reason) {
        return new ArcResult(Status.FAIL, instances, sealer, reason);
    }
}

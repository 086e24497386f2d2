package org.letterbox.testing;

/** The two IMAP steps the load drivers repeat: a tagged command that must end in OK, and a LITERAL+ APPEND. */
public final class ImapSteps {

    private ImapSteps() {
    }

    /** Sends {@code line} (tag first) and reads up to its tagged reply; throws unless that reply is OK. */
    public static void command(LineClient c, String line) throws Exception {
        String tag = line.substring(0, line.indexOf(' '));
        c.send(line);
        expectTaggedOk(c, tag, line);
    }

    /** Appends {@code message} to INBOX with a non-synchronizing literal, tagged {@code g}; throws unless OK. */
    public static void append(LineClient c, byte[] message) throws Exception {
        c.send("g APPEND INBOX {" + message.length + "+}");
        c.sendBytes(message);
        c.send("");
        expectTaggedOk(c, "g", "APPEND");
    }

    private static void expectTaggedOk(LineClient c, String tag, String what) throws Exception {
        String answer = c.readTagged(tag);
        if (answer == null || !answer.startsWith(tag + " OK")) {
            throw new IllegalStateException(what + " -> " + answer);
        }
    }
}

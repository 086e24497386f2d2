package org.letterbox.delivery.client;

import java.io.IOException;
import java.io.InputStream;

/** A stored message's bytes, which may be read more than once (to look at them, then to send them). */
public interface MessageContent {

    /** The bytes as stored; the caller closes the stream. */
    InputStream open() throws IOException;

    /** The number of bytes. */
    long size();
}

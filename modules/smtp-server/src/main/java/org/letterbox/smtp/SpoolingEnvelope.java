package org.letterbox.smtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.james.core.MaybeSender;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.MailEnvelope;

/**
 * The message being received. It stays in memory up to a threshold, then moves to a temporary file, so that many
 * large messages in flight do not fill the heap. {@link #dispose()} removes the file.
 */
final class SpoolingEnvelope implements MailEnvelope {

    private final MaybeSender sender;
    private final List<MailAddress> recipients;
    private final int threshold;
    private final SpoolingOutputStream out = new SpoolingOutputStream();

    SpoolingEnvelope(MaybeSender sender, List<MailAddress> recipients, int threshold) {
        this.sender = sender;
        this.recipients = recipients;
        this.threshold = threshold;
    }

    @Override
    public long getSize() {
        return out.size;
    }

    @Override
    public List<MailAddress> getRecipients() {
        return recipients;
    }

    @Override
    public MaybeSender getMaybeSender() {
        return sender;
    }

    @Override
    public OutputStream getMessageOutputStream() {
        return out;
    }

    @Override
    public InputStream getMessageInputStream() throws IOException {
        if (out.file != null) {
            return new java.io.BufferedInputStream(Files.newInputStream(out.file), 64 * 1024);
        }
        return out.memory.reader();
    }

    /** Opens the message, for callers that cannot throw IOException. */
    InputStream open() {
        try {
            return getMessageInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void dispose() {
        out.dispose();
    }

    private final class SpoolingOutputStream extends OutputStream {
        private MessageBuffer memory = new MessageBuffer();
        private OutputStream fileOut;
        private Path file;
        private long size;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (file == null && memory.size() + length > threshold) {
                file = Files.createTempFile("letterbox-smtp-", ".eml");
                fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
                memory.writeTo(fileOut);
                memory = null;
            }
            if (file != null) {
                fileOut.write(bytes, offset, length);
            } else {
                memory.write(bytes, offset, length);
            }
            size += length;
        }

        @Override
        public void flush() throws IOException {
            if (fileOut != null) {
                fileOut.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (fileOut != null) {
                fileOut.close();
            }
        }

        void dispose() {
            try {
                close();
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException ignored) {
                // a temp file we could not delete is left to the OS's temp cleaner
            }
        }
    }

    /**
     * The message in memory. Readers share its array instead of each taking a copy: the hooks read a message after
     * DATA has ended, when nothing writes to it any more.
     */
    private static final class MessageBuffer extends ByteArrayOutputStream {
        MessageBuffer() {
            super(8 * 1024);
        }

        InputStream reader() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }
}

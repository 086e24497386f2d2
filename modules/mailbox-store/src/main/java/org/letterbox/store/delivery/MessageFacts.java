package org.letterbox.store.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.apache.james.mailbox.store.mail.model.impl.Properties;
import org.apache.james.mailbox.store.mail.model.impl.PropertyBuilder;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * What the store records about a message beside its bytes: where the body starts, its top-level MIME type and
 * parameters, and (for text) its line count. Read in one streaming pass.
 */
public record MessageFacts(int bodyStart, Properties properties) {

    public static MessageFacts read(InputStream message) throws IOException {
        CountingStream in = new CountingStream(message);
        MimeTokenStream parser = new MimeTokenStream(MimeConfig.PERMISSIVE,
            new DefaultBodyDescriptorBuilder(null, null, DecodeMonitor.SILENT));
        parser.setRecursionMode(RecursionMode.M_NO_RECURSE);
        parser.parse(in);
        try {
            EntityState state = parser.next();
            while (state != EntityState.T_BODY && state != EntityState.T_END_OF_STREAM
                && state != EntityState.T_START_MULTIPART) {
                state = parser.next();
            }
            MaximalBodyDescriptor descriptor = (MaximalBodyDescriptor) parser.getBodyDescriptor();
            String mediaType = descriptor.getMediaType() == null ? "text" : descriptor.getMediaType();
            String subType = descriptor.getMediaType() == null ? "plain" : descriptor.getSubType();
            PropertyBuilder properties = new PropertyBuilder();
            properties.setMediaType(mediaType);
            properties.setSubType(subType);
            properties.setContentID(descriptor.getContentId());
            properties.setContentDescription(descriptor.getContentDescription());
            properties.setContentLocation(descriptor.getContentLocation());
            properties.setContentMD5(descriptor.getContentMD5Raw());
            properties.setContentTransferEncoding(descriptor.getTransferEncoding());
            properties.setContentLanguage(descriptor.getContentLanguage());
            properties.setContentDispositionType(descriptor.getContentDispositionType());
            properties.setContentDispositionParameters(descriptor.getContentDispositionParameters());
            Map<String, String> typeParameters = new java.util.HashMap<>(descriptor.getContentTypeParameters());
            typeParameters.remove("charset");
            typeParameters.remove("boundary");
            properties.setContentTypeParameters(typeParameters);
            properties.setCharset(descriptor.getCharset());
            long bodyStart = in.bodyStartGuess();
            if ("text".equalsIgnoreCase(mediaType) && state == EntityState.T_BODY) {
                long lines = 0;
                try (InputStream body = parser.getInputStream()) {
                    byte[] buffer = new byte[8192];
                    int read;
                    boolean pending = false;
                    while ((read = body.read(buffer)) > 0) {
                        for (int i = 0; i < read; i++) {
                            if (buffer[i] == '\n') {
                                lines++;
                                pending = false;
                            } else {
                                pending = true;
                            }
                        }
                    }
                    if (pending) {
                        lines++;
                    }
                }
                properties.setTextualLineCount(lines);
            }
            return new MessageFacts((int) bodyStart, properties.build());
        } catch (MimeException e) {
            throw new IOException("unparseable message: " + e.getMessage(), e);
        }
    }

    /** Finds the offset just after the first empty line (CRLF CRLF or LF LF) while passing bytes through. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private long position;
        private long bodyStart = -1;
        private int state;

        CountingStream(InputStream in) {
            super(in);
        }

        private void see(int b) {
            position++;
            if (bodyStart >= 0) {
                return;
            }
            // states: 0 = in a line, 1 = saw CR, 2 = saw line end, 3 = saw line end + CR
            switch (b) {
                case '\r' -> state = state == 2 ? 3 : 1;
                case '\n' -> {
                    if (state == 2 || state == 3) {
                        bodyStart = position;
                    }
                    state = 2;
                }
                default -> state = 0;
            }
        }

        long bodyStartGuess() {
            return bodyStart < 0 ? position : bodyStart;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                see(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            for (int i = 0; i < read; i++) {
                see(buffer[offset + i] & 0xff);
            }
            return read;
        }
    }
}

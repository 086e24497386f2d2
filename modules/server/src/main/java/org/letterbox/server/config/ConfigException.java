package org.letterbox.server.config;

/** The configuration cannot be used; the message is one line that names the file and the key. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

package org.letterbox.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The whole of {@code conf/letterbox.yaml}. Every key is optional; a missing key takes the default shown in
 * {@code docs/configuration.md}. An unknown key stops start-up.
 *
 * @param hostname the name this server gives itself in greetings and Received headers, and in its self-signed certificate
 * @param dataDirectory where the store keeps its database; relative paths are relative to the working directory
 * @param store tuning of the store
 */
public record ServerConfig(
    @JsonProperty("hostname") String hostname,
    @JsonProperty("dataDirectory") String dataDirectory,
    @JsonProperty("store") StoreSettings store) {

    public ServerConfig {
        hostname = hostname == null ? "localhost" : hostname;
        dataDirectory = dataDirectory == null ? "./data" : dataDirectory;
        store = store == null ? new StoreSettings(null, null, null) : store;
    }

    /**
     * @param readerConnections JDBC connections for reads (default 4)
     * @param workerThreads threads that run blocking store calls for the protocols (default 8)
     * @param plusSeparator sub-address separator, {@code user+tag@domain}; empty disables it (default "+")
     */
    public record StoreSettings(
        @JsonProperty("readerConnections") Integer readerConnections,
        @JsonProperty("workerThreads") Integer workerThreads,
        @JsonProperty("plusSeparator") String plusSeparator) {

        public StoreSettings {
            readerConnections = positive("store.readerConnections", readerConnections, 4);
            workerThreads = positive("store.workerThreads", workerThreads, 8);
            plusSeparator = plusSeparator == null ? "+" : plusSeparator;
        }
    }

    static Integer positive(String key, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + value);
        }
        return value;
    }
}

/**
 * How the configuration becomes the web listener's plain values (the client settings, the local domains) and the
 * ACME certificate manager's (its names, its files), and the two started.
 */
package org.letterbox.server.web;

/** The server's logging set-up: its default configuration, made in code, unless a logback file is named. */
package org.letterbox.server.logging;

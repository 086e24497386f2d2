/**
 * Helpers the tests of every module share: real sockets and real TLS on loopback, never mocks. Only tests depend
 * on this module.
 */
package org.letterbox.testing;

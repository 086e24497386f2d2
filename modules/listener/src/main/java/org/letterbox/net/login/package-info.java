/**
 * Logins, the same for every protocol: the guard that counts failures per client network and per account and says
 * how long to wait or whether to refuse, the escaping of client-supplied values for log lines, the one format of
 * the authentication log that fail2ban reads, and the Netty handler that holds a failed login's reply back without
 * holding a thread.
 */
package org.letterbox.net.login;

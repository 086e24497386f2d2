/**
 * This node's mailbox events: who listens to which mailbox (a session's selected folder, IDLE) and to which group
 * (quota, search index), and the delivery of each event raised by a change to those listeners.
 */
package org.letterbox.store.events;

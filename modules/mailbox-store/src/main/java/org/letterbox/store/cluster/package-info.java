/**
 * Several nodes on one database: what each node tells the others through it (mailbox events, so that an IDLE on one
 * node hears of a delivery through another; changes of users, domains, aliases and passwords, so that every node's
 * caches drop them), and which nodes are alive. Used with PostgreSQL; a Derby store is one node and needs none of it.
 */
package org.letterbox.store.cluster;

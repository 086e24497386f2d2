/**
 * Moving an installation: a stopped store copied whole into an empty database of another backend, ids, UIDs,
 * UIDVALIDITY and mod-sequences kept, so that clients find every mailbox as they left it; then both compared.
 */
package org.letterbox.store.copy;

/** The DKIM keys of each domain, as the store keeps them: key bytes and their state, no cryptography. */
package org.letterbox.store.dkim;

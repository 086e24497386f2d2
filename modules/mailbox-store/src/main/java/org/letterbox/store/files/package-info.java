/** Files that hold mail or secrets: made readable by their owner only, and never reached through a symbolic link. */
package org.letterbox.store.files;

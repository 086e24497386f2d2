/**
 * Metrics: what James's libraries are given to record with. Nothing is exported yet, so the store and every
 * listener share one factory that records nothing.
 */
package org.letterbox.store.metrics;

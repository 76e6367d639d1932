package io.chatvault.source;

import java.io.Closeable;
import java.util.Iterator;

import io.chatvault.message.SourceRecord;

/**
 * A stream of records read from one input, in input order, with flat memory whatever the
 * size of the input. Every line or record of the input ends as exactly one
 * {@link SourceRecord}: parsed or quarantined. {@link #next()} never throws for bad
 * input; it throws {@link java.io.UncheckedIOException} only when the input cannot be
 * read at all.
 *
 * <p>
 * The order is deterministic: reading the same input twice yields the same records in the
 * same order, which is what lets a restarted job skip what it already committed.
 */
public interface SourceReader extends Iterator<SourceRecord>, Closeable {

	/**
	 * What the reader found out about the input (format, date order and how it was
	 * chosen).
	 */
	SourceDescription description();

}

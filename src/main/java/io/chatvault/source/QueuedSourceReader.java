package io.chatvault.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;

import io.chatvault.message.SourceRecord;

/**
 * A {@link SourceReader} that reads its input one step at a time (a line, a JSON record,
 * a webhook body) and queues what each step yields, which may be several records (a
 * webhook body with many messages) or none (whitespace). Only one step's records are
 * held.
 */
public abstract class QueuedSourceReader implements SourceReader {

	private final ArrayDeque<SourceRecord> pending = new ArrayDeque<>();

	private boolean exhausted;

	/**
	 * Reads the next step of the input and {@link #emit emits} its records.
	 * @return false once the input is exhausted
	 * @throws IOException if the input cannot be read at all
	 */
	protected abstract boolean produce() throws IOException;

	/**
	 * Queues a record.
	 * @param record a parsed or quarantined record
	 */
	protected final void emit(SourceRecord record) {
		this.pending.add(record);
	}

	@Override
	public final boolean hasNext() {
		while (this.pending.isEmpty() && !this.exhausted) {
			try {
				this.exhausted = !produce();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return !this.pending.isEmpty();
	}

	@Override
	public final SourceRecord next() {
		if (!hasNext()) {
			throw new NoSuchElementException();
		}
		return this.pending.poll();
	}

}

package io.chatvault.vault;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.chatvault.crypto.ErasedException;

/**
 * The records a reader met that a GDPR erasure made unreadable (their data key destroyed:
 * crypto-shredding), counted instead of read. Every reader that goes over many records
 * (search, the regulator drill's full scan, export, restore, the search backfill) treats
 * erased records through one of these: they are skipped, counted, and the rest goes on,
 * so that an erased scope shows as a figure, is never read and never aborts a run. Any
 * other failure to read (a damaged block, a keystore that does not open) is not an
 * erasure and still propagates. One per run; not thread-safe.
 */
public final class ErasedRecords {

	private long records;

	private final Set<String> scopes = new TreeSet<>();

	/**
	 * Counts one record found erased.
	 * @param erased what reading it threw
	 */
	public void count(ErasedException erased) {
		this.records++;
		this.scopes.add(erased.scope());
	}

	/**
	 * The records of a stream that can still be read: each erased record is counted and
	 * skipped. The stream must come from {@link VaultReader#records} (its iterator moves
	 * past a record that failed to read). Closing the result closes the stream.
	 * @param records the records as the vault streams them
	 * @return the readable ones
	 */
	public Stream<ArchivedRecord> readable(Stream<ArchivedRecord> records) {
		Iterator<ArchivedRecord> all = records.iterator();
		Iterator<ArchivedRecord> readable = new Iterator<>() {

			private ArchivedRecord next;

			@Override
			public boolean hasNext() {
				while (this.next == null) {
					try {
						// The vault's iterator reads ahead in hasNext(): an erased
						// record throws from either call.
						if (!all.hasNext()) {
							return false;
						}
						this.next = all.next();
					}
					catch (ErasedException ex) {
						count(ex);
					}
				}
				return true;
			}

			@Override
			public ArchivedRecord next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				ArchivedRecord record = this.next;
				this.next = null;
				return record;
			}

		};
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(readable, Spliterator.ORDERED), false)
			.onClose(records::close);
	}

	/**
	 * How many erased records were met.
	 * @return the count
	 */
	public long records() {
		return this.records;
	}

	/**
	 * The erasure scopes they belong to ({@code conversation:SLACK_EXPORT:C1:alice}).
	 * @return the scopes, sorted
	 */
	public Set<String> scopes() {
		return Collections.unmodifiableSet(this.scopes);
	}

}

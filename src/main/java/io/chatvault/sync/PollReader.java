package io.chatvault.sync;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * Reads the pages of a group's polls, one unit per page, poll after poll. It keeps no
 * position of its own: each poll starts from its watermark in the database, which the
 * commit of its last page advances, so a restart or the next window polls again exactly
 * what was not committed.
 */
class PollReader implements ItemReader<SyncUnit> {

	private final Iterator<Supplier<Iterator<Poll>>> sources;

	private Iterator<Poll> polls = Collections.emptyIterator();

	private Iterator<SyncUnit> current = Collections.emptyIterator();

	/**
	 * A reader over polls.
	 * @param sources each platform's polls, listed only when the reader gets to them
	 */
	PollReader(List<Supplier<Iterator<Poll>>> sources) {
		this.sources = sources.iterator();
	}

	@Override
	public SyncUnit read() {
		while (!this.current.hasNext()) {
			while (!this.polls.hasNext()) {
				if (!this.sources.hasNext()) {
					return null;
				}
				this.polls = this.sources.next().get();
			}
			this.current = this.polls.next().units();
		}
		return this.current.next();
	}

}

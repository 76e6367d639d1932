package io.chatvault.access;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a reader asks to read: custodians (none named: every custodian the principal may
 * read), conversations (as the reader names them, for instance
 * {@code WHATSAPP_EXPORT:<conversation id>}; none named: all), and a time range.
 * Operations that read no content use {@link #NONE}.
 *
 * @param custodians the custodian ids asked for; empty for all the principal may read
 * @param conversations the conversations asked for; empty for all
 * @param from the start of the range (inclusive), if limited
 * @param to the end of the range (exclusive), if limited
 */
public record ContentScope(Set<String> custodians, Set<String> conversations, Optional<Instant> from,
		Optional<Instant> to) {

	/** No content (audit log, reports, jobs, administration). */
	public static final ContentScope NONE = new ContentScope(Set.of(), Set.of(), Optional.empty(), Optional.empty());

	public ContentScope {
		custodians = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(custodians));
		conversations = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(conversations));
		if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
			throw new IllegalArgumentException(
					"the range ends (" + to.get() + ") before it starts (" + from.get() + ")");
		}
	}

	/**
	 * Everything the principal may read.
	 * @return the scope
	 */
	public static ContentScope everythingPermitted() {
		return NONE;
	}

	/**
	 * Named custodians' records.
	 * @param custodianIds the custodians
	 * @return the scope
	 */
	public static ContentScope custodians(String... custodianIds) {
		return new ContentScope(Set.of(custodianIds), Set.of(), Optional.empty(), Optional.empty());
	}

	/**
	 * The same scope limited to conversations.
	 * @param conversationIds the conversations
	 * @return the scope
	 */
	public ContentScope withConversations(String... conversationIds) {
		return new ContentScope(this.custodians, Set.of(conversationIds), this.from, this.to);
	}

	/**
	 * The same scope limited to a time range.
	 * @param start start (inclusive), or null
	 * @param end end (exclusive), or null
	 * @return the scope
	 */
	public ContentScope between(Instant start, Instant end) {
		return new ContentScope(this.custodians, this.conversations, Optional.ofNullable(start),
				Optional.ofNullable(end));
	}

}

package io.chatvault.search;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Edit;
import io.chatvault.message.Participant;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record's tokens: every unit of every searchable field, as the class documents it,
 * whichever records came before on the thread (the author names' tokens are kept per
 * thread).
 */
class SearchTokensTests {

	/** A stand-in for the keyed HMAC: distinct terms give distinct tokens. */
	static final class ReadableKey extends SearchKey {

		ReadableKey() {
			super(null);
		}

		@Override
		public long token(char domain, String text) {
			return ((long) domain << 56) ^ (domain + ":" + text).hashCode() * 0x9E3779B97F4A7C15L;
		}

	}

	private final SearchKey key = new ReadableKey();

	private final SearchTokens tokens = new SearchTokens(this.key, List.of(3, 5));

	@Test
	void aRecordHasTheTokensOfEachOfItsFieldsAuthorIncluded() {
		// given records by a few authors, names in several scripts, some repeated
		String[] authors = { "Tomás Ortega", "Priya Shah", "+44 7700 900123", "王小明", "Ørjan 👍", "Priya Shah" };
		String[] bodies = { "Please sign the contract before Friday 👍", "我们签合同 ok", "3.14 at 10:30, O'Neill", "",
				"Straße café" };
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 300; i++) {
			ChatRecord record = record(authors[random.nextInt(authors.length)], bodies[random.nextInt(bodies.length)],
					(i % 3 == 0) ? bodies[random.nextInt(bodies.length)] : null);

			// when
			long[] actual = this.tokens.tokens(record);

			// then
			assertThat(actual).as("record %d", i).containsExactly(expected(record));
		}
	}

	@Test
	void anAuthorsTokensAreTheSameOnEveryThreadAndEveryTime() throws Exception {
		// given
		ChatRecord record = record("Tomás Ortega", "ok", null);
		long[] first = this.tokens.tokens(record);

		// when
		long[][] again = new long[2][];
		Thread other = new Thread(() -> again[0] = this.tokens.tokens(record));
		other.start();
		other.join();
		again[1] = this.tokens.tokens(record);

		// then
		assertThat(again[0]).containsExactly(first);
		assertThat(again[1]).containsExactly(first);
		assertThat(first).contains(this.key.token('w', "tomas"), this.key.token('p', "tom"),
				this.key.token('w', "ortega"), this.key.token('p', "orteg"), this.key.token('w', "ok"));
	}

	/** The documented rule, field by field, from {@link SearchTokens#fields}. */
	private long[] expected(ChatRecord record) {
		List<Long> all = new ArrayList<>();
		for (List<SearchText.Unit> field : SearchTokens.fields(record)) {
			SearchText.Unit previous = null;
			for (SearchText.Unit unit : field) {
				if (unit.spaceless()) {
					all.add(this.key.token('c', unit.text()));
					if (previous != null && previous.spaceless()) {
						all.add(this.key.token('c', previous.text() + unit.text()));
					}
				}
				else {
					all.add(this.key.token('w', unit.text()));
					int length = unit.text().codePointCount(0, unit.text().length());
					for (int prefix : new int[] { 3, 5 }) {
						if (length >= prefix) {
							all.add(this.key.token('p',
									unit.text().substring(0, unit.text().offsetByCodePoints(0, prefix))));
						}
					}
				}
				previous = unit;
			}
		}
		return all.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
	}

	private static ChatRecord record(String author, String body, String previousBody) {
		List<Edit> edits = (previousBody != null) ? List.of(new Edit(Instant.EPOCH, previousBody, null)) : List.of();
		return new ChatRecord(SourcePlatform.WHATSAPP_EXPORT,
				new Conversation("chat", ConversationType.GROUP, "Chat", List.of()), null, RecordKind.MESSAGE,
				new Participant(author, author), Instant.EPOCH, "UTC", body, null, edits, !edits.isEmpty(), null, null,
				null, null, null, null, null, new SourceLocation("chat.txt", null, 1), null, 0, null);
	}

}

package io.chatvault.source.whatsapp;

import java.util.Arrays;

import io.chatvault.message.Participant;

/**
 * The participants of the last few distinct author names, matched on the raw bytes: a
 * chat has few authors, so most lines find theirs without decoding a string or hashing
 * it. Bounded, so memory stays flat however many authors an export has.
 */
final class AuthorCache {

	private static final int SIZE = 16;

	private final byte[][] keys = new byte[SIZE][];

	private final Participant[] values = new Participant[SIZE];

	private int next;

	/** The participant named by {@code b[from, to)}. */
	Participant participant(byte[] b, int from, int to) {
		int length = to - from;
		for (int i = 0; i < SIZE; i++) {
			byte[] key = this.keys[i];
			if (key != null && key.length == length && Arrays.equals(key, 0, length, b, from, to)) {
				return this.values[i];
			}
		}
		Participant participant = Participant.named(AuthorSplit.decodeName(b, from, to));
		this.keys[this.next] = Arrays.copyOfRange(b, from, to);
		this.values[this.next] = participant;
		this.next = (this.next + 1) % SIZE;
		return participant;
	}

}

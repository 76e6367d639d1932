package io.chatvault.source.whatsapp;

import java.nio.charset.StandardCharsets;

import io.chatvault.message.Participant;

/**
 * Finds the author in the rest of a header line ("Loris: Welcome", "~ User 2: See you",
 * "John Doe:."), on the bytes. A line without an author separator is a system line. A
 * colon after a quote ({@code changed the subject to "a: b"}) or before "//" (a URL) does
 * not start a message, and neither does one further than {@link #MAX_AUTHOR_BYTES} into
 * the line.
 */
final class AuthorSplit {

	static final int MAX_AUTHOR_BYTES = 256;

	/** Where the author starts, after a "~ " non-contact marker and bidi marks. */
	int authorStart;

	/** Where the author ends (exclusive), or -1 when the line has no author. */
	int authorEnd;

	/** Where the text starts. */
	int textStart;

	/** Whether the author was marked "~ ": a sender who is not a saved contact. */
	boolean nonContact;

	void split(byte[] b, int from, int to) {
		int p = skipIgnorable(b, from, to);
		this.nonContact = false;
		if (p + 1 < to && b[p] == '~') {
			int space = HeaderScanner.spaceLength(b, p + 1, to);
			if (space > 0) {
				this.nonContact = true;
				p = skipIgnorable(b, p + 1 + space, to);
			}
		}
		this.authorStart = p;
		this.authorEnd = -1;
		this.textStart = from;
		int limit = Math.min(to, p + MAX_AUTHOR_BYTES);
		for (int i = p; i < limit; i++) {
			byte c = b[i];
			if (c == '"' || (c == (byte) 0xE2 && i + 2 < to && b[i + 1] == (byte) 0x80 && b[i + 2] == (byte) 0x9C)
					|| (c == (byte) 0xC2 && i + 1 < to && b[i + 1] == (byte) 0xAB)) {
				return;
			}
			if (c == ':') {
				if (i == p) {
					return;
				}
				if (i + 1 < to && b[i + 1] == '/') {
					return;
				}
				this.authorEnd = i;
				this.textStart = (i + 1 < to && b[i + 1] == ' ') ? i + 2 : i + 1;
				return;
			}
		}
	}

	boolean hasAuthor() {
		return this.authorEnd >= 0;
	}

	/** The author's name with bidi marks removed, trimmed. */
	String author(byte[] b) {
		return decodeName(b, this.authorStart, this.authorEnd);
	}

	/** The author's participant, through a cache of recent authors. */
	Participant author(byte[] b, AuthorCache cache) {
		return cache.participant(b, this.authorStart, this.authorEnd);
	}

	static String decodeName(byte[] b, int from, int to) {
		return Texts.stripBidi(new String(b, from, to - from, StandardCharsets.UTF_8)).strip();
	}

	static int skipIgnorable(byte[] b, int p, int to) {
		int n;
		while (p < to && (n = HeaderScanner.ignorableLength(b, p, to)) > 0) {
			p += n;
		}
		return p;
	}

}

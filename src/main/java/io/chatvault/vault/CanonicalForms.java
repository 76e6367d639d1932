package io.chatvault.vault;

import java.util.function.Function;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.MessageIdentity;

/**
 * The canonical forms for readers outside the vault that write records out and read them
 * back (restore and its drill): a conversation state's canonical bytes (which a record
 * names by their SHA-256), and the id of a record recomputed from its canonical bytes,
 * the check that restored bytes are the archived record.
 */
public final class CanonicalForms {

	private CanonicalForms() {
	}

	/**
	 * The canonical bytes of a conversation state.
	 * @param conversation the conversation
	 * @return its canonical JSON (its SHA-256 is what records name as
	 * {@code conversation.state})
	 */
	public static byte[] conversationState(Conversation conversation) {
		return CanonicalRecords.conversation(conversation);
	}

	/**
	 * Decodes a conversation state.
	 * @param canonical its canonical bytes
	 * @return the conversation
	 */
	public static Conversation decodeConversationState(byte[] canonical) {
		return new CanonicalRecords().decodeConversation(canonical);
	}

	/**
	 * Decodes a canonical record.
	 * @param canonical its canonical bytes
	 * @param states the conversation of a state's hex SHA-256
	 * @return the record
	 * @throws IllegalArgumentException if the bytes are not a canonical record
	 */
	public static ChatRecord decode(byte[] canonical, Function<String, Conversation> states) {
		return new CanonicalRecords().decode(canonical, states).record();
	}

	/**
	 * The deterministic id of a record recomputed from its canonical bytes.
	 * @param canonical its canonical bytes
	 * @param states the conversation of a state's hex SHA-256
	 * @return the id
	 * @throws IllegalArgumentException if the bytes are not a canonical record
	 */
	public static String messageId(byte[] canonical, Function<String, Conversation> states) {
		return MessageIdentity.of(decode(canonical, states));
	}

}

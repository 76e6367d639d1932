package io.chatvault.vault;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.chatvault.crypto.KeyScope;
import io.chatvault.message.ChatRecord;

/**
 * A conversation as one custodian holds it: the unit the vault groups records by, and the
 * erasure scope of their data key. A conversation exported by two custodians (both ends
 * of a Slack channel) is held twice; each record is stored once, under the key of the
 * custodian that archived it first, and the others are listed as further holders.
 *
 * @param source the source platform's name ({@code SLACK_EXPORT})
 * @param conversationId the conversation's id
 * @param custodian the custodian
 */
public record HeldConversation(String source, String conversationId, String custodian) {

	public HeldConversation {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(conversationId, "conversationId");
		Objects.requireNonNull(custodian, "custodian");
	}

	/**
	 * The conversation of a record as a custodian holds it.
	 * @param record the record
	 * @param custodian the custodian
	 * @return the held conversation
	 */
	public static HeldConversation of(ChatRecord record, String custodian) {
		return new HeldConversation(record.source().name(), record.conversation().id(), custodian);
	}

	/**
	 * The erasure scope of its records, conversation states and single-conversation
	 * originals: {@code conversation:<source>:<conversation id>:<custodian>}, with
	 * {@code %} and {@code :} escaped in the id and the custodian so that the name is
	 * unambiguous.
	 * @return the key scope
	 */
	public KeyScope keyScope() {
		return new KeyScope(
				"conversation:" + this.source + ":" + escape(this.conversationId) + ":" + escape(this.custodian),
				this.custodian, this.source, this.conversationId);
	}

	/** The canonical JSON naming the holder in a records block. */
	byte[] canonical() {
		Map<String, Object> json = new TreeMap<>();
		json.put("conversation", this.conversationId);
		json.put("custodian", this.custodian);
		json.put("source", this.source);
		return CanonicalJson.write(json);
	}

	static String escape(String value) {
		return value.replace("%", "%25").replace(":", "%3A");
	}

}

package io.chatvault.source.whatsappcloud;

import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import io.chatvault.source.JsonRecords;

/**
 * Reads, in one pass of a streaming parser and without a tree, the webhook body that
 * makes up most of the inbox: incoming text messages ({@code messages[]} of type
 * {@code text}) with the change's metadata and contacts. Any other body (statuses,
 * echoes, media, replies, errors, a field of an unexpected type, a number, a boolean or a
 * null anywhere, malformed JSON, a duplicate key, trailing tokens) is not read here: the
 * caller maps it with the tree mapper, which holds every check and quarantine. Every
 * string is decoded, read or not, so invalid UTF-8 is found as the tree finds it.
 */
final class TextWebhookStream {

	private final JsonRecords json;

	TextWebhookStream(JsonRecords json) {
		this.json = json;
	}

	/**
	 * The changes of a body of text messages.
	 * @param body the raw body
	 * @return the changes in order, or null when the body is not of that shape (or not
	 * JSON): the tree mapper reads it
	 */
	List<Change> read(byte[] body) {
		try (JsonParser parser = this.json.parser(body)) {
			List<Change> changes = new ArrayList<>(1);
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			boolean entries = false;
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				parser.nextToken();
				if ("entry".equals(name)) {
					if (!entries(parser, changes)) {
						return null;
					}
					entries = true;
				}
				else if (!consume(parser)) {
					return null;
				}
			}
			if (token != JsonToken.END_OBJECT || !entries || changes.isEmpty() || parser.nextToken() != null) {
				return null;
			}
			return changes;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private boolean entries(JsonParser parser, List<Change> changes) {
		if (!parser.hasToken(JsonToken.START_ARRAY)) {
			return false;
		}
		while (parser.nextToken() == JsonToken.START_OBJECT) {
			boolean hasChanges = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				parser.nextToken();
				if ("changes".equals(name)) {
					if (hasChanges || !changes(parser, changes)) {
						return false;
					}
					hasChanges = true;
				}
				else if (!consume(parser)) {
					return false;
				}
			}
			if (!hasChanges) {
				return false;
			}
		}
		return parser.hasToken(JsonToken.END_ARRAY);
	}

	private boolean changes(JsonParser parser, List<Change> changes) {
		if (!parser.hasToken(JsonToken.START_ARRAY)) {
			return false;
		}
		int before = changes.size();
		while (parser.nextToken() == JsonToken.START_OBJECT) {
			Change change = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				parser.nextToken();
				if ("value".equals(name)) {
					change = value(parser);
					if (change == null) {
						return false;
					}
				}
				else if (!consume(parser)) {
					return false;
				}
			}
			if (change == null) {
				return false;
			}
			changes.add(change);
		}
		return parser.hasToken(JsonToken.END_ARRAY) && changes.size() > before;
	}

	private Change value(JsonParser parser) {
		if (!parser.hasToken(JsonToken.START_OBJECT)) {
			return null;
		}
		String phoneNumberId = null;
		String displayPhoneNumber = null;
		boolean metadata = false;
		List<Contact> contacts = null;
		String contactsJson = null;
		List<Text> texts = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken token = parser.nextToken();
			switch (name) {
				case "metadata" -> {
					if (token != JsonToken.START_OBJECT) {
						return null;
					}
					while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
						String field = parser.currentName();
						parser.nextToken();
						if ("phone_number_id".equals(field) || "display_phone_number".equals(field)) {
							if (!parser.hasToken(JsonToken.VALUE_STRING)) {
								return null;
							}
							if ("phone_number_id".equals(field)) {
								phoneNumberId = parser.getString();
							}
							else {
								displayPhoneNumber = parser.getString();
							}
						}
						else if (!consume(parser)) {
							return null;
						}
					}
					metadata = true;
				}
				case "contacts" -> {
					if (token != JsonToken.START_ARRAY) {
						return null;
					}
					contacts = new ArrayList<>(1);
					StringWriter out = new StringWriter(96);
					try (JsonGenerator copy = this.json.generator(out)) {
						copy.writeStartArray();
						while (parser.nextToken() == JsonToken.START_OBJECT) {
							Contact contact = contact(parser, copy);
							if (contact == null) {
								return null;
							}
							contacts.add(contact);
						}
						if (!parser.hasToken(JsonToken.END_ARRAY)) {
							return null;
						}
						copy.writeEndArray();
					}
					contactsJson = out.toString();
				}
				case "messages" -> {
					if (token != JsonToken.START_ARRAY) {
						return null;
					}
					texts = new ArrayList<>(1);
					while (parser.nextToken() == JsonToken.START_OBJECT) {
						Text text = text(parser);
						if (text == null) {
							return null;
						}
						texts.add(text);
					}
					if (!parser.hasToken(JsonToken.END_ARRAY)) {
						return null;
					}
				}
				// what the tree mapper would read otherwise, or keep: not here
				case "message_echoes", "statuses", "errors" -> {
					return null;
				}
				default -> {
					if (!consume(parser)) {
						return null;
					}
				}
			}
		}
		if (!metadata || phoneNumberId == null || texts == null || texts.isEmpty()) {
			return null;
		}
		String businessPhone = (displayPhoneNumber != null) ? displayPhoneNumber : phoneNumberId;
		return new Change(phoneNumberId, businessPhone, (contacts != null) ? contacts : List.of(), contactsJson, texts);
	}

	/**
	 * A contact (strings, objects and arrays only), copied as the tree would write it.
	 */
	private static Contact contact(JsonParser parser, JsonGenerator copy) {
		String waId = null;
		String userId = null;
		String profileName = null;
		copy.writeStartObject();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			copy.writeName(name);
			JsonToken token = parser.nextToken();
			if ("wa_id".equals(name) || "user_id".equals(name)) {
				if (token != JsonToken.VALUE_STRING) {
					return null;
				}
				String value = parser.getString();
				copy.writeString(value);
				if ("wa_id".equals(name)) {
					waId = value;
				}
				else {
					userId = value;
				}
			}
			else if ("profile".equals(name)) {
				if (token != JsonToken.START_OBJECT) {
					return null;
				}
				copy.writeStartObject();
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String field = parser.currentName();
					copy.writeName(field);
					parser.nextToken();
					if ("name".equals(field)) {
						if (!parser.hasToken(JsonToken.VALUE_STRING)) {
							return null;
						}
						profileName = parser.getString();
						copy.writeString(profileName);
					}
					else if (!copyStrings(parser, copy)) {
						return null;
					}
				}
				copy.writeEndObject();
			}
			else if (!copyStrings(parser, copy)) {
				return null;
			}
		}
		copy.writeEndObject();
		return new Contact(waId, userId, profileName);
	}

	/**
	 * An incoming text message: an id, a timestamp, a sender, type {@code text} and a
	 * body, nothing else (whatever else a message holds, the tree mapper keeps).
	 */
	private static Text text(JsonParser parser) {
		String id = null;
		String timestamp = null;
		String from = null;
		String type = null;
		String body = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken token = parser.nextToken();
			if ("text".equals(name)) {
				if (token != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.PROPERTY_NAME
						|| !"body".equals(parser.currentName()) || parser.nextToken() != JsonToken.VALUE_STRING) {
					return null;
				}
				body = parser.getString();
				if (parser.nextToken() != JsonToken.END_OBJECT) {
					return null;
				}
				continue;
			}
			if (token != JsonToken.VALUE_STRING) {
				return null;
			}
			String value = parser.getString();
			switch (name) {
				case "id" -> id = value;
				case "timestamp" -> timestamp = value;
				case "from" -> from = value;
				case "type" -> type = value;
				default -> {
					return null;
				}
			}
		}
		if (id == null || from == null || !"text".equals(type) || body == null) {
			return null;
		}
		Optional<Instant> sentAt = JsonRecords.epochSeconds(timestamp);
		return sentAt.isPresent() ? new Text(id, sentAt.get(), from, body) : null;
	}

	/**
	 * Reads the value at the parser's current token to its end, decoding every string:
	 * whether it holds only strings, objects and arrays.
	 */
	private static boolean consume(JsonParser parser) {
		int depth = 0;
		JsonToken token = parser.currentToken();
		while (true) {
			switch (token) {
				case START_OBJECT, START_ARRAY -> depth++;
				case END_OBJECT, END_ARRAY -> depth--;
				case VALUE_STRING -> parser.getStringLength();
				case PROPERTY_NAME -> {
				}
				default -> {
					return false;
				}
			}
			if (depth == 0) {
				return true;
			}
			token = parser.nextToken();
		}
	}

	/** As {@link #consume}, copying what it reads. */
	private static boolean copyStrings(JsonParser parser, JsonGenerator copy) {
		int depth = 0;
		JsonToken token = parser.currentToken();
		while (true) {
			switch (token) {
				case START_OBJECT -> {
					depth++;
					copy.writeStartObject();
				}
				case START_ARRAY -> {
					depth++;
					copy.writeStartArray();
				}
				case END_OBJECT -> {
					depth--;
					copy.writeEndObject();
				}
				case END_ARRAY -> {
					depth--;
					copy.writeEndArray();
				}
				case VALUE_STRING -> copy.writeString(parser.getString());
				case PROPERTY_NAME -> copy.writeName(parser.currentName());
				default -> {
					return false;
				}
			}
			if (depth == 0) {
				return true;
			}
			token = parser.nextToken();
		}
	}

	/**
	 * One change of the body.
	 *
	 * @param businessId the business number's id ({@code metadata.phone_number_id})
	 * @param businessPhone its display number, or the id
	 * @param contacts the change's contacts, in order
	 * @param contactsJson the contacts as the tree mapper keeps them, or null when the
	 * change has none
	 * @param texts its text messages, in order
	 */
	record Change(String businessId, String businessPhone, List<Contact> contacts, String contactsJson,
			List<Text> texts) {
	}

	/**
	 * A contact of a change.
	 *
	 * @param waId the phone number, or null
	 * @param userId the business-scoped user id, or null
	 * @param name the profile name, or null
	 */
	record Contact(String waId, String userId, String name) {
	}

	/**
	 * An incoming text message.
	 *
	 * @param id its wamid
	 * @param sentAt its timestamp
	 * @param from the customer's phone number
	 * @param body the text
	 */
	record Text(String id, Instant sentAt, String from, String body) {
	}

}

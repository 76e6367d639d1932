package io.chatvault.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

/**
 * The guard that keeps a JSON source from dropping records silently: it finds every array
 * of message-shaped objects inside a source object that the mapper does not read as
 * records of their own. Graph responses fetched with {@code $expand=replies} carried each
 * thread's replies in such an array, and a mapper that did not know the field kept only
 * the root; the next format surprise of this kind is found here, and the reader
 * quarantines what it finds (with the raw bytes), so that it is counted and visible.
 *
 * <p>
 * Paths name object fields joined by dots, with {@code []} for the elements of an array:
 * {@code replies}, {@code entry[].changes[].value.messages}. An array the mapper reads
 * ({@code handled}) is not searched: its elements are the mapper's records, and the guard
 * runs on each of them in turn.
 */
public final class UnreadMessageArrays {

	private UnreadMessageArrays() {
	}

	/**
	 * Finds the unread arrays of message-shaped objects.
	 * @param root the source object as read
	 * @param messageShaped whether an object looks like a record of the source (an id and
	 * a time, for example)
	 * @param handled the paths of the arrays the mapper reads as records
	 * @return the arrays found, in document order; empty when there is none
	 */
	public static List<Found> find(JsonNode root, Predicate<JsonNode> messageShaped, Set<String> handled) {
		List<Found> found = new ArrayList<>();
		walk(root, "", messageShaped, handled, found);
		return found;
	}

	private static void walk(JsonNode node, String path, Predicate<JsonNode> messageShaped, Set<String> handled,
			List<Found> found) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				walk(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), messageShaped,
						handled, found);
			}
		}
		else if (node.isArray() && !handled.contains(path)) {
			List<JsonNode> messages = new ArrayList<>();
			boolean[] isMessage = new boolean[node.size()];
			for (int i = 0; i < node.size(); i++) {
				JsonNode element = node.get(i);
				if (element.isObject() && messageShaped.test(element)) {
					messages.add(element);
					isMessage[i] = true;
				}
			}
			if (!messages.isEmpty()) {
				found.add(new Found(path, node.size(), messages));
			}
			// A message found is quarantined whole, with what it holds; other elements
			// may
			// still hold messages deeper down.
			String elements = path + "[]";
			for (int i = 0; i < node.size(); i++) {
				if (!isMessage[i]) {
					walk(node.get(i), elements, messageShaped, handled, found);
				}
			}
		}
	}

	/**
	 * An array of message-shaped objects that no mapping reads.
	 *
	 * @param path where it is in the source object
	 * @param size the number of elements of the array
	 * @param messages its message-shaped elements
	 */
	public record Found(String path, int size, List<JsonNode> messages) {

		public Found {
			messages = List.copyOf(messages);
		}

		/**
		 * Why an element is quarantined, for the operator.
		 * @param index the element's position among {@link #messages()}, from 0
		 * @param container what holds the array ("chatMessage 1616963377068")
		 * @param reader the reader that did not read it ("teams")
		 * @return the reason
		 */
		public String reason(int index, String container, String reader) {
			return "message-shaped object " + (index + 1) + " of " + this.messages.size() + " in the array '"
					+ this.path + "' of " + container + ", which the " + reader
					+ " reader does not read as records: quarantined so that it is not lost";
		}

	}

}

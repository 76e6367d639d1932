package io.chatvault.sync;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import tools.jackson.databind.JsonNode;

import io.chatvault.custodian.AccountKind;
import io.chatvault.custodian.GroupMember;
import io.chatvault.custodian.PlatformAccount;
import io.chatvault.message.Conversation;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.slack.SlackApiMessages;

/**
 * The Slack polls of a group: every conversation of its members' Slack users
 * ({@code users.conversations}) and every listed conversation, each read with
 * {@code conversations.history} from its watermark (exclusive) to the window's end, page
 * by page through {@code next_cursor}; the replies of every thread root on a page come
 * with it ({@code conversations.replies}, same range). The watermark is the window's end,
 * advanced with the conversation's last page.
 */
class SlackPolls {

	private final ApiClient api;

	private final SyncProperties.Slack settings;

	private final Watermarks watermarks;

	private final SyncWindow window;

	private final Duration lookback;

	private final Clock clock;

	private final SlackApiMessages messages = new SlackApiMessages();

	SlackPolls(ApiClient api, SyncProperties.Slack settings, Watermarks watermarks, SyncWindow window,
			Duration lookback, Clock clock) {
		this.api = api;
		this.settings = settings;
		this.watermarks = watermarks;
		this.window = window;
		this.lookback = lookback;
		this.clock = clock;
	}

	/**
	 * The polls of the group's Slack accounts; users' conversations are listed lazily.
	 */
	Iterator<Poll> polls() {
		List<Map.Entry<GroupMember, PlatformAccount>> accounts = new ArrayList<>();
		for (GroupMember member : this.window.group().members()) {
			for (PlatformAccount account : member.accounts()) {
				if (account.kind() == AccountKind.SLACK_USER || account.kind() == AccountKind.SLACK_CHANNEL) {
					accounts.add(Map.entry(member, account));
				}
			}
		}
		if (!accounts.isEmpty() && (this.settings.token() == null || this.settings.token().isBlank())) {
			throw new IllegalStateException("group " + this.window.groupName()
					+ " has Slack accounts but chatvault.sync.slack.token is not set");
		}
		Map<String, Map.Entry<GroupMember, PlatformAccount>> channels = new LinkedHashMap<>();
		return new Iterator<>() {

			private int next;

			private Iterator<String> pending = java.util.Collections.emptyIterator();

			@Override
			public boolean hasNext() {
				while (!this.pending.hasNext() && this.next < accounts.size()) {
					Map.Entry<GroupMember, PlatformAccount> account = accounts.get(this.next++);
					List<String> found = (account.getValue().kind() == AccountKind.SLACK_CHANNEL)
							? List.of(account.getValue().id()) : conversationsOf(account.getValue().id());
					List<String> fresh = new ArrayList<>();
					for (String channel : found) {
						if (channels.putIfAbsent(channel, account) == null) {
							fresh.add(channel);
						}
					}
					this.pending = fresh.iterator();
				}
				return this.pending.hasNext();
			}

			@Override
			public Poll next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				String channel = this.pending.next();
				Map.Entry<GroupMember, PlatformAccount> account = channels.get(channel);
				return new ChannelPoll(channel, account.getKey().custodian(), account.getValue().key());
			}

		};
	}

	private List<String> conversationsOf(String user) {
		List<String> channels = new ArrayList<>();
		String cursor = "";
		do {
			JsonNode page = call("users.conversations", Map.of("user", user, "types",
					"public_channel,private_channel,mpim,im", "limit", "200", "cursor", cursor));
			for (JsonNode channel : page.path("channels")) {
				String id = JsonRecords.text(channel, "id");
				if (id != null) {
					channels.add(id);
				}
			}
			cursor = nextCursor(page);
		}
		while (!cursor.isEmpty());
		return channels;
	}

	JsonNode call(String method, Map<String, String> arguments) {
		StringBuilder query = new StringBuilder();
		arguments.entrySet()
			.stream()
			.filter((argument) -> !argument.getValue().isEmpty())
			.sorted(Map.Entry.comparingByKey())
			.forEach((argument) -> query.append(query.isEmpty() ? "?" : "&")
				.append(argument.getKey())
				.append('=')
				.append(URLEncoder.encode(argument.getValue(), StandardCharsets.UTF_8)));
		String base = this.settings.baseUrl().toString();
		URI uri = URI.create((base.endsWith("/") ? base : base + "/") + method + query);
		for (int attempt = 1;; attempt++) {
			JsonNode answer = this.api.get(uri, this.settings.token());
			if (answer.path("ok").asBoolean(false)) {
				return answer;
			}
			String error = JsonRecords.text(answer, "error");
			// Slack sometimes signals throttling in a 200 answer.
			if ("ratelimited".equals(error) && attempt < 5) {
				sleep(Duration.ofSeconds(attempt));
				continue;
			}
			throw new ApiClient.ApiException("Slack " + method + " " + arguments.getOrDefault("channel", "")
					+ arguments.getOrDefault("user", "") + ": error " + error
					+ (answer.has("needed") ? " (needed scope " + JsonRecords.text(answer, "needed") + ")" : ""));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ApiClient.ApiException("interrupted");
		}
	}

	static String nextCursor(JsonNode page) {
		String cursor = JsonRecords.text(page.path("response_metadata"), "next_cursor");
		return (cursor != null) ? cursor : "";
	}

	/** A Slack ts for an instant: seconds and six digits of microseconds. */
	static String ts(Instant instant) {
		return new BigDecimal(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano() / 1000, 6))
			.setScale(6)
			.toPlainString();
	}

	/** One conversation, from its watermark to the window's end. */
	private final class ChannelPoll implements Poll {

		private final String channel;

		private final String custodian;

		private final String account;

		private final Conversation conversation;

		private final String oldest;

		private final String latest;

		private String cursor = "";

		private boolean done;

		private long number;

		ChannelPoll(String channel, String custodian, String account) {
			this.channel = channel;
			this.custodian = custodian;
			this.account = account;
			this.conversation = SlackApiMessages.conversation(channel);
			this.oldest = SlackPolls.this.watermarks.position(SlackPolls.this.window.groupName(), source())
				.orElseGet(() -> ts(SlackPolls.this.window.windowEnd().minus(SlackPolls.this.lookback)));
			// latest is exclusive: one microsecond past the window's end takes a message
			// sent exactly at it, and the next window's oldest (exclusive) skips it.
			this.latest = ts(SlackPolls.this.window.windowEnd().plusNanos(1000));
		}

		@Override
		public String source() {
			return "slack:" + this.channel;
		}

		@Override
		public Iterator<SyncUnit> units() {
			return new Iterator<>() {
				@Override
				public boolean hasNext() {
					return !ChannelPoll.this.done;
				}

				@Override
				public SyncUnit next() {
					if (ChannelPoll.this.done) {
						throw new NoSuchElementException();
					}
					return page();
				}
			};
		}

		private SyncUnit page() {
			JsonNode page = call("conversations.history",
					Map.of("channel", this.channel, "oldest", this.oldest, "latest", this.latest, "limit",
							Integer.toString(SlackPolls.this.settings.pageSize()), "inclusive", "false", "cursor",
							this.cursor));
			Instant polledAt = SlackPolls.this.clock.instant();
			List<SyncRecord> records = new ArrayList<>();
			for (JsonNode message : page.path("messages")) {
				add(records, message, "conversations.history", polledAt);
				String ts = JsonRecords.text(message, "ts");
				if (ts != null && ts.equals(JsonRecords.text(message, "thread_ts"))
						&& message.path("reply_count").asInt(0) > 0) {
					replies(ts, records, polledAt);
				}
			}
			this.cursor = nextCursor(page);
			this.done = this.cursor.isEmpty();
			List<Acknowledgement> acknowledgements = this.done
					? List.of(new Acknowledgement.Watermark(source(), ts(SlackPolls.this.window.windowEnd())))
					: List.of();
			return new SyncUnit(SyncSource.SLACK, records, acknowledgements);
		}

		private void replies(String threadTs, List<SyncRecord> records, Instant polledAt) {
			String replyCursor = "";
			do {
				JsonNode page = call("conversations.replies",
						Map.of("channel", this.channel, "ts", threadTs, "oldest", this.oldest, "latest", this.latest,
								"limit", Integer.toString(SlackPolls.this.settings.pageSize()), "inclusive", "false",
								"cursor", replyCursor));
				for (JsonNode reply : page.path("messages")) {
					// The root comes first on every page of replies; history gave it.
					if (!threadTs.equals(JsonRecords.text(reply, "ts"))) {
						add(records, reply, "conversations.replies", polledAt);
					}
				}
				replyCursor = nextCursor(page);
			}
			while (!replyCursor.isEmpty());
		}

		private void add(List<SyncRecord> records, JsonNode message, String method, Instant polledAt) {
			SourceLocation origin = new SourceLocation("slack:" + method, this.channel, ++this.number);
			for (SourceRecord record : SlackPolls.this.messages.message(message, this.conversation, origin)) {
				records.add(new SyncRecord(record, this.custodian, this.account, polledAt, 0));
			}
		}

	}

}

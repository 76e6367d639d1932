package io.chatvault.sync;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import tools.jackson.databind.JsonNode;

import io.chatvault.custodian.AccountKind;
import io.chatvault.custodian.GroupMember;
import io.chatvault.custodian.PlatformAccount;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.teams.TeamsApiMessages;

/**
 * The Microsoft Graph polls of a group:
 * <ul>
 * <li>a Teams user: {@code /users/{id}/chats/getAllMessages} (every chat they are in),
 * and a Teams chat: {@code /chats/{id}/messages}, both filtered on
 * {@code lastModifiedDateTime} from the watermark to the window's end, so edits and
 * deletions come back as new states; the watermark is the window's end;</li>
 * <li>a Teams channel: the delta query {@code /teams/{t}/channels/{c}/messages/delta},
 * whose {@code @odata.deltaLink} is the watermark, with the replies of each root message
 * it returns.</li>
 * </ul>
 * Pages follow {@code @odata.nextLink}; 429 and 503 wait what {@code Retry-After} says.
 */
class GraphPolls {

	private final ApiClient api;

	private final GraphTokens tokens;

	private final SyncProperties.Graph settings;

	private final Watermarks watermarks;

	private final SyncWindow window;

	private final Duration lookback;

	private final Clock clock;

	private final TeamsApiMessages messages = new TeamsApiMessages();

	GraphPolls(ApiClient api, GraphTokens tokens, SyncProperties.Graph settings, Watermarks watermarks,
			SyncWindow window, Duration lookback, Clock clock) {
		this.api = api;
		this.tokens = tokens;
		this.settings = settings;
		this.watermarks = watermarks;
		this.window = window;
		this.lookback = lookback;
		this.clock = clock;
	}

	Iterator<Poll> polls() {
		List<Poll> polls = new ArrayList<>();
		for (GroupMember member : this.window.group().members()) {
			for (PlatformAccount account : member.accounts()) {
				switch (account.kind()) {
					case TEAMS_USER -> polls.add(new ModifiedPoll("teams-user:" + account.id(),
							"users/" + encode(account.id()) + "/chats/getAllMessages", false, member, account));
					case TEAMS_CHAT -> polls.add(new ModifiedPoll("teams-chat:" + account.id(),
							"chats/" + encode(account.id()) + "/messages", true, member, account));
					case TEAMS_CHANNEL -> polls.add(new DeltaPoll(member, account));
					default -> {
					}
				}
			}
		}
		if (!polls.isEmpty()) {
			this.tokens.check();
		}
		return polls.iterator();
	}

	private URI uri(String path, String query) {
		String base = this.settings.baseUrl().toString();
		return URI.create((base.endsWith("/") ? base : base + "/") + path + query);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** Graph's filter literal: an ISO instant in milliseconds. */
	static String instant(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MILLIS).toString();
	}

	private List<SyncRecord> records(JsonNode page, String fallback, GroupMember member, PlatformAccount account,
			String what, long[] number, Instant polledAt) {
		List<SyncRecord> records = new ArrayList<>();
		for (JsonNode message : page.path("value")) {
			SourceLocation origin = new SourceLocation("graph:" + what, account.id(), ++number[0]);
			for (SourceRecord record : this.messages.message(message, fallback, origin)) {
				records.add(new SyncRecord(record, member.custodian(), account.key(), polledAt, 0));
			}
		}
		return records;
	}

	private String nextLink(JsonNode page) {
		return JsonRecords.text(page, "@odata.nextLink");
	}

	/** A lastModifiedDateTime range, paged through nextLink. */
	private final class ModifiedPoll implements Poll {

		private final String source;

		private final GroupMember member;

		private final PlatformAccount account;

		private String next;

		private boolean done;

		private final long[] number = new long[1];

		ModifiedPoll(String source, String path, boolean orderBy, GroupMember member, PlatformAccount account) {
			this.source = source;
			this.member = member;
			this.account = account;
			Instant windowEnd = GraphPolls.this.window.windowEnd();
			Instant from = GraphPolls.this.watermarks.position(GraphPolls.this.window.groupName(), source)
				.map(Instant::parse)
				.orElseGet(() -> windowEnd.minus(GraphPolls.this.lookback));
			// gt and lt are the only operators Graph takes: one millisecond back makes
			// the
			// watermark itself inclusive, so a message modified exactly at a window's end
			// (excluded by that window's lt) is taken by the next.
			String filter = "lastModifiedDateTime gt " + instant(from.minusMillis(1)) + " and lastModifiedDateTime lt "
					+ instant(windowEnd);
			StringBuilder query = new StringBuilder("?$top=").append(GraphPolls.this.settings.pageSize());
			if (orderBy) {
				query.append("&$orderby=").append(encode("lastModifiedDateTime desc"));
			}
			query.append("&$filter=").append(encode(filter));
			if (!GraphPolls.this.settings.model().isBlank()) {
				query.append("&model=").append(encode(GraphPolls.this.settings.model()));
			}
			this.next = uri(path, query.toString()).toString();
		}

		@Override
		public String source() {
			return this.source;
		}

		@Override
		public Iterator<SyncUnit> units() {
			return new Iterator<>() {
				@Override
				public boolean hasNext() {
					return !ModifiedPoll.this.done;
				}

				@Override
				public SyncUnit next() {
					if (ModifiedPoll.this.done) {
						throw new NoSuchElementException();
					}
					JsonNode page = GraphPolls.this.api.get(URI.create(ModifiedPoll.this.next),
							GraphPolls.this.tokens.token());
					Instant polledAt = GraphPolls.this.clock.instant();
					List<SyncRecord> records = records(page, ModifiedPoll.this.account.id(), ModifiedPoll.this.member,
							ModifiedPoll.this.account, "messages", ModifiedPoll.this.number, polledAt);
					ModifiedPoll.this.next = nextLink(page);
					ModifiedPoll.this.done = ModifiedPoll.this.next == null;
					return new SyncUnit(SyncSource.TEAMS, records,
							ModifiedPoll.this.done ? List.of(new Acknowledgement.Watermark(ModifiedPoll.this.source,
									GraphPolls.this.window.windowEnd().toString())) : List.of());
				}
			};
		}

	}

	/** A channel's delta query: the delta link is the watermark. */
	private final class DeltaPoll implements Poll {

		private final GroupMember member;

		private final PlatformAccount account;

		private final String team;

		private final String channel;

		private String next;

		private boolean done;

		private final long[] number = new long[1];

		DeltaPoll(GroupMember member, PlatformAccount account) {
			this.member = member;
			this.account = account;
			String[] parts = account.id().split("/");
			this.team = parts[0];
			this.channel = parts[1];
			this.next = GraphPolls.this.watermarks.position(GraphPolls.this.window.groupName(), source())
				.orElseGet(() -> uri(channelPath() + "/messages/delta",
						"?$top=" + GraphPolls.this.settings.pageSize() + "&$filter="
								+ encode("lastModifiedDateTime gt "
										+ instant(GraphPolls.this.window.windowEnd().minus(GraphPolls.this.lookback))))
					.toString());
		}

		private String channelPath() {
			return "teams/" + encode(this.team) + "/channels/" + encode(this.channel);
		}

		@Override
		public String source() {
			return "teams-channel:" + this.account.id();
		}

		@Override
		public Iterator<SyncUnit> units() {
			return new Iterator<>() {
				@Override
				public boolean hasNext() {
					return !DeltaPoll.this.done;
				}

				@Override
				public SyncUnit next() {
					if (DeltaPoll.this.done) {
						throw new NoSuchElementException();
					}
					return page();
				}
			};
		}

		private SyncUnit page() {
			JsonNode page = GraphPolls.this.api.get(URI.create(this.next), GraphPolls.this.tokens.token());
			Instant polledAt = GraphPolls.this.clock.instant();
			List<SyncRecord> records = records(page, this.channel, this.member, this.account, "messages/delta",
					this.number, polledAt);
			for (JsonNode message : page.path("value")) {
				String id = JsonRecords.text(message, "id");
				if (id != null && JsonRecords.text(message, "replyToId") == null
						&& JsonRecords.text(message, "deletedDateTime") == null) {
					replies(id, records, polledAt);
				}
			}
			this.next = nextLink(page);
			this.done = this.next == null;
			List<Acknowledgement> acknowledgements = List.of();
			if (this.done) {
				String deltaLink = JsonRecords.text(page, "@odata.deltaLink");
				if (deltaLink == null) {
					throw new ApiClient.ApiException("Graph delta of channel " + this.account.id()
							+ " ended without an @odata.deltaLink; the watermark cannot advance");
				}
				acknowledgements = List.of(new Acknowledgement.Watermark(source(), deltaLink));
			}
			return new SyncUnit(SyncSource.TEAMS, records, acknowledgements);
		}

		private void replies(String id, List<SyncRecord> records, Instant polledAt) {
			String link = uri(channelPath() + "/messages/" + encode(id) + "/replies",
					"?$top=" + GraphPolls.this.settings.pageSize())
				.toString();
			while (link != null) {
				JsonNode page = GraphPolls.this.api.get(URI.create(link), GraphPolls.this.tokens.token());
				records
					.addAll(records(page, this.channel, this.member, this.account, "replies", this.number, polledAt));
				link = nextLink(page);
			}
		}

	}

}

package io.chatvault.search;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.chatvault.access.Access;
import io.chatvault.access.AccessOutcome;
import io.chatvault.access.CommandLineAccess;
import io.chatvault.access.ContentScope;
import io.chatvault.access.Operation;
import io.chatvault.cli.CliCommand;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;
import io.chatvault.message.ChatRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault search <query>}: keyword search over the encrypted archive (see
 * {@link Search}), authorized and audited as {@code content.read}.
 */
@Component
@Command(name = "search",
		description = { "Searches the archive: terms, \"phrases\", prefix*, AND, OR, NOT (or -term), ( ).", "",
				"Candidates come from keyed tokens in the database; each is decrypted, verified and checked",
				"against the query, so every hit really contains what was asked. Needs a token",
				"(CHATVAULT_TOKEN) whose grants allow content.read; hits are limited to the custodians",
				"those grants cover. Every search is in the audit log (query redacted to keyed tokens,",
				"scope, hits)." },
		footer = { "", "Examples:", "  chatvault search contract --from 2024-01-01 --to 2025-01-01",
				"  chatvault search '\"sell before friday\" OR urgent*' --custodian alice --json", "",
				"Exit codes: 0 searched (with or without hits), 2 bad query or option, 11 access denied." })
class SearchCommand implements CliCommand {

	@Parameters(arity = "1..*", paramLabel = "query", description = "The query (several words are joined).")
	List<String> query = new ArrayList<>();

	@Option(names = "--custodian", paramLabel = "ID", description = "Only this custodian's records (repeatable).")
	List<String> custodians = new ArrayList<>();

	@Option(names = "--conversation", paramLabel = "SOURCE:ID",
			description = "Only this conversation (repeatable), e.g. SLACK_EXPORT:C024BE91L.")
	List<String> conversations = new ArrayList<>();

	@Option(names = "--source", paramLabel = "SOURCE", description = "Only this source platform (repeatable).")
	List<String> sources = new ArrayList<>();

	@Option(names = "--kind", paramLabel = "KIND",
			description = "Only records of this kind (repeatable): message, system_event, edit, deletion, reaction, status.")
	List<String> kinds = new ArrayList<>();

	@Option(names = "--from", paramLabel = "DATE", description = "Sent on or after (YYYY-MM-DD, UTC, or an instant).")
	String from;

	@Option(names = "--to", paramLabel = "DATE", description = "Sent before (YYYY-MM-DD, UTC, or an instant).")
	String to;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "100",
			description = "At most this many hits (default ${DEFAULT-VALUE}; 0 for all).")
	long limit;

	@Option(names = "--json", description = "One JSON document: the hits and the figures of the search.")
	boolean json;

	private final Search search;

	private final CommandLineAccess access;

	SearchCommand(Search search, CommandLineAccess access) {
		this.search = search;
		this.access = access;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		SearchQuery parsed;
		try {
			parsed = this.search.parse(String.join(" ", this.query));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("search: " + ex.getMessage());
		}
		Search.Filters filters = filters();
		ContentScope scope = new ContentScope(filters.custodians(), filters.conversations(), filters.from(),
				filters.to());
		Access granted = this.access.authorize(Operation.CONTENT_READ, scope, auditQuery(parsed, filters));
		// Hits are kept only for the JSON document; printed ones are streamed, so that a
		// complete result (--limit 0) of millions of hits runs in a flat heap.
		List<Search.Hit> hits = new ArrayList<>();
		long[] found = { 0 };
		long[] bytes = { 0 };
		Search.Outcome outcome;
		try {
			outcome = this.search.run(parsed, filters, granted::permits, (hit) -> {
				found[0]++;
				bytes[0] += hit.record().canonical().length;
				if (this.json) {
					hits.add(hit);
				}
				else {
					print(out, hit);
				}
				return this.limit <= 0 || found[0] < this.limit;
			});
		}
		catch (RuntimeException ex) {
			this.access.complete(granted, AccessOutcome.failed(found[0], bytes[0], ex.getMessage()));
			throw ex;
		}
		this.access.complete(granted, AccessOutcome.success(found[0], bytes[0]));
		if (this.json) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("query", String.join(" ", this.query));
			json.put("hits", hits.stream().map(SearchCommand::json).toList());
			json.put("complete", outcome.complete());
			json.put("candidates", outcome.candidates());
			json.put("rejected", outcome.rejected());
			json.put("outOfScope", outcome.outOfScope());
			json.put("millis", outcome.totalNanos() / 1_000_000);
			JsonOutput.print(out, json);
		}
		else {
			out.printf(
					"%d hit(s)%s; %d candidate(s) checked, %d did not match on their text, %d outside your "
							+ "access; %d ms%n",
					found[0], outcome.complete() ? "" : " (limit reached: --limit 0 for all)", outcome.candidates(),
					outcome.rejected(), outcome.outOfScope(), outcome.totalNanos() / 1_000_000);
		}
		return ExitCode.COMPLETED;
	}

	private String auditQuery(SearchQuery parsed, Search.Filters filters) {
		StringBuilder text = new StringBuilder("search ").append(this.search.redacted(parsed));
		filters.sources().forEach((s) -> text.append(" --source ").append(s));
		filters.kinds().forEach((k) -> text.append(" --kind ").append(k.name().toLowerCase(Locale.ROOT)));
		return text.toString();
	}

	private static void print(PrintStream out, Search.Hit hit) {
		ChatRecord record = hit.record().record();
		String author = record.optionalAuthor().map((a) -> a.displayName()).orElse("-");
		String body = record.body().replaceAll("\\s+", " ");
		if (body.length() > 160) {
			body = body.substring(0, 157) + "...";
		}
		out.printf("%s  %s  %s:%s  %s: %s  [%s]%n", record.sentAt(), String.join(",", hit.custodians()),
				record.source().name(), record.conversation().id(), author, body, hit.record().messageId());
	}

	static Map<String, Object> json(Search.Hit hit) {
		ChatRecord record = hit.record().record();
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("messageId", hit.record().messageId());
		json.put("sentAt", record.sentAt().toString());
		json.put("custodians", hit.custodians());
		json.put("source", record.source().name());
		json.put("conversation", record.conversation().id());
		json.put("conversationName", record.conversation().name());
		json.put("kind", record.kind().name().toLowerCase(Locale.ROOT));
		json.put("author", record.optionalAuthor().map((a) -> a.displayName()).orElse(null));
		json.put("body", record.body());
		json.put("attachments", record.attachments().stream().map((a) -> a.name()).toList());
		return json;
	}

	private Search.Filters filters() {
		try {
			return Search.Filters.parse(this.custodians, this.conversations, this.sources, this.kinds, this.from,
					this.to);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("search: " + ex.getMessage());
		}
	}

}

package io.chatvault.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.chatvault.access.AccessFixture;
import io.chatvault.access.GrantScope;
import io.chatvault.access.Role;
import io.chatvault.cli.ExitCode;
import io.chatvault.vault.ArchivedRecord;
import io.chatvault.vault.HeldConversation;
import io.chatvault.vault.VaultReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An archive of WhatsApp exports in several scripts (Latin with accents, Cyrillic, Han,
 * Japanese, Hangul, Arabic, Thai), migrated for two custodians through the real migration
 * job, with a compliance officer and an employee who may search; and the full
 * decrypt-and-scan that searches are compared with.
 */
public final class SearchFixture implements AutoCloseable {

	/** Lines of alice's chat with Ravi (sent in 2024). */
	public static final List<String> ALICE_2024 = List.of("Le contrat est signé à Zürich demain",
			"Crème brûlée für die Straße, bitte", "CONTRACT renewal is due", "The contracts are in the drawer",
			"Договор подписан вчера вечером", "Ёлка стоит в офисе", "我们明天签合同", "契約書を送ります", "계약서를 보냈습니다",
			"تم توقيع الْعَقْد اليوم", "เราเซ็นสัญญาแล้ว", "sell before friday, the numbers are bad",
			"friday before sell is not the same", "Le contrat de Paris n'est pas signé");

	/** Lines of bob's chat (sent in 2025). */
	public static final List<String> BOB_2025 = List.of("The contract with Northwind is signed", "合同已经签了",
			"Новый договор на 2025 год", "العقد جاهز للتوقيع", "nothing to see here");

	public final AccessFixture access;

	public final String compliance;

	public final String bobEmployee;

	public final VaultReader reader;

	public final Search search;

	public SearchFixture(Path home, Path exports, String... properties) throws IOException {
		this.access = AccessFixture.start(home, properties);
		this.access.custodian("alice", "desk");
		this.access.custodian("bob", "sales");
		this.compliance = this.access.principal("cora", Optional.empty(), Role.COMPLIANCE, GrantScope.ALL);
		this.bobEmployee = this.access.principal("bob-p", Optional.of("bob"), Role.EMPLOYEE,
				GrantScope.custodian("bob"));
		migrate(exports.resolve("alice"), "alice", "12/03/2024", ALICE_2024);
		migrate(exports.resolve("bob"), "bob", "05/02/2025", BOB_2025);
		this.reader = this.access.context.getBean(VaultReader.class);
		this.search = this.access.context.getBean(Search.class);
	}

	public void migrate(Path directory, String custodian, String day, List<String> lines) throws IOException {
		Files.createDirectories(directory);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < lines.size(); i++) {
			text.append(String.format("%s, %02d:%02d - %s: %s%n", day, 9 + i / 60, i % 60,
					(i % 2 == 0) ? "Alice Morgan" : "Ravi Patel", lines.get(i)));
		}
		Files.writeString(directory.resolve("WhatsApp Chat with Ravi Patel.txt"), text.toString().replace("\r\n", "\n"),
				StandardCharsets.UTF_8);
		AccessFixture.Cli run = this.access.cli(null, "migrate", directory.toString(), "custodian=" + custodian,
				"zone=UTC");
		assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCode.COMPLETED);
	}

	/** The ids of every record a full decrypt-and-scan finds for a query. */
	public Set<String> scan(String query, Search.Filters filters) {
		SearchQuery parsed = this.search.parse(query);
		Set<String> found = new TreeSet<>();
		for (String custodian : this.reader.custodians()) {
			if (!filters.custodians().isEmpty() && !filters.custodians().contains(custodian)) {
				continue;
			}
			for (HeldConversation conversation : this.reader.conversations(custodian)) {
				try (var records = this.reader.records(conversation)) {
					records.filter((r) -> filters.admits(r.record()))
						.filter((r) -> parsed.matches(SearchTokens.fields(r.record())))
						.map(ArchivedRecord::messageId)
						.forEach(found::add);
				}
			}
		}
		return found;
	}

	/** The ids the search finds, with every custodian permitted. */
	public Set<String> search(String query, Search.Filters filters) {
		Set<String> found = new TreeSet<>();
		this.search.run(this.search.parse(query), filters, (custodian) -> true, (hit) -> {
			found.add(hit.record().messageId());
			return true;
		});
		return found;
	}

	public List<String> bodies(Set<String> ids) {
		List<String> bodies = new ArrayList<>();
		for (String id : ids) {
			bodies.add(this.reader.record(id).orElseThrow().record().body());
		}
		return bodies;
	}

	@Override
	public void close() {
		this.access.close();
	}

}

package io.chatvault.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The custodian registry's CSV form ({@code chatvault custodian import}; docs/access.md):
 * columns {@code id, name, group} (required), {@code hr_employee_id, status,
 * departure_date, whatsapp, slack, teams, consent_document, consent_sha256,
 * consent_version, consent_signed_on}. Several accounts in a cell are separated by
 * {@code ;}. Besides each row's own checks, no id, HR employee id or account may appear
 * twice in a file.
 */
final class RegistryCsv {

	static final Set<String> REQUIRED = Set.of("id", "name", "group");

	static final Set<String> COLUMNS = Set.of("id", "name", "group", "hr_employee_id", "status", "departure_date",
			"whatsapp", "slack", "teams", "consent_document", "consent_sha256", "consent_version", "consent_signed_on");

	private RegistryCsv() {
	}

	static CsvFile.Parsed<Custodian> read(Path file) {
		CsvFile.Parsed<Custodian> parsed = CsvFile.read(file, REQUIRED, COLUMNS, RegistryCsv::custodian);
		List<CsvFile.BadRow> bad = new ArrayList<>(parsed.bad());
		List<CsvFile.Row<Custodian>> rows = new ArrayList<>();
		Map<String, Long> ids = new HashMap<>();
		Map<String, Long> hrIds = new HashMap<>();
		Map<CustodianAccount, Long> accounts = new HashMap<>();
		for (CsvFile.Row<Custodian> row : parsed.rows()) {
			Custodian custodian = row.value();
			Optional<String> duplicate = Optional.ofNullable(ids.putIfAbsent(custodian.id(), row.line()))
				.map((line) -> "custodian " + custodian.id() + " is also on line " + line);
			if (duplicate.isEmpty() && custodian.hrEmployeeId().isPresent()) {
				duplicate = Optional.ofNullable(hrIds.putIfAbsent(custodian.hrEmployeeId().get(), row.line()))
					.map((line) -> "hr_employee_id " + custodian.hrEmployeeId().get() + " is also on line " + line);
			}
			for (CustodianAccount account : custodian.accounts()) {
				if (duplicate.isEmpty()) {
					duplicate = Optional.ofNullable(accounts.putIfAbsent(account, row.line()))
						.map((line) -> "account " + account + " is also on line " + line);
				}
			}
			if (duplicate.isPresent()) {
				bad.add(new CsvFile.BadRow(row.line(), duplicate.get(), row.raw()));
			}
			else {
				rows.add(row);
			}
		}
		bad.sort(java.util.Comparator.comparingLong(CsvFile.BadRow::line));
		return new CsvFile.Parsed<>(rows, bad);
	}

	private static Custodian custodian(CsvFile.Cells cells) {
		String statusText = cells.optional("status").orElse("active");
		Custodian.Status status;
		try {
			status = Custodian.Status.fromKey(statusText);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("status '" + statusText + "' is neither active nor departed");
		}
		Optional<Consent> consent = Optional.empty();
		List<String> consentColumns = List.of("consent_document", "consent_sha256", "consent_version",
				"consent_signed_on");
		long given = consentColumns.stream().filter((column) -> cells.optional(column).isPresent()).count();
		if (given == consentColumns.size()) {
			consent = Optional.of(new Consent(cells.required("consent_document"), cells.required("consent_sha256"),
					cells.required("consent_version"),
					CsvFile.date("consent_signed_on", cells.required("consent_signed_on"))));
		}
		else if (given > 0) {
			throw new IllegalArgumentException(
					"consent is incomplete: give all of " + String.join(", ", consentColumns) + ", or none");
		}
		return new Custodian(cells.required("id"), cells.required("name"), cells.optional("hr_employee_id"),
				cells.required("group"), status,
				cells.optional("departure_date").map((date) -> CsvFile.date("departure_date", date)), consent,
				CsvFile.accounts(cells));
	}

}

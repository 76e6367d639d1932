package io.chatvault.hrsync;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.chatvault.access.AccountPlatform;
import io.chatvault.access.CsvFile;
import io.chatvault.access.CustodianAccount;

/**
 * One row of the HR feed: the state of one employee as HR knows it. Columns
 * (docs/access.md): {@code employee_id} (required), {@code custodian_id} (required for a
 * joiner), {@code name}, {@code group} (required for a joiner), {@code status}
 * ({@code active} or {@code left}; default active), {@code departure_date} (required when
 * left: the first day they no longer work here), {@code whatsapp}, {@code slack},
 * {@code teams} (several separated by {@code ;}). An empty cell leaves the registered
 * value as it is; an account cell replaces that platform's accounts. An employee absent
 * from a file is left alone: only an explicit {@code left} makes a leaver, so a truncated
 * file can never make everyone leave.
 *
 * @param employeeId the HR employee id
 * @param custodianId the custodian id, if given
 * @param name the name, if given
 * @param group the group, if given
 * @param left whether the employee has left (or is leaving)
 * @param departureDate the first day they no longer work here, if given
 * @param accounts the accounts given, by platform (platforms whose cell is empty are
 * absent)
 */
record HrRow(String employeeId, Optional<String> custodianId, Optional<String> name, Optional<String> group,
		boolean left, Optional<LocalDate> departureDate, Map<AccountPlatform, List<CustodianAccount>> accounts) {

	static final Set<String> REQUIRED = Set.of("employee_id");

	static final Set<String> COLUMNS = Set.of("employee_id", "custodian_id", "name", "group", "status",
			"departure_date", "whatsapp", "slack", "teams");

	static HrRow of(CsvFile.Cells cells) {
		String status = cells.optional("status").orElse("active").toLowerCase(Locale.ROOT);
		if (!status.equals("active") && !status.equals("left")) {
			throw new IllegalArgumentException("status '" + status + "' is neither active nor left");
		}
		boolean left = status.equals("left");
		Optional<LocalDate> departure = cells.optional("departure_date")
			.map((date) -> CsvFile.date("departure_date", date));
		if (left && departure.isEmpty()) {
			throw new IllegalArgumentException(
					"a leaver needs departure_date (the first day they no longer work here)");
		}
		Map<AccountPlatform, List<CustodianAccount>> accounts = new EnumMap<>(AccountPlatform.class);
		for (AccountPlatform platform : AccountPlatform.values()) {
			Optional<String> cell = cells.optional(platform.key());
			if (cell.isPresent()) {
				List<CustodianAccount> list = new ArrayList<>();
				for (String raw : cell.get().split(";")) {
					if (!raw.isBlank()) {
						list.add(CustodianAccount.of(platform, raw));
					}
				}
				accounts.put(platform, List.copyOf(list));
			}
		}
		return new HrRow(cells.required("employee_id"), cells.optional("custodian_id"), cells.optional("name"),
				cells.optional("group"), left, departure, accounts);
	}

	List<CustodianAccount> allAccounts() {
		return this.accounts.values().stream().flatMap(List::stream).toList();
	}

}

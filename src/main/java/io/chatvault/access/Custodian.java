package io.chatvault.access;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An employee whose business chats are archived: the id records are archived under
 * ({@code vault_message.custodian}), the HR identity, the group that sync schedules and
 * supervisors' grants are by, the platform accounts, whether they are still employed, and
 * their consent.
 *
 * @param id the custodian id (letters, digits and {@code . _ @ + -})
 * @param name the person's name
 * @param hrEmployeeId the employee id in the HR system, if known
 * @param group the custodian group
 * @param status active or departed
 * @param departureDate the day they left (departed), or a departure announced for later
 * (active)
 * @param consent the signed consent, if recorded
 * @param accounts the accounts on each platform
 */
public record Custodian(String id, String name, Optional<String> hrEmployeeId, String group, Status status,
		Optional<LocalDate> departureDate, Optional<Consent> consent, List<CustodianAccount> accounts) {

	/** The form of custodian, group and principal ids. */
	static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

	public Custodian {
		checkId("custodian id", id);
		checkId("group", group);
		Objects.requireNonNull(status, "status");
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("custodian " + id + " needs a name");
		}
		if (status == Status.DEPARTED && departureDate.isEmpty()) {
			throw new IllegalArgumentException("departed custodian " + id + " needs the date they left");
		}
		hrEmployeeId = hrEmployeeId.map(String::trim).filter((hr) -> !hr.isEmpty());
		accounts = List.copyOf(accounts);
	}

	/** Whether the custodian is still employed. */
	public boolean active() {
		return this.status == Status.ACTIVE;
	}

	/**
	 * Checks an id's form.
	 * @param what what it is, for the message
	 * @param id the id
	 * @throws IllegalArgumentException if it is not of the form
	 */
	static void checkId(String what, String id) {
		if (id == null || !ID.matcher(id).matches()) {
			throw new IllegalArgumentException("'" + id + "' is not a valid " + what
					+ ": 1-128 letters, digits and . _ @ + -, starting with a letter or digit");
		}
	}

	/** Whether a custodian is still employed. */
	public enum Status {

		/** Employed: their chats are captured. */
		ACTIVE,

		/**
		 * Left: their archive is kept, nothing new is captured, their access is revoked.
		 */
		DEPARTED;

		String key() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		static Status fromKey(String key) {
			return valueOf(key.toUpperCase(java.util.Locale.ROOT));
		}

	}

}
